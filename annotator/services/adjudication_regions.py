"""Disagreements of one region, re-read after a decision or its undo without listing them all.

A decision changes the consensus coder's spans (or a "neither" row) in one document and code,
near one disagreement. Which clusters exist depends only on the compared coders' spans, so the
region's clusters are found by reading the spans of that document and code that overlap the
region, widening it to the hull of what was read until no more spans join (a cluster is a chain
of overlapping spans, so it can reach beyond the decided one), and clustering just those.
The result replaces, in the caller's list, every disagreement of that document and code whose
hull overlaps ``RegionItems.start``–``RegionItems.end``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from annotator.core.agreement_types import CodedSpan
from annotator.core.disagreements import find_disagreements
from annotator.services.adjudication import (
    BY_CONSENSUS,
    BY_NEITHER,
    NEITHER,
    OPEN,
    DisagreementItem,
    consensus_coder_in,
)
from annotator.store.models import Adjudication, Annotation, Code, Coder, Document
from annotator.store.project import ProjectStore

Interval = tuple[int, int]


@dataclass(frozen=True)
class RegionItems:
    """The disagreements of ``[start, end)`` in one document and code (``end`` > ``start``)."""

    document_id: int
    code_id: int
    start: int
    end: int
    items: tuple[DisagreementItem, ...]


def disagreements_in_region(
    store: ProjectStore,
    coders: Sequence[str],
    document_id: int,
    code_id: int,
    start: int,
    end: int,
    code_path: str,
) -> RegionItems:
    """The disagreements among ``coders`` of ``code_id`` in ``document_id`` that overlap
    ``[start, end)``, with their resolution state, and the widened region they cover."""
    with store.reading() as session:
        title = session.scalar(select(Document.title).where(Document.id == document_id)) or ""
        ids = {
            name: coder_id
            for name, coder_id in session.execute(
                select(Coder.name, Coder.id).where(Coder.name.in_(list(coders)))
            )
        }
        names = {coder_id: name for name, coder_id in ids.items()}
        lo, hi = start, end
        rows: list[tuple[int, int, int]] = []
        while True:
            rows = [
                (c, s, e)
                for c, s, e in session.execute(
                    select(Annotation.coder_id, Annotation.start, Annotation.end).where(
                        Annotation.document_id == document_id,
                        Annotation.code_id == code_id,
                        Annotation.coder_id.in_(list(names)),
                        Annotation.start < hi,
                        Annotation.end > lo,
                    )
                )
            ]
            wider = (min([lo, *(r[1] for r in rows)]), max([hi, *(r[2] for r in rows)]))
            if wider == (lo, hi):
                break
            lo, hi = wider
        spans = [CodedSpan(document_id, code_path, names[c], s, e) for c, s, e in rows]
        found = find_disagreements(spans, [c for c in coders if c in ids])
        consensus = consensus_coder_in(session, create=False)
        agreed: list[Interval] = []
        if consensus is not None:
            agreed = [
                (s, e)
                for s, e in session.execute(
                    select(Annotation.start, Annotation.end)
                    .where(
                        Annotation.coder_id == consensus.id,
                        Annotation.document_id == document_id,
                        Annotation.code_id == code_id,
                        Annotation.start < hi,
                        Annotation.end > lo,
                    )
                    .order_by(Annotation.start, Annotation.end)
                )
            ]
        neither = {
            (s, e)
            for s, e in session.execute(
                select(Adjudication.start, Adjudication.end).where(
                    Adjudication.document_id == document_id,
                    Adjudication.code_id == code_id,
                    Adjudication.decision == NEITHER,
                    Adjudication.start < hi,
                    Adjudication.end > lo,
                )
            )
        }
        if session.get(Code, code_id) is None:
            found = []
    items = []
    for d in found:
        mine = tuple(s for s in agreed if s[0] < d.end and s[1] > d.start)
        status = BY_CONSENSUS if mine else BY_NEITHER if (d.start, d.end) in neither else OPEN
        items.append(
            DisagreementItem(document_id, title, code_id, code_path, d.start, d.end, d.versions, status, mine)
        )
    return RegionItems(document_id, code_id, lo, hi, tuple(items))


class DisagreementBook:
    """Every listed disagreement, indexed by document and code, with the resolved count kept up
    to date as regions are replaced (so "n of m resolved" never needs a full re-read)."""

    def __init__(self, items: Sequence[DisagreementItem] = ()) -> None:
        self._by_place: dict[tuple[int, int], list[DisagreementItem]] = {}
        self.total = 0
        self.resolved = 0
        for item in items:
            self._by_place.setdefault((item.document_id, item.code_id), []).append(item)
        for entries in self._by_place.values():
            entries.sort(key=_order)
            self.total += len(entries)
            self.resolved += sum(1 for i in entries if i.resolved)

    def in_document(self, document_id: int, code_id: int | None = None) -> list[DisagreementItem]:
        """One document's disagreements (of one code, or all), ordered by start, code and end."""
        found = [
            item
            for (doc, code), entries in self._by_place.items()
            if doc == document_id and code_id in (None, code)
            for item in entries
        ]
        return sorted(found, key=lambda i: (i.start, i.code_path, i.end))

    def first_coders(self) -> tuple[str, ...]:
        for entries in self._by_place.values():
            if entries:
                return tuple(entries[0].versions)
        return ()

    def replace(self, region: RegionItems) -> list[DisagreementItem]:
        """Put ``region.items`` in place of the old items of that region; return the old ones."""
        entries = self._by_place.setdefault((region.document_id, region.code_id), [])
        old = [i for i in entries if i.start < region.end and i.end > region.start]
        kept = [i for i in entries if not (i.start < region.end and i.end > region.start)]
        entries[:] = sorted([*kept, *region.items], key=_order)
        self.total += len(region.items) - len(old)
        self.resolved += sum(1 for i in region.items if i.resolved) - sum(1 for i in old if i.resolved)
        return old


def _order(item: DisagreementItem) -> tuple[int, int]:
    return (item.start, item.end)
