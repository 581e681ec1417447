"""SpanIndex overlap queries, lane colouring (eager and lazy) and span validation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.lanes import LazyLanes, span_order
from annotator.core.spans import InvalidSpanError, SpanIndex, assign_lanes, validate_span


@dataclass(frozen=True)
class Item:
    id: int
    start: int
    end: int


def key(item: Item) -> int:
    return item.id


spans_strategy = st.lists(st.tuples(st.integers(0, 2000), st.integers(1, 3000)), max_size=120).map(
    lambda pairs: [Item(i, s, s + n) for i, (s, n) in enumerate(pairs)]
)


def brute(items: list[Item], lo: int, hi: int) -> list[int]:
    return sorted(it.id for it in items if it.start < hi and it.end > lo)


@settings(max_examples=200, deadline=None)
@given(spans_strategy, st.integers(0, 5000), st.integers(1, 500))
def test_overlapping_matches_brute_force(items: list[Item], lo: int, width: int) -> None:
    index = SpanIndex(items, key)
    for _ in ("scanned before the tiers are built", "then from the tiers"):
        found = index.overlapping(lo, lo + width)
        assert sorted(it.id for it in found) == brute(items, lo, lo + width)
        assert [(it.start, it.end) for it in found] == sorted((it.start, it.end) for it in found)
        index.build()


@settings(max_examples=100, deadline=None)
@given(spans_strategy, st.data())
def test_add_and_remove_keep_queries_right(items: list[Item], data: st.DataObject) -> None:
    index: SpanIndex[Item] = SpanIndex([], key)
    live: dict[int, Item] = {}
    for item in items:
        index.add(item)
        live[item.id] = item
        remove_one = data.draw(st.booleans())
        if live and remove_one:
            victim = data.draw(st.sampled_from(sorted(live)))
            assert index.remove(victim) == live.pop(victim)
    assert len(index) == len(live)
    lo = data.draw(st.integers(0, 5000))
    assert sorted(it.id for it in index.overlapping(lo, lo + 300)) == brute(list(live.values()), lo, lo + 300)
    assert sorted(it.id for it in index) == sorted(live)


def test_add_replaces_same_id_and_get() -> None:
    index = SpanIndex([Item(1, 0, 10)], key)
    index.add(Item(1, 50, 60))
    assert len(index) == 1 and index.get(1) == Item(1, 50, 60)
    assert 1 in index and index.at(5) == [] and index.at(55) == [Item(1, 50, 60)]
    with pytest.raises(KeyError):
        index.remove(2)


def test_empty_and_reversed_queries() -> None:
    index = SpanIndex([Item(1, 0, 10)], key)
    assert index.overlapping(5, 5) == [] and index.overlapping(6, 2) == []
    assert index.overlapping(10, 20) == []  # half-open


def test_duplicate_ids_are_refused() -> None:
    index = SpanIndex([Item(1, 0, 10), Item(1, 5, 8)], key)
    with pytest.raises(ValueError):
        index.get(1)


# How fast these are at 100k spans is measured by benchmarks/bench_spans.py, not asserted here.


def test_a_long_span_is_found_with_the_short_ones_it_covers() -> None:
    items = [Item(i, i * 10, i * 10 + 5) for i in range(100_000)] + [Item(-1, 0, 1_000_000)]
    index = SpanIndex(items, key)
    for _ in ("scanned before the tiers are built", "then from the tiers"):
        found = index.overlapping(500_000, 500_100)
        assert [it.id for it in found] == [-1, *range(50_000, 50_010)]  # by start
        index.build()


def test_add_then_remove_at_100k_leaves_the_index_as_it_was() -> None:
    index = SpanIndex([Item(i, i * 7, i * 7 + 40) for i in range(100_000)], key)
    index.remove(5)  # builds the id map once
    before = index.overlapping(100, 500)
    for attempt in range(5):
        index.add(Item(10**9 + attempt, 123, 456))
        assert Item(10**9 + attempt, 123, 456) in index.overlapping(100, 500)
        index.remove(10**9 + attempt)
    assert len(index) == 99_999 and 5 not in index
    assert index.overlapping(100, 500) == before


def lanes_valid(items: list[Item], lanes: dict[int, int]) -> None:
    for a in items:
        for b in items:
            if a.id < b.id and a.start < b.end and b.start < a.end:
                assert lanes[a.id] != lanes[b.id]


@settings(max_examples=200, deadline=None)
@given(spans_strategy)
def test_assign_lanes_separates_overlaps_and_is_order_independent(items: list[Item]) -> None:
    lanes = assign_lanes(items, key)
    assert set(lanes) == {it.id for it in items}
    lanes_valid(items, lanes)
    assert assign_lanes(list(reversed(items)), key) == lanes
    # Greedy uses no more lanes than the maximum depth of overlap.
    if items:
        points = {it.start for it in items}
        depth = max(sum(1 for it in items if it.start <= p < it.end) for p in points)
        assert max(lanes.values()) + 1 == depth


def test_assign_lanes_lane_zero_first() -> None:
    lanes = assign_lanes([Item(1, 0, 10), Item(2, 2, 5), Item(3, 20, 30)], key)
    assert lanes == {1: 0, 2: 1, 3: 0}


@settings(max_examples=60, deadline=None)
@given(spans_strategy, st.data())
def test_lazy_lanes_equal_assign_lanes_through_edits(items: list[Item], data: st.DataObject) -> None:
    lazy = LazyLanes([it.id for it in items], [it.start for it in items], [it.end for it in items])
    live = {it.id: it for it in items}
    next_id = 10_000
    for _ in range(data.draw(st.integers(0, 6))):
        lazy.ensure(data.draw(st.integers(0, 5000)))
        remove_one = data.draw(st.booleans())
        if live and remove_one:
            victim = live.pop(data.draw(st.sampled_from(sorted(live))))
            lazy.remove(victim.id, victim.start)
        else:
            start = data.draw(st.integers(0, 4000))
            new = Item(next_id, start, start + data.draw(st.integers(1, 800)))
            next_id += 1
            live[new.id] = new
            lazy.add(new.id, new.start, new.end)
    expected = assign_lanes(list(live.values()), key)
    shown_to = data.draw(st.integers(0, 5000))
    lazy.ensure(shown_to)
    for item in live.values():  # what an edit left stale is never reported
        lane = lazy.lane(item.id)
        assert lane == expected[item.id] or (lane is None and item.start >= shown_to)
    lazy.ensure_all()
    assert {i: lazy.lane(i) for i in live} == expected
    assert len(lazy) == len(live)


def test_lazy_lanes_compute_only_what_is_asked() -> None:
    n = 20_000
    lazy = LazyLanes(range(n), [i * 10 for i in range(n)], [i * 10 + 25 for i in range(n)])
    lazy.ensure(100)
    assert lazy.lane(5) is not None and lazy.lane(n - 1) is None
    with pytest.raises(KeyError):
        lazy.remove(n + 5, 0)


def test_lazy_lanes_read_ids_only_for_the_spans_they_sort() -> None:
    n = 20_000
    starts = np.arange(n, dtype=np.int64) * 10
    ends = starts + 25
    ids = np.arange(n, dtype=np.int64) + 1_000
    asked: list[int] = []

    def ids_of(positions: np.ndarray) -> np.ndarray:
        asked.extend(positions.tolist())
        return np.asarray(ids[positions])

    lazy = LazyLanes(ids_of, starts, ends)
    lazy.ensure(100)  # what a first paint at the top of the text asks
    assert [lazy.lane(1_000 + i) for i in range(10)] == [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]
    assert lazy.lane(1_000 + n - 1) is None
    assert len(asked) < n // 10
    lazy.sort_all()
    lazy.add(5, 15, 16)  # edits work on the fully sorted spans
    lazy.remove(1_003, 30)
    lazy.ensure_all()
    live = [Item(1_000 + i, i * 10, i * 10 + 25) for i in range(n) if i != 3] + [Item(5, 15, 16)]
    assert {it.id: lazy.lane(it.id) for it in live} == assign_lanes(live, key)
    assert len(lazy) == n


@settings(max_examples=100, deadline=None)
@given(spans_strategy, st.booleans())
def test_span_order_is_start_then_longer_then_id(items: list[Item], far_apart: bool) -> None:
    shift = 1 << 40 if far_apart else 0  # offsets too far apart to combine into one key
    starts = np.array([it.start + (shift if it.id % 2 else 0) for it in items], np.int64)
    ends = np.array([it.end + (shift if it.id % 2 else 0) for it in items], np.int64)
    ids = np.array([-it.id for it in items], np.int64)  # ties broken by id, not by position
    order = span_order(starts, ends, lambda at: ids[at])
    expected = sorted(range(len(items)), key=lambda i: (starts[i], -ends[i], ids[i]))
    assert order.tolist() == expected


@pytest.mark.parametrize(
    ("start", "end", "length"), [(-1, 3, 10), (3, 3, 10), (5, 2, 10), (0, 11, 10), (-3, -1, 10)]
)
def test_validate_span_rejects(start: int, end: int, length: int) -> None:
    with pytest.raises(InvalidSpanError) as info:
        validate_span(start, end, length)
    assert isinstance(info.value, ValueError)
    assert str(start) in str(info.value) or str(end) in str(info.value)


def test_validate_span_accepts_whole_text() -> None:
    validate_span(0, 10, 10)
    validate_span(9, 10, 10)
