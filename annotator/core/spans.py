"""Span arithmetic: validating ``[start, end)`` ranges and finding the ones that overlap a range.

``SpanIndex`` answers "which annotations touch this stretch of text?" fast enough to run on every
repaint of the viewer with 100k annotations loaded. ``assign_lanes`` gives overlapping spans
different lanes (stacked underlines, margin bars) so every annotation stays visible.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from typing import Generic, Protocol, TypeVar

import numpy as np
import numpy.typing

# One exception and one rule for spans across the app; the services raise the same ones.
from annotator.core.validation import InvalidSpanError, validate_span

__all__ = ["InvalidSpanError", "SpanIndex", "assign_lanes", "validate_span"]


class HasSpan(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=HasSpan)
Array = np.typing.NDArray[np.int64]
_start_of = attrgetter("start")
_end_of = attrgetter("end")

# Items are grouped by length into tiers: tier t holds lengths in (2^(t+4), 2^(t+5)]
# (tier 0: up to 32). Within a tier, an item overlapping ``lo`` starts after ``lo - bound``,
# so a query scans at most the items starting in (lo - bound, hi) per tier, and half of a tier's
# bound is its minimum length: one very long span cannot slow every query down.
_TIER_SHIFT = 5
_THRESHOLDS = np.left_shift(1, np.arange(_TIER_SHIFT, 63, dtype=np.int64))


def _tier_of(length: int) -> int:
    return max(0, (length - 1).bit_length() - _TIER_SHIFT)


class _Tier:
    """One length tier: parallel arrays sorted by start; ``slots`` index ``SpanIndex._items``."""

    __slots__ = ("bound", "ends", "slots", "starts")

    def __init__(self, tier: int, starts: Array, ends: Array, slots: Array) -> None:
        self.bound = 1 << (tier + _TIER_SHIFT)
        self.starts = starts
        self.ends = ends
        self.slots = slots


class SpanIndex(Generic[T]):
    """Items with ``start``/``end`` attributes, indexed for overlap queries.

    ``overlapping`` is O(t log n + k) for t non-empty length tiers (at most ~20); ``add`` and
    ``remove`` are a binary search plus an array insert/delete (tens of microseconds at 100k).
    Ids (``key(item)``) must be unique. Construction only reads the offsets (~10 ms at 100k);
    the tiers are sorted by ``build`` (call it when idle: ~6 ms at 100k) or on first need, and
    until then a query is one vectorised scan (~0.3 ms at 100k), so a viewer can paint before
    paying for the sort.
    """

    def __init__(
        self,
        items: Iterable[T],
        key: Callable[[T], int],
        starts: Array | None = None,
        ends: Array | None = None,
        ids: Array | None = None,
    ) -> None:
        """Index ``items``; pass ``starts``/``ends``/``ids`` arrays if the caller has them."""
        self._key = key
        self._items: list[T | None] = list(items)
        self._count = len(self._items)
        self._slot_of: dict[int, int] | None = None  # built on first use by id
        self._initial_ids = ids
        self._tiers: dict[int, _Tier] | None = None  # None until built
        n = self._count
        if starts is None:
            starts = np.fromiter(map(_start_of, self._items), np.int64, n)
        if ends is None:
            ends = np.fromiter(map(_end_of, self._items), np.int64, n)
        # Offsets by slot, unsorted: what queries scan until the tiers exist.
        self._unsorted: tuple[Array, Array] = (starts, ends)

    def build(self) -> None:
        """Sort the items into length tiers now (idempotent)."""
        if self._tiers is not None:
            return
        self._tiers = {}
        starts, ends = self._unsorted
        self._unsorted = (np.empty(0, np.int64), np.empty(0, np.int64))
        if not len(starts):
            return
        tiers = np.searchsorted(_THRESHOLDS, np.maximum(ends - starts, 1), side="left")
        # By start, then stably by tier: a radix sort of small ints, cheaper than a lexsort.
        by_start = np.argsort(starts)
        order = by_start[np.argsort(tiers[by_start].astype(np.uint8), kind="stable")]
        tiers_sorted = tiers[order]
        for chunk in np.split(order, np.flatnonzero(np.diff(tiers_sorted)) + 1):
            t = int(tiers[chunk[0]])
            self._tiers[t] = _Tier(t, starts[chunk], ends[chunk], chunk.astype(np.int64))

    def _built(self) -> dict[int, _Tier]:
        if self._tiers is None:
            self.build()
        assert self._tiers is not None
        return self._tiers

    def index_ids(self, ids: Array | None = None) -> None:
        """Build the by-id map now; ``ids`` (by initial item) saves reading every item's key."""
        if self._slot_of is None and ids is not None and self._initial_ids is None:
            self._initial_ids = ids
        self._ids()

    def _ids(self) -> dict[int, int]:
        if self._slot_of is None:
            key = self._key
            # Nothing is added or removed before the map exists, so slots are still 0..n-1.
            if self._initial_ids is not None and len(self._initial_ids) == len(self._items):
                slots = range(len(self._items))
                self._slot_of = dict(zip(self._initial_ids.tolist(), slots, strict=True))
            else:
                self._slot_of = {key(it): slot for slot, it in enumerate(self._items) if it}
            self._initial_ids = None
            if len(self._slot_of) != self._count:
                raise ValueError("SpanIndex items must have unique ids")
        return self._slot_of

    def __len__(self) -> int:
        return self._count

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._ids()

    def __iter__(self) -> Iterator[T]:
        return (item for item in self._items if item is not None)

    def get(self, item_id: int) -> T | None:
        slot = self._ids().get(item_id)
        return None if slot is None else self._items[slot]

    def add(self, item: T) -> None:
        """Add ``item``; an item with the same id is replaced."""
        item_id = self._key(item)
        ids = self._ids()
        if item_id in ids:
            self.remove(item_id)
        slot = len(self._items)
        self._items.append(item)
        ids[item_id] = slot
        self._count += 1
        t = _tier_of(max(item.end - item.start, 1))
        tiers = self._built()
        tier = tiers.get(t)
        if tier is None:
            one = np.array([item.start], np.int64)
            tiers[t] = _Tier(t, one, np.array([item.end], np.int64), np.array([slot]))
            return
        i = int(np.searchsorted(tier.starts, item.start, side="right"))
        tier.starts = np.insert(tier.starts, i, item.start)
        tier.ends = np.insert(tier.ends, i, item.end)
        tier.slots = np.insert(tier.slots, i, slot)

    def remove(self, item_id: int) -> T:
        """Remove and return the item with ``item_id`` (``KeyError`` if absent)."""
        slot = self._ids().pop(item_id)
        item = self._items[slot]
        assert item is not None
        self._items[slot] = None
        self._count -= 1
        tier = self._built()[_tier_of(max(item.end - item.start, 1))]
        i = int(np.searchsorted(tier.starts, item.start, side="left"))
        i += int(np.flatnonzero(tier.slots[i:] == slot)[0])
        tier.starts = np.delete(tier.starts, i)
        tier.ends = np.delete(tier.ends, i)
        tier.slots = np.delete(tier.slots, i)
        return item

    def overlapping(self, lo: int, hi: int) -> list[T]:
        """Items with ``start < hi`` and ``end > lo``, ordered by start then end."""
        return self.items_in(self.overlapping_arrays(lo, hi)[2])

    def overlapping_arrays(self, lo: int, hi: int) -> tuple[Array, Array, Array]:
        """Starts, ends and slots of the items ``overlapping`` returns, in the same order.

        For callers that only count or measure the items: no Python object per item.
        """
        empty = np.empty(0, np.int64)
        if hi <= lo:
            return empty, empty, empty
        if self._tiers is None:
            starts, ends = self._unsorted
            slots = np.flatnonzero((starts < hi) & (ends > lo))
            order = slots[np.lexsort((ends[slots], starts[slots]))]
            return starts[order], ends[order], order.astype(np.int64)
        parts: list[Array] = []
        for tier in self._tiers.values():
            starts = tier.starts
            i = int(np.searchsorted(starts, lo - tier.bound, side="right"))
            j = int(np.searchsorted(starts, hi, side="left"))
            if i < j:
                ends = tier.ends[i:j]
                parts.append(np.stack((starts[i:j], ends, tier.slots[i:j]))[:, ends > lo])
        if not parts:
            return empty, empty, empty
        found = np.concatenate(parts, axis=1)
        order = np.lexsort((found[1], found[0]))
        return found[0, order], found[1, order], found[2, order]

    def items_in(self, slots: Array) -> list[T]:
        """The items at ``slots`` (as ``overlapping_arrays`` gives them)."""
        items = self._items
        return [items[s] for s in slots.tolist()]

    def at(self, pos: int) -> list[T]:
        """Items containing the character at ``pos``."""
        return self.overlapping(pos, pos + 1)


def assign_lanes(spans: Iterable[T], key: Callable[[T], int]) -> dict[int, int]:
    """Greedy interval colouring: overlapping spans get different lanes, lowest lane first.

    The eager reference for ``annotator.core.lanes.LazyLanes``, which the viewer uses and which
    the tests check against this function after every edit.

    Spans are taken by start, longer first, then by id, so the result depends only on the set
    of spans, not on the order they were given in.
    """
    ordered = sorted(spans, key=lambda s: (s.start, -s.end, key(s)))
    lanes: dict[int, int] = {}
    active: list[tuple[int, int]] = []  # (end, lane) of spans still open
    free: list[int] = []
    next_lane = 0
    for span in ordered:
        while active and active[0][0] <= span.start:
            heapq.heappush(free, heapq.heappop(active)[1])
        if free:
            lane = heapq.heappop(free)
        else:
            lane = next_lane
            next_lane += 1
        heapq.heappush(active, (span.end, lane))
        lanes[key(span)] = lane
    return lanes
