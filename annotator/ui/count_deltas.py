"""Annotation counts moved by one action, worked out from its ``Change`` instead of re-queried.

A coding action adds, moves or removes a few annotations: the session's counts per work, per
code and per coder move by one each, and re-reading every count (and every work) after each key
press is what blocked the window at 10,000 works. :class:`AnnotationKeys` remembers the work,
code and coder of each annotation the session has seen in a change, so it can also count an
undo (a removal names only the annotation's id). A change it cannot count exactly (rows it never
saw, bulk changes, another process's news) gives ``None``: the session re-reads the counts then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from annotator.core.types import AnnotationInfo, CodeInfo, CoderInfo, DocumentSummary
from annotator.services.changes import Change

Key = tuple[int, int, int]  # (document id, code id, coder id)


@dataclass
class CountDeltas:
    """How many annotations each (work, code, coder) gained (or lost, negative)."""

    by_key: Counter[Key] = field(default_factory=Counter)

    def add(self, key: Key, step: int) -> None:
        self.by_key[key] += step

    def merge(self, other: CountDeltas) -> None:
        self.by_key.update(other.by_key)

    def by_document(self, coder_id: int | None = None) -> dict[int, int]:
        """Gains per work, of ``coder_id`` only or of every coder (None); zeros left out."""
        return self._summed(0, coder_id)

    def by_code(self, coder_id: int | None = None) -> dict[int, int]:
        return self._summed(1, coder_id)

    def by_coder(self) -> dict[int, int]:
        return self._summed(2, None)

    def _summed(self, place: int, coder_id: int | None) -> dict[int, int]:
        total: Counter[int] = Counter()
        for key, step in self.by_key.items():
            if coder_id is None or key[2] == coder_id:
                total[key[place]] += step
        return {k: n for k, n in total.items() if n}


def countable(change: Change) -> bool:
    """Whether only listed annotation rows changed (no bulk, document, codebook or outside news)."""
    return not (
        change.is_external
        or change.everything
        or change.annotations_changed_in
        or change.codebook_changed
        or change.coders_changed
        or change.touches_documents()
    )


class AnnotationKeys:
    """The (work, code, coder) of every annotation seen in a change, by annotation id."""

    def __init__(self) -> None:
        self._keys: dict[int, Key] = {}

    def deltas_of(self, change: Change) -> CountDeltas | None:
        """What ``change`` did to the counts; None if it cannot be told from the change alone.

        The rows it names are remembered either way (a later undo of them is then countable).
        """
        deltas: CountDeltas | None = CountDeltas() if countable(change) else None
        for annotation_id in change.annotations_removed:
            old = self._keys.pop(annotation_id, None)
            if old is None:
                deltas = None
            elif deltas is not None:
                deltas.add(old, -1)
        for row in change.annotations_updated:
            old = self._keys.get(row.id)
            new = self._remember(row)
            if old is None:
                deltas = None
            elif deltas is not None and old != new:
                deltas.add(old, -1)
                deltas.add(new, 1)
        for row in change.annotations_added:
            new = self._remember(row)
            if deltas is not None:
                deltas.add(new, 1)
        return deltas

    def _remember(self, row: AnnotationInfo) -> Key:
        key = (row.document_id, row.code_id, row.coder_id)
        self._keys[row.id] = key
        return key


Counted = TypeVar("Counted", DocumentSummary, CodeInfo, CoderInfo)


def moved(
    items: list[Counted], gains: dict[int, int], positions: Mapping[int, int] | None = None
) -> list[Counted]:
    """``items`` with their counts moved by ``gains`` (by id); unchanged items stay the same objects.

    ``positions`` (id -> index in ``items``) spares a scan of every item: 10,000 works, one coded.
    """
    if not gains:
        return items
    result = list(items)
    if positions is None:
        places: Iterable[tuple[int, int]] = (
            (place, gains[item.id]) for place, item in enumerate(result) if item.id in gains
        )
    else:
        places = ((positions[key], step) for key, step in gains.items() if key in positions)
    for place, step in places:
        item = result[place]
        if not step:
            continue
        if isinstance(item, DocumentSummary):
            result[place] = replace(item, annotation_count=item.annotation_count + step)
        else:
            result[place] = replace(item, count=item.count + step)
    return result
