"""The viewer's highlights: what is drawn for each annotation, indexed for visible-range queries.

Kept free of painting code: ``HighlightSet`` answers "which highlights, in which lane, touch this
stretch of text?" and stays cheap to edit one highlight at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import NamedTuple

import numpy as np
import numpy.typing

from annotator.core.lanes import LazyLanes
from annotator.core.spans import SpanIndex


class Highlight(NamedTuple):
    """One annotation as the viewer shows it. Offsets are code points of the stored text.

    A named tuple rather than a frozen dataclass: opening a work builds one per annotation, and
    a tuple is made in a third of the time (100k: ~60 ms against ~200 ms).
    """

    annotation_id: int
    start: int
    end: int
    colour: str  # "#rrggbb"
    code_name: str = ""
    coder_name: str = ""
    memo: str = ""
    dimmed: bool = False  # another coder's annotation: drawn fainter

    @property
    def length(self) -> int:
        return self.end - self.start


_id_of = attrgetter("annotation_id")
Ids = np.typing.NDArray[np.int64]


def _column(items: Sequence[Highlight], name: str) -> Ids:
    return np.fromiter(map(attrgetter(name), items), np.int64, len(items))


class Visible(NamedTuple):
    """The highlights to draw one by one, with their lanes, and the offsets of every visible one."""

    shown: list[tuple[Highlight, int]]
    starts: Ids
    ends: Ids
    memo: dict[object, object]  # what painters derive from this view, kept while it is current


class HighlightSet:
    """Highlights indexed by position (``SpanIndex``) with lazily assigned lanes (``LazyLanes``).

    Construction reads only the offsets (~10 ms for 100k), enough to paint; the sorting and the
    by-id map are left to ``warm_up_steps``, which the viewer runs while idle, one per event.
    """

    def __init__(self, highlights: Sequence[Highlight] = ()) -> None:
        items = list(highlights)
        self._items = items
        starts = _column(items, "start")
        ends = _column(items, "end")
        self._id_column: Ids | None = None
        self._index: SpanIndex[Highlight] = SpanIndex(items, _id_of, starts, ends)
        self._lanes = LazyLanes(self._ids_of, starts, ends)
        self._edits = 0  # adds and removes so far: what a cached view was computed at
        self._last_view: tuple[tuple[object, ...], Visible] | None = None

    def _ids_of(self, positions: Ids) -> Ids:
        """Annotation ids of the initial highlights at ``positions``."""
        if self._id_column is not None:
            return self._id_column[positions]
        items = self._items
        return np.fromiter((items[i].annotation_id for i in positions.tolist()), np.int64)

    def _read_ids(self) -> None:
        if self._id_column is None:
            self._id_column = _column(self._items, "annotation_id")

    def __len__(self) -> int:
        return len(self._index)

    def get(self, annotation_id: int) -> Highlight | None:
        return self._index.get(annotation_id)

    def add(self, highlight: Highlight) -> None:
        """Add a highlight, replacing any with the same annotation id."""
        self.remove(highlight.annotation_id)
        self._edits += 1
        self._index.add(highlight)
        self._lanes.add(highlight.annotation_id, highlight.start, highlight.end)

    def remove(self, annotation_id: int) -> Highlight | None:
        if annotation_id not in self._index:
            return None
        self._edits += 1
        old = self._index.remove(annotation_id)
        self._lanes.remove(annotation_id, old.start)
        return old

    def visible(self, lo: int, hi: int) -> list[tuple[Highlight, int]]:
        """Highlights overlapping ``[lo, hi)`` with their lanes, by start."""
        found = self._index.overlapping(lo, hi)
        if not found:
            return []
        self._lanes.ensure(hi)
        lane = self._lanes.lane
        return [(h, lane(h.annotation_id) or 0) for h in found]

    def visible_capped(
        self, lo: int, hi: int, *, crowd: int, max_lane: int, keep: frozenset[int] = frozenset()
    ) -> Visible:
        """Like ``visible``; but when more than ``crowd`` highlights are visible, only lanes
        below ``max_lane`` (and ids in ``keep``) come back as highlights. The offsets of all
        of them come as arrays, for drawing a crowded range in aggregate. The last answer is
        kept: repainting the same lines (a click, a selection, a hover) costs nothing."""
        key = (lo, hi, crowd, max_lane, keep, self._edits)
        if self._last_view is not None and self._last_view[0] == key:
            return self._last_view[1]
        view = self._visible_capped(lo, hi, crowd, max_lane, keep)
        self._last_view = (key, view)
        return view

    def _visible_capped(self, lo: int, hi: int, crowd: int, max_lane: int, keep: frozenset[int]) -> Visible:
        starts, ends, slots = self._index.overlapping_arrays(lo, hi)
        if len(slots) <= crowd:
            max_lane = len(slots) + 1
        found = self._index.items_in(slots)
        lanes = self._lanes.lanes_of([h.annotation_id for h in found], hi)
        shown = [
            (h, lane)
            for h, lane in zip(found, lanes, strict=True)
            if lane < max_lane or h.annotation_id in keep
        ]
        return Visible(shown, starts, ends, {})

    def at(self, position: int) -> list[Highlight]:
        """Highlights containing the character at ``position``, innermost (shortest) first."""
        found = self._index.at(position)
        found.sort(key=lambda h: (h.length, h.start, h.annotation_id))
        return found

    def warm_up_steps(self) -> list[Callable[[], None]]:
        """The work left after construction, in pieces of ~5–10 ms at 100k highlights."""
        return [self._index.build, self._read_ids, self._index_ids, self._lanes.sort_all]

    def _index_ids(self) -> None:
        self._index.index_ids(self._id_column)

    def warm_up(self) -> None:
        """Do all of ``warm_up_steps`` now, so the next edit is cheap."""
        for step in self.warm_up_steps():
            step()
