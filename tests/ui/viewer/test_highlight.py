"""The highlight index: exactly the spans overlapping a range, innermost-first lookups, lanes, edits."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from annotator.ui.viewer.highlight import Highlight, HighlightSet

RED = "#ff0000"


def ids(found: list[tuple[Highlight, int]]) -> list[int]:
    return sorted(h.annotation_id for h, _ in found)


def test_visible_returns_exactly_the_highlights_overlapping_the_range() -> None:
    highlights = HighlightSet(
        [
            Highlight(1, 0, 10, RED),  # ends where the range starts
            Highlight(2, 5, 11, RED),  # ends one inside it
            Highlight(3, 10, 20, RED),  # inside
            Highlight(4, 19, 20, RED),  # last character of the range
            Highlight(5, 20, 30, RED),  # starts where the range ends
            Highlight(6, 0, 1000, RED),  # covers all of it
            Highlight(7, 12, 15, RED),  # overlaps 3, inside the range
        ]
    )
    assert ids(highlights.visible(10, 20)) == [2, 3, 4, 6, 7]
    assert ids(highlights.visible(500, 600)) == [6]
    assert highlights.visible(2000, 3000) == []
    found = highlights.visible(10, 20)
    assert [h.start for h, _ in found] == sorted(h.start for h, _ in found)


def test_overlapping_highlights_get_different_lanes_and_lanes_are_reused() -> None:
    spans = [(0, 50), (10, 30), (20, 40), (60, 70)]
    highlights = HighlightSet([Highlight(i + 1, s, e, RED) for i, (s, e) in enumerate(spans)])
    lanes = {h.annotation_id: lane for h, lane in highlights.visible(0, 100)}
    assert len({lanes[1], lanes[2], lanes[3]}) == 3
    assert lanes[4] == 0  # nothing else open there: back to the first lane


def test_at_gives_the_highlights_under_a_character_innermost_first() -> None:
    highlights = HighlightSet([Highlight(1, 0, 40, RED), Highlight(2, 5, 15, RED), Highlight(3, 8, 12, RED)])
    assert [h.annotation_id for h in highlights.at(10)] == [3, 2, 1]
    assert [h.annotation_id for h in highlights.at(12)] == [2, 1]  # end is exclusive
    assert [h.annotation_id for h in highlights.at(5)] == [2, 1]  # start is inclusive
    assert highlights.at(40) == []


def test_add_replaces_by_annotation_id_and_remove_forgets() -> None:
    highlights = HighlightSet([Highlight(1, 0, 10, RED)])
    highlights.add(Highlight(1, 50, 60, "#0000ff", "Fear"))
    assert len(highlights) == 1
    assert highlights.get(1) == Highlight(1, 50, 60, "#0000ff", "Fear")
    assert highlights.visible(0, 10) == []
    assert ids(highlights.visible(55, 56)) == [1]
    removed = highlights.remove(1)
    assert removed is not None and removed.start == 50
    assert highlights.remove(1) is None
    assert highlights.get(1) is None and highlights.visible(0, 100) == [] and len(highlights) == 0


span = st.tuples(st.integers(0, 300), st.integers(1, 80)).map(lambda p: (p[0], p[0] + p[1]))


@given(
    st.lists(span, max_size=40),
    st.lists(st.tuples(st.integers(1, 50), span), max_size=10),
    st.integers(0, 400),
    st.integers(1, 100),
    st.booleans(),
)
def test_index_agrees_with_a_scan_before_and_after_edits(
    initial: list[tuple[int, int]],
    edits: list[tuple[int, tuple[int, int]]],
    lo: int,
    size: int,
    warm: bool,
) -> None:
    expected = {i + 1: Highlight(i + 1, s, e, RED) for i, (s, e) in enumerate(initial)}
    highlights = HighlightSet(list(expected.values()))
    if warm:
        highlights.warm_up()
    for annotation_id, (s, e) in edits:  # an id seen before replaces that highlight
        highlights.add(Highlight(annotation_id, s, e, RED))
        expected[annotation_id] = Highlight(annotation_id, s, e, RED)
    for annotation_id in [i for i, _ in edits][::2]:
        highlights.remove(annotation_id)
        expected.pop(annotation_id, None)
    hi = lo + size
    found = highlights.visible(lo, hi)
    assert ids(found) == sorted(i for i, h in expected.items() if h.end > lo and h.start < hi)
    assert all(highlights.get(i) == h for i, h in expected.items())
    for (a, lane_a), (b, lane_b) in combinations(found, 2):
        if a.start < b.end and b.start < a.end:
            assert lane_a != lane_b, (a, b)
    under = [h.annotation_id for h in highlights.at(lo)]
    assert sorted(under) == sorted(i for i, h in expected.items() if h.start <= lo < h.end)
    assert [expected[i].length for i in under] == sorted(expected[i].length for i in under)
