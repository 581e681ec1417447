"""Lanes for 100k spans without paying for all of them up front.

``assign_lanes`` (in ``spans``) colours every span at once: ~0.2 s at 100k, too slow for the
viewer's first paint. ``LazyLanes`` gives the same answer but computes the greedy colouring only
as far into the text as has been shown, and on an edit recomputes from the nearest checkpoint
before it, so lanes stay stable while scrolling and adding one span stays cheap. It does not even
sort all spans up front: the greedy colouring of the spans that start before a position needs
only those spans, in order, so the first paint sorts a few hundred of them (``sort_all`` sorts
the rest, when idle).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing

_CHECKPOINT_EVERY = 256
_EXTEND_STEP = 1 << 16  # sort spans into the ordered prefix at least this many positions ahead
_NONE_YET = -(1 << 62)
_ALL = 1 << 62

# The greedy state before a given item: open spans as (end, lane), free lanes, next new lane.
_State = tuple[list[tuple[int, int]], list[int], int]
Array = np.typing.NDArray[np.int64]
Ints = Sequence[int] | Array
# Ids of the spans at the given positions of the sequences passed to LazyLanes.
IdSource = Callable[[Array], Array]


def span_order(starts: Array, ends: Array, ids_of: IdSource) -> Array:
    """Indices that sort spans by start, longer first, then by id (``ids_of`` gives ids).

    One argsort of a combined (start, -end) key, ids read only to break ties: about half the
    cost of a three-key lexsort.
    """
    if not len(starts):
        return np.empty(0, np.int64)
    s0, e0 = int(starts.min()), int(ends.min())
    span = int(ends.max()) - e0 + 1
    if (int(starts.max()) - s0 + 1) * span >= 1 << 62:  # offsets too far apart to combine
        return np.lexsort((ids_of(np.arange(len(starts))), -ends, starts))
    combined = (starts - s0) * span + (span - 1 - (ends - e0))
    order = np.argsort(combined)
    ordered = combined[order]
    tied = np.flatnonzero(ordered[1:] == ordered[:-1])
    if len(tied):
        at = np.union1d(tied, tied + 1)
        group = order[at]
        order[at] = group[np.lexsort((ids_of(group), combined[group]))]
    return order


class LazyLanes:
    """Greedy interval colouring of ``(id, start, end)`` spans, computed on demand.

    ``lane(id)`` is defined for every span starting before the position last passed to
    ``ensure``. Results equal ``assign_lanes`` on the same set of spans.
    """

    def __init__(self, ids: Ints | IdSource = (), starts: Ints = (), ends: Ints = ()) -> None:
        """Take parallel sequences (or int64 arrays) of span ids, starts and ends.

        ``ids`` may instead be a function giving the ids of spans by position, read only for
        the spans that get sorted (reading 100k ids from Python objects takes ~5 ms).
        """
        start_array = np.asarray(starts, dtype=np.int64)
        end_array = np.asarray(ends, dtype=np.int64)
        if callable(ids):
            source: IdSource = ids
        else:
            id_array = np.asarray(ids, dtype=np.int64)
            if len(id_array) != len(start_array):
                raise ValueError("ids, starts and ends must have the same length")

            def source(positions: Array) -> Array:
                return id_array[positions]

        if len(start_array) != len(end_array):
            raise ValueError("ids, starts and ends must have the same length")
        # Sorted prefix: every span starting before _bound, by (start, -end, id).
        self._ids = np.empty(0, np.int64)
        self._starts = np.empty(0, np.int64)
        self._ends = np.empty(0, np.int64)
        self._bound = _NONE_YET
        # The other spans, unsorted, by their position in the arguments.
        self._rest = np.arange(len(start_array), dtype=np.int64)
        self._rest_starts = start_array
        self._ids_of = source
        self._all_starts = start_array
        self._all_ends = end_array
        # Lane, start and end by id. An entry is current if the span sorts before the item at
        # _done (the "edge"): an edit only moves _done back, without visiting what follows.
        self._lanes: dict[int, tuple[int, int, int]] = {}
        self._done = 0  # items [0, _done) have lanes
        self._edge: tuple[int, int, int] | None = None  # sort key of item _done; None: past all
        self._state: _State = ([], [], 0)
        self._checkpoints: list[_State] = [([], [], 0)]
        if not len(start_array):
            self._bound = _ALL

    def _sort_before(self, position: int) -> None:
        """Move the spans starting before ``position`` into the sorted prefix."""
        if position <= self._bound:
            return
        position = max(position, self._bound + _EXTEND_STEP) if self._bound > _NONE_YET else position
        taken = self._rest_starts < position
        picked = self._rest[taken]
        if len(picked):
            starts, ends = self._all_starts[picked], self._all_ends[picked]
            order = span_order(starts, ends, lambda at: self._ids_of(picked[at]))
            self._ids = np.concatenate((self._ids, self._ids_of(picked[order])))
            self._starts = np.concatenate((self._starts, starts[order]))
            self._ends = np.concatenate((self._ends, ends[order]))
            kept = ~taken
            self._rest = self._rest[kept]
            self._rest_starts = self._rest_starts[kept]
        self._bound = position if len(self._rest) else _ALL
        self._set_done(self._done)

    def sort_all(self) -> None:
        """Sort every span now (idle time): ~10 ms at 100k, after which edits are cheap."""
        self._sort_before(_ALL)

    def __len__(self) -> int:
        return len(self._ids) + len(self._rest)

    def _set_done(self, done: int) -> None:
        self._done = done
        if done < len(self._ids):
            self._edge = (int(self._starts[done]), -int(self._ends[done]), int(self._ids[done]))
        else:
            self._edge = None

    def lane(self, span_id: int) -> int | None:
        entry = self._lanes.get(span_id)
        if entry is None:
            return None
        lane, start, end = entry
        edge = self._edge
        return lane if edge is None or (start, -end, span_id) < edge else None

    def ensure(self, position: int) -> None:
        """Compute lanes for every span that starts before ``position``."""
        self._sort_before(position)
        target = int(np.searchsorted(self._starts, position, side="left"))
        if target <= self._done:
            return
        active, free, next_lane = self._state
        lanes = self._lanes
        done = self._done
        ids = self._ids[done:target].tolist()
        starts = self._starts[done:target].tolist()
        ends = self._ends[done:target].tolist()
        for k in range(len(ids)):
            index = done + k
            if index % _CHECKPOINT_EVERY == 0 and index // _CHECKPOINT_EVERY == len(self._checkpoints):
                self._checkpoints.append((list(active), list(free), next_lane))
            start = starts[k]
            while active and active[0][0] <= start:
                heapq.heappush(free, heapq.heappop(active)[1])
            if free:
                lane = heapq.heappop(free)
            else:
                lane = next_lane
                next_lane += 1
            end = ends[k]
            heapq.heappush(active, (end, lane))
            lanes[ids[k]] = (lane, start, end)
        self._state = (active, free, next_lane)
        self._set_done(target)

    def lanes_of(self, span_ids: list[int], before: int) -> list[int]:
        """Lanes of spans ``span_ids``, which all start before ``before`` (computed first)."""
        self.ensure(before)
        lanes = self._lanes  # every span starting before the edge is current: no check needed
        return [lanes[i][0] for i in span_ids]

    def ensure_all(self) -> None:
        self.sort_all()
        self.ensure(int(self._starts[-1]) + 1 if len(self._starts) else 0)

    def _index_of(self, span_id: int, start: int) -> int:
        i = int(np.searchsorted(self._starts, start, side="left"))
        matches = np.flatnonzero(self._ids[i:] == span_id)
        if not len(matches):
            raise KeyError(span_id)
        return i + int(matches[0])

    def _insertion_index(self, span_id: int, start: int, end: int) -> int:
        i = int(np.searchsorted(self._starts, start, side="left"))
        j = int(np.searchsorted(self._starts, start, side="right"))
        while i < j and (-int(self._ends[i]), int(self._ids[i])) < (-end, span_id):
            i += 1
        return i

    def _forget_from(self, index: int) -> None:
        """Forget the lanes of items from ``index`` on, back to the checkpoint before it."""
        if index >= self._done:
            return
        c = index // _CHECKPOINT_EVERY
        del self._checkpoints[c + 1 :]
        active, free, next_lane = self._checkpoints[c]
        self._state = (list(active), list(free), next_lane)
        self._set_done(c * _CHECKPOINT_EVERY)  # later entries go stale, untouched: O(1)

    def add(self, span_id: int, start: int, end: int) -> None:
        """Add a span; its id must not be present (``remove`` the old version first)."""
        self.sort_all()
        i = self._insertion_index(span_id, start, end)
        self._forget_from(i)
        self._lanes.pop(span_id, None)
        self._ids = np.insert(self._ids, i, span_id)
        self._starts = np.insert(self._starts, i, start)
        self._ends = np.insert(self._ends, i, end)
        self._set_done(self._done)

    def remove(self, span_id: int, start: int) -> None:
        """Remove the span ``span_id``, which starts at ``start``."""
        self.sort_all()
        i = self._index_of(span_id, start)
        self._forget_from(i)
        self._lanes.pop(span_id, None)
        self._ids = np.delete(self._ids, i)
        self._starts = np.delete(self._starts, i)
        self._ends = np.delete(self._ends, i)
        self._set_done(self._done)
