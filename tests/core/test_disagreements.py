"""Disagreement clusters and character runs (annotator.core.disagreements)."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import CodedSpan
from annotator.core.disagreements import (
    Disagreement,
    DisagreementRun,
    character_disagreement_runs,
    find_disagreements,
    summarise,
)

CODERS = ("ann", "ben")


def span(coder: str, start: int, end: int, code: str = "x", doc: int = 1) -> CodedSpan:
    return CodedSpan(doc, code, coder, start, end)


def test_identical_cluster_is_an_agreement() -> None:
    spans = [span("ann", 0, 5), span("ben", 0, 5)]
    assert find_disagreements(spans, CODERS) == []
    assert summarise(spans, CODERS).agreed == 1


def test_missing_coder_and_different_boundaries_are_disagreements() -> None:
    spans = [span("ann", 0, 5), span("ann", 10, 20), span("ben", 12, 20)]
    assert find_disagreements(spans, CODERS) == [
        Disagreement(1, "x", 0, 5, {"ann": ((0, 5),), "ben": ()}),
        Disagreement(1, "x", 10, 20, {"ann": ((10, 20),), "ben": ((12, 20),)}),
    ]


def test_different_segmentation_is_a_disagreement() -> None:
    spans = [span("ann", 0, 10), span("ben", 0, 5), span("ben", 5, 10)]
    (only,) = find_disagreements(spans, CODERS)
    assert only.versions == {"ann": ((0, 10),), "ben": ((0, 5), (5, 10))}


def test_clusters_are_transitive_and_touching_spans_stay_apart() -> None:
    # [0,4) overlaps [3,8) which overlaps [7,9): one cluster; [9,12) only touches it.
    spans = [span("ann", 0, 4), span("ben", 3, 8), span("ann", 7, 9), span("ben", 9, 12)]
    found = find_disagreements(spans, CODERS)
    assert [(d.start, d.end) for d in found] == [(0, 9), (9, 12)]


def test_other_coders_are_ignored_and_order_is_document_start_code() -> None:
    spans = [
        span("ann", 5, 6, code="b", doc=2),
        span("ann", 5, 6, code="a", doc=2),
        span("ann", 1, 2, doc=3),
        span("eve", 0, 1),
        span("ann", 8, 9, doc=1),
    ]
    found = find_disagreements(spans, CODERS)
    assert [(d.document_id, d.start, d.code) for d in found] == [
        (1, 8, "x"),
        (2, 5, "a"),
        (2, 5, "b"),
        (3, 1, "x"),
    ]


def test_summarise_counts_per_code() -> None:
    spans = [
        span("ann", 0, 5),
        span("ben", 0, 5),
        span("ann", 8, 9),
        span("ann", 0, 3, code="y"),
        span("ben", 0, 3, code="y"),
    ]
    summary = summarise(spans, CODERS)
    assert (summary.agreed, summary.disagreed) == (2, 1)
    assert summary.by_code == {"x": (1, 1), "y": (1, 0)}


def test_character_runs() -> None:
    # ann [0, 10) ∪ [12, 15); ben [5, 13): only ann [0, 5), [13, 15); only ben [10, 12).
    spans = [span("ann", 0, 10), span("ann", 12, 15), span("ben", 5, 13), span("ben", 0, 3, "y")]
    assert character_disagreement_runs(spans, 1, "x", "ann", "ben") == [
        DisagreementRun(0, 5, "ann"),
        DisagreementRun(10, 12, "ben"),
        DisagreementRun(13, 15, "ann"),
    ]
    assert character_disagreement_runs(spans, 1, "x", "ann", "ben", included=[(2, 11)]) == [
        DisagreementRun(2, 5, "ann"),
        DisagreementRun(10, 11, "ben"),
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(CODERS), st.integers(0, 30), st.integers(0, 8)), max_size=10),
    st.none() | st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=3),
)
def test_runs_are_exactly_the_characters_only_one_coder_coded(
    raw: list[tuple[str, int, int]], included: list[tuple[int, int]] | None
) -> None:
    spans = [span(c, s, s + n) for c, s, n in raw]
    runs = character_disagreement_runs(spans, 1, "x", "ann", "ben", included)
    coded = {c: np.zeros(40, bool) for c in CODERS}
    for c, s, n in raw:
        coded[c][s : s + n] = True
    scope = np.ones(40, bool) if included is None else np.zeros(40, bool)
    for s, e in included or []:
        scope[s:e] = True
    drawn = {c: np.zeros(40, bool) for c in CODERS}
    for r in runs:
        assert not drawn[r.coder][r.start : r.end].any()
        drawn[r.coder][r.start : r.end] = True
    assert (drawn["ann"] == (coded["ann"] & ~coded["ben"] & scope)).all()
    assert (drawn["ben"] == (coded["ben"] & ~coded["ann"] & scope)).all()
    # Maximal: runs of the same coder never touch.
    for a, b in pairwise(runs):
        assert a.end <= b.start and not (a.end == b.start and a.coder == b.coder)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CODERS), st.integers(0, 30), st.integers(1, 8)), max_size=10))
def test_every_span_is_in_exactly_one_cluster(raw: list[tuple[str, int, int]]) -> None:
    spans = [span(c, s, s + n) for c, s, n in raw]
    found = find_disagreements(spans, CODERS)
    summary = summarise(spans, CODERS)
    assert summary.disagreed == len(found)
    assert found == sorted(found, key=lambda d: (d.document_id, d.start, d.code))
    covered = sorted((c, s, e) for d in found for c, v in d.versions.items() for s, e in v)
    assert len(covered) == len(set(covered))
    for d in found:
        assert len(set(d.versions.values())) > 1
        for v in d.versions.values():
            assert all(d.start <= s and e <= d.end for s, e in v)
