"""Coverage depth: how many spans cover each position, checked against counting one by one."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.coverage import Crowded, crowded_runs, depths, peak

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 40)), max_size=40)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(spans, st.integers(0, 50), st.integers(0, 50), st.integers(0, 4))
def test_depth_counts_the_spans_over_each_position(
    pairs: list[tuple[int, int]], lo: int, width: int, above: int
) -> None:
    starts = np.array([s for s, _ in pairs], np.int64)
    ends = np.array([s + n for s, n in pairs], np.int64)
    hi = lo + width
    depth = depths(starts, ends, lo, hi)
    expected = [sum(1 for s, e in zip(starts, ends, strict=True) if s <= p < e) for p in range(lo, hi)]
    assert depth.tolist() == expected
    runs = crowded_runs(depth, lo, above)
    crowded = [p for p in range(lo, hi) if expected[p - lo] > above]
    assert [p for r in runs for p in range(r.start, r.end)] == crowded
    for run in runs:
        assert run.depth == max(expected[run.start - lo : run.end - lo])
        assert peak(depth, lo, run.start, run.end) == run.depth
    assert all(a.end < b.start for a, b in itertools.pairwise(runs))  # maximal: apart


def test_a_crowded_paragraph_is_one_run_with_its_peak() -> None:
    starts = np.array([0] * 10 + [5], np.int64)
    ends = np.array([20] * 10 + [8], np.int64)
    depth = depths(starts, ends, 0, 30)
    assert crowded_runs(depth, 0, 6) == [Crowded(0, 20, 11)]
    assert peak(depth, 0, 25, 30) == 0 and peak(depth, 0, 50, 60) == 0
