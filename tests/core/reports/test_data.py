"""Roll-up of codes into groups and the union of spans that every character figure rests on."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.reports.data import covered, covered_per_group, rolled_codes
from tests.core.reports.builders import NODES, PATHS, data, work


def test_a_sub_code_rolls_into_its_group_only_when_the_group_is_in_scope() -> None:
    codes = {c.id: c for c in rolled_codes(NODES, PATHS, [1, 2, 3, 4])}
    assert codes[2].rolls_into == (2, 1) and codes[2].depth == 1
    assert codes[1].has_children and not codes[4].has_children
    alone = {c.id: c for c in rolled_codes(NODES, PATHS, [2])}
    assert alone[2].rolls_into == (2,)


def test_a_loop_in_the_codebook_does_not_hang() -> None:
    codes = rolled_codes(((1, 2), (2, 1)), {1: "a", 2: "b"}, [1, 2])
    assert {c.id: c.rolls_into for c in codes} == {1: (1, 2), 2: (2, 1)}


def test_rolled_lists_each_segment_under_its_code_and_group() -> None:
    d = data([(1, 2, 10, 0, 5), (1, 4, 10, 0, 5)], [work(1)])
    index, position = d.rolled()
    assert sorted(zip(index.tolist(), position.tolist(), strict=True)) == [(0, 0), (0, 1), (1, 3)]


def test_covered_counts_overlaps_once() -> None:
    assert covered([]) == 0
    assert covered([(0, 5), (3, 8), (10, 12)]) == 10
    assert covered([(0, 10), (2, 3)]) == 10
    assert covered([(4, 4)]) == 0


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(0, 40)), max_size=30))
def test_covered_per_group_equals_a_set_of_characters(spans: list[tuple[int, int, int]]) -> None:
    spans = [(g, min(a, b), max(a, b)) for g, a, b in spans]
    group = np.array([g for g, _, _ in spans], dtype=np.int64)
    start = np.array([s for _, s, _ in spans], dtype=np.int64)
    end = np.array([e for _, _, e in spans], dtype=np.int64)
    expected = [len({i for g, s, e in spans if g == k for i in range(s, e)}) for k in range(4)]
    assert covered_per_group(group, start, end, 4).tolist() == expected
