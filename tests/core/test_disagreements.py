"""Disagreement clusters and character runs (annotator.core.disagreements)."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import CodedSpan, Continuum, compute_agreement
from annotator.core.agreement_table import SpanColumns
from annotator.core.disagreements import (
    Disagreement,
    DisagreementRun,
    character_disagreement_runs,
    clip_to_zones,
    find_disagreements,
    find_disagreements_in_columns,
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


_SPANS = st.lists(
    st.tuples(
        st.integers(1, 2),  # document
        st.sampled_from(("x", "y")),
        st.sampled_from(("ann", "ben", "cat")),
        st.integers(0, 40),
        st.integers(0, 12),  # length (0: ignored, as empty spans are)
    ),
    max_size=30,
)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(_SPANS)
def test_the_column_form_finds_the_same_disagreements_in_the_same_order(
    raw: list[tuple[int, str, str, int, int]],
) -> None:
    coders = ("ann", "ben", "cat")
    spans = [CodedSpan(doc, code, coder, start, start + length) for doc, code, coder, start, length in raw]
    columns = SpanColumns.from_spans(spans)
    # Ask about all three coders even when some coded nothing (from_spans lists only those who did).
    columns = SpanColumns(
        columns.document_id,
        columns.code_index,
        np.array([coders.index(columns.coders[i]) for i in columns.coder_index], dtype=np.int64),
        columns.start,
        columns.end,
        columns.codes,
        coders,
    )
    assert find_disagreements_in_columns(columns) == find_disagreements(spans, coders)


def test_the_column_form_of_a_worked_case() -> None:
    spans = [
        span("ann", 0, 5),
        span("ben", 0, 5),
        span("ann", 10, 20),
        span("ben", 12, 20),
        span("ann", 12, 20),
    ]
    [found] = find_disagreements_in_columns(SpanColumns.from_spans(spans))
    # ann's own overlapping [10, 20) and [12, 20) are one span, as the statistics count them
    assert found == Disagreement(1, "x", 10, 20, {"ann": ((10, 20),), "ben": ((12, 20),)})
    assert find_disagreements_in_columns(SpanColumns.from_spans([])) == []


def test_a_coders_own_overlapping_spans_are_not_a_disagreement() -> None:
    """Issue 14: alice [40, 50) + [45, 60) against bob [40, 60) has κ = αU = 1; nothing to list."""
    spans = [span("alice", 40, 50), span("alice", 45, 60), span("bob", 40, 60)]
    assert find_disagreements(spans, ["alice", "bob"]) == []
    assert find_disagreements_in_columns(SpanColumns.from_spans(spans)) == []
    assert summarise(spans, ["alice", "bob"]).agreed == 1
    report = compute_agreement(spans, [Continuum(1, 100)])
    assert report.pair("x", "alice", "bob").kappa == 1.0 and report.alpha_u("x").alpha == 1.0
    # touching spans stay two units: a different segmentation is still listed
    touching = [span("alice", 40, 50), span("alice", 50, 60), span("bob", 40, 60)]
    [found] = find_disagreements_in_columns(SpanColumns.from_spans(touching))
    assert found.versions == {"alice": ((40, 50), (50, 60)), "bob": ((40, 60),)}


@settings(derandomize=True, max_examples=200, deadline=None)
@given(_SPANS)
def test_nothing_is_listed_exactly_when_alpha_u_is_one(raw: list[tuple[int, str, str, int, int]]) -> None:
    """The list shows what the statistics count: no disagreement in a code ⇔ its αU is 1."""
    spans = [CodedSpan(d, code, coder, s, s + n) for d, code, coder, s, n in raw if n > 0]
    coders = ("ann", "ben", "cat")
    found = {d.code for d in find_disagreements(spans, coders)}
    assert found == {d.code for d in find_disagreements_in_columns(_columns(spans, coders))}
    report = compute_agreement(spans, [Continuum(1, 60), Continuum(2, 60)], coders=coders)
    for code in report.codes:
        assert (code not in found) == (report.alpha_u(code).alpha == pytest.approx(1.0))


def _columns(spans: list[CodedSpan], coders: tuple[str, ...]) -> SpanColumns:
    """Columns naming every coder asked about, including those without spans."""
    codes = tuple(sorted({s.code for s in spans}))
    return SpanColumns(
        np.array([s.document_id for s in spans], dtype=np.int64),
        np.array([codes.index(s.code) for s in spans], dtype=np.int64),
        np.array([coders.index(s.coder) for s in spans], dtype=np.int64),
        np.array([s.start for s in spans], dtype=np.int64),
        np.array([s.end for s in spans], dtype=np.int64),
        codes,
        coders,
    )


def test_clip_to_zones_cuts_spans_to_the_included_text() -> None:
    spans = [span("ann", 0, 30), span("ben", 12, 18), span("ben", 22, 28), span("ann", 5, 9, doc=2)]
    clipped = clip_to_zones(spans, {1: ((0, 10), (20, 25)), 2: None})
    assert [(s.coder, s.start, s.end, s.document_id) for s in clipped] == [
        ("ann", 0, 10, 1),
        ("ann", 20, 25, 1),
        ("ben", 22, 25, 1),  # [12, 18) lies wholly in excluded text: dropped
        ("ann", 5, 9, 2),
    ]
