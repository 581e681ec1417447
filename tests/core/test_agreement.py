"""Character-level % agreement, Cohen's κ and character nominal α (annotator.core.agreement)."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import (
    CodedSpan,
    Continuum,
    SpanColumns,
    cohen_kappa,
    coincidence_matrix,
    compute_agreement,
    nominal_alpha_characters,
    nominal_alpha_from_coincidences,
    percent_agreement,
)


def span(coder: str, start: int, end: int, code: str = "x", doc: int = 1) -> CodedSpan:
    return CodedSpan(doc, code, coder, start, end)


# --- hand-computed cases ----------------------------------------------------------------------


def test_half_overlap_gives_kappa_zero() -> None:
    # L = 20; a = [0, 10), b = [5, 15): both 5, only_a 5, only_b 5, neither 5.
    # p_o = 10/20 = .5; p_a = p_b = .5; p_e = .25 + .25 = .5; κ = 0/.5 = 0.
    report = compute_agreement([span("a", 0, 10), span("b", 5, 15)], [Continuum(1, 20)])
    row = report.pair("x", "a", "b")
    assert (row.both, row.only_a, row.only_b, row.neither, row.n) == (5, 5, 5, 5, 20)
    assert row.percent_agreement == 0.5
    assert row.kappa == 0.0


def test_overlapping_spans_of_one_coder_are_unioned() -> None:
    # L = 10; a = [0, 4) ∪ [2, 6) = [0, 6); b = [0, 5): both 5, only_a 1, only_b 0, neither 4.
    # p_o = 9/10; p_a = .6, p_b = .5; p_e = .3 + .2 = .5; κ = (.9 − .5)/(1 − .5) = .8.
    report = compute_agreement([span("a", 0, 4), span("a", 2, 6), span("b", 0, 5)], [Continuum(1, 10)])
    row = report.pair("x", "a", "b")
    assert (row.both, row.only_a, row.only_b, row.neither) == (5, 1, 0, 4)
    assert row.percent_agreement == pytest.approx(0.9)
    assert row.kappa == pytest.approx(0.8)


def test_pooled_sums_tables_over_documents_then_computes() -> None:
    # doc 1 as above: (5, 1, 0, 4). doc 2, L = 10: a = [0, 2), b = [8, 10): (0, 2, 2, 6),
    #   p_o = .6, p_a = p_b = .2, p_e = .04 + .64 = .68, κ = (.6 − .68)/.32 = −.25.
    # pooled: (5, 3, 2, 10), N = 20: p_o = 15/20 = .75; p_a = 8/20 = .4; p_b = 7/20 = .35;
    #   p_e = .4·.35 + .6·.65 = .14 + .39 = .53; κ = (.75 − .53)/.47 = .22/.47.
    spans = [span("a", 0, 4), span("a", 2, 6), span("b", 0, 5)]
    spans += [span("a", 0, 2, doc=2), span("b", 8, 10, doc=2)]
    report = compute_agreement(spans, [Continuum(1, 10), Continuum(2, 10)])
    doc2 = report.pair("x", "a", "b", document_id=2)
    assert (doc2.both, doc2.only_a, doc2.only_b, doc2.neither) == (0, 2, 2, 6)
    assert doc2.kappa == pytest.approx(-0.25)
    pooled = report.pair("x", "a", "b")
    assert (pooled.both, pooled.only_a, pooled.only_b, pooled.neither) == (5, 3, 2, 10)
    assert pooled.percent_agreement == pytest.approx(0.75)
    assert pooled.kappa == pytest.approx(0.22 / 0.47)


def test_zone_filter_counts_only_included_characters() -> None:
    # L = 20, included [0, 5) and [10, 20): 15 characters. a = [0, 12) → in scope [0,5)+[10,12)
    # = 7; b = [3, 20) → [3,5)+[10,20) = 12; both [3,5)+[10,12) = 4; only_a 3; only_b 8;
    # neither 0. p_o = 4/15; p_e = (7·12 + 8·3)/225 = 108/225; κ = (60 − 108)/(225 − 108).
    report = compute_agreement([span("a", 0, 12), span("b", 3, 20)], [Continuum(1, 20, ((0, 5), (10, 20)))])
    row = report.pair("x", "a", "b")
    assert (row.both, row.only_a, row.only_b, row.neither) == (4, 3, 8, 0)
    assert row.percent_agreement == pytest.approx(4 / 15)
    assert row.kappa == pytest.approx(-48 / 117)


def test_all_codes_row_sums_tables_over_codes() -> None:
    # L = 10. code x: a [0, 5), b [0, 5): (5, 0, 0, 5). code y: a [0, 2), b none: (0, 2, 0, 8).
    # "*": (5, 2, 0, 13), N = 20: p_o = 18/20; p_a = 7/20, p_b = 5/20;
    # p_e = (7·5 + 13·15)/400 = 230/400; κ = (360 − 230)/(400 − 230) = 130/170.
    spans = [span("a", 0, 5), span("b", 0, 5), span("a", 0, 2, code="y")]
    row = compute_agreement(spans, [Continuum(1, 10)]).pair("*", "a", "b")
    assert (row.both, row.only_a, row.only_b, row.neither) == (5, 2, 0, 13)
    assert row.kappa == pytest.approx(130 / 170)


def test_spans_outside_the_document_are_clipped() -> None:
    report = compute_agreement([span("a", -5, 4), span("b", 2, 99)], [Continuum(1, 6)])
    row = report.pair("x", "a", "b")  # a = [0, 4), b = [2, 6)
    assert (row.both, row.only_a, row.only_b, row.neither) == (2, 2, 2, 0)


def test_inverted_span_is_an_error() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        compute_agreement([span("a", 5, 4)], [Continuum(1, 10)])


# --- edge cases -------------------------------------------------------------------------------


def test_code_nobody_used_has_undefined_kappa_with_note() -> None:
    report = compute_agreement(
        [span("a", 0, 5)], [Continuum(1, 10)], coders=["a", "b"], codes=["x", "unused"]
    )
    row = report.pair("unused", "a", "b")
    assert row.percent_agreement == 1.0
    assert row.kappa is None
    assert row.kappa_note == "undefined: neither coder used this code in scope (pe = 1)"


def test_both_coders_coding_everything_has_undefined_kappa() -> None:
    row = compute_agreement([span("a", 0, 10), span("b", 0, 10)], [Continuum(1, 10)]).pair("x", "a", "b")
    assert row.kappa is None and "every character" in row.kappa_note
    assert row.percent_agreement == 1.0


def test_identical_coders_have_kappa_one() -> None:
    spans = [span(c, s, e) for c in "ab" for s, e in [(1, 4), (6, 9)]]
    row = compute_agreement(spans, [Continuum(1, 10)]).pair("x", "a", "b")
    assert row.kappa == 1.0 and row.percent_agreement == 1.0 and row.note == ""


@pytest.mark.parametrize("continuum", [Continuum(1, 0), Continuum(1, 10, ()), Continuum(1, 10, ((12, 20),))])
def test_empty_scope_has_undefined_percent_and_kappa(continuum: Continuum) -> None:
    report = compute_agreement([span("a", 0, 5), span("b", 0, 5)], [continuum])
    row = report.pair("x", "a", "b")
    assert row.n == 0
    assert row.percent_agreement is None and row.kappa is None
    assert row.note.startswith("undefined: no characters in scope")


def test_one_coder_gives_no_pairs() -> None:
    report = compute_agreement([span("a", 0, 5)], [Continuum(1, 10)])
    assert report.pairs == ()
    assert report.alpha_u("x").note == "undefined: needs at least two coders"


def test_kappa_formula_edge_values() -> None:
    assert cohen_kappa(0, 0, 0, 0) == (None, percent_agreement(0, 0, 0, 0)[1])
    assert cohen_kappa(0, 5, 5, 0)[0] == -1.0  # perfect disagreement on a balanced table
    assert cohen_kappa(3, 0, 0, 7)[0] == 1.0


# --- properties -------------------------------------------------------------------------------

CODERS = ("ann", "ben", "cat")


@st.composite
def studies(draw: st.DrawFn) -> tuple[list[CodedSpan], list[Continuum]]:
    lengths = draw(st.lists(st.integers(0, 30), min_size=1, max_size=3))
    continua = []
    for d, length in enumerate(lengths):
        zones = draw(
            st.none() | st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=3).map(tuple)
        )
        continua.append(Continuum(d, length, zones))
    spans = []
    for _ in range(draw(st.integers(0, 14))):
        d = draw(st.integers(0, len(lengths) - 1))
        s = draw(st.integers(0, 32))
        e = draw(st.integers(s, 34))
        spans.append(CodedSpan(d, draw(st.sampled_from("xy")), draw(st.sampled_from(CODERS)), s, e))
    return spans, continua


def brute_force_counts(
    spans: list[CodedSpan], continuum: Continuum, code: str, a: str, b: str
) -> tuple[int, int, int, int]:
    """Per-character boolean arrays: the slow, obvious oracle."""
    length = continuum.length
    scope = np.zeros(length, bool)
    for s, e in continuum.included if continuum.included is not None else [(0, length)]:
        scope[max(0, s) : max(0, e)] = True
    coded = {a: np.zeros(length, bool), b: np.zeros(length, bool)}
    for sp in spans:
        if sp.document_id == continuum.document_id and sp.code == code and sp.coder in coded:
            coded[sp.coder][max(0, sp.start) : max(0, sp.end)] = True
    x, y = coded[a][scope], coded[b][scope]
    return int((x & y).sum()), int((x & ~y).sum()), int((~x & y).sum()), int((~x & ~y).sum())


@settings(max_examples=150, deadline=None)
@given(studies())
def test_counts_match_per_character_oracle_and_bounds_hold(
    study: tuple[list[CodedSpan], list[Continuum]],
) -> None:
    spans, continua = study
    report = compute_agreement(spans, continua, coders=CODERS, codes=["x", "y"])
    for c in continua:
        for code in "xy":
            for i, a in enumerate(CODERS):
                for b in CODERS[i + 1 :]:
                    row = report.pair(code, a, b, document_id=c.document_id)
                    expected = brute_force_counts(spans, c, code, a, b)
                    assert (row.both, row.only_a, row.only_b, row.neither) == expected
    for row in report.pairs:
        if row.kappa is not None:
            assert -1.0 <= row.kappa <= 1.0
        if row.percent_agreement is not None:
            assert 0.0 <= row.percent_agreement <= 1.0


@settings(max_examples=100, deadline=None)
@given(studies())
def test_kappa_is_symmetric_in_coders(study: tuple[list[CodedSpan], list[Continuum]]) -> None:
    spans, continua = study
    forward = compute_agreement(spans, continua, coders=CODERS, codes=["x", "y"])
    backward = compute_agreement(spans, continua, coders=CODERS[::-1], codes=["x", "y"])
    for row in forward.pairs:
        other = backward.pair(row.code, row.coder_b, row.coder_a, row.document_id)
        assert (other.only_a, other.only_b) == (row.only_b, row.only_a)
        assert other.kappa == row.kappa and other.percent_agreement == row.percent_agreement


@settings(max_examples=100, deadline=None)
@given(studies())
def test_identical_coders_agree_perfectly_when_defined(
    study: tuple[list[CodedSpan], list[Continuum]],
) -> None:
    spans, continua = study
    copied = [s for s in spans if s.coder == "ann"]
    copied += [CodedSpan(s.document_id, s.code, "twin", s.start, s.end) for s in copied]
    report = compute_agreement(copied, continua, coders=["ann", "twin"], codes=["x", "y"])
    for row in report.pairs:
        assert row.only_a == row.only_b == 0
        assert row.kappa in (1.0, None)
        assert row.percent_agreement in (1.0, None)


@settings(max_examples=100, deadline=None)
@given(studies(), st.booleans())
def test_span_columns_give_the_same_report_as_span_objects(
    study: tuple[list[CodedSpan], list[Continuum]], named: bool
) -> None:
    """The columnar path large projects take must not change a single figure."""
    spans, continua = study
    names = {"coders": CODERS, "codes": ["x", "y"]} if named else {}
    objects = compute_agreement(spans, continua, **names)
    columns = compute_agreement(SpanColumns.from_spans(spans), continua, **names)
    assert (columns.coders, columns.codes, columns.document_ids) == (
        objects.coders,
        objects.codes,
        objects.document_ids,
    )
    assert columns.pairs == objects.pairs
    assert columns.unitizing.keys() == objects.unitizing.keys()
    for key, alpha in objects.unitizing.items():
        assert columns.unitizing[key] == alpha


def test_span_columns_reject_ragged_arrays_and_unknown_indexes() -> None:
    with pytest.raises(ValueError, match="equal length"):
        SpanColumns([1, 1], [0], [0], [0], [1], codes=("x",), coders=("a",))
    with pytest.raises(ValueError, match="outside the names"):
        SpanColumns([1], [1], [0], [0], [1], codes=("x",), coders=("a",))
    ignored = SpanColumns([1], [-1], [0], [0], [5], codes=("x",), coders=("a", "b"))
    report = compute_agreement(ignored, [Continuum(1, 10)], coders=["a", "b"], codes=["x"])
    assert report.pair("x", "a", "b").only_a == 0  # index −1 marks a row to ignore


# --- nominal α: published example and the krippendorff package as oracle ---------------------


def test_nominal_alpha_reproduces_krippendorff_2011_example() -> None:
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C (4 coders,
    12 units, missing values): nominal α = 0.743. Values 1..5 → 0..4, missing → −1."""
    data = [
        [0, 1, 2, 2, 1, 0, 3, 0, 1, -1, -1, -1],
        [0, 1, 2, 2, 1, 1, 3, 0, 1, 4, -1, 2],
        [-1, 2, 2, 2, 1, 2, 3, 1, 1, 4, 0, -1],
        [0, 1, 2, 2, 1, 3, 3, 0, 1, 4, 0, -1],
    ]
    result = nominal_alpha_from_coincidences(coincidence_matrix(data))
    assert result.alpha is not None and round(result.alpha, 3) == 0.743


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 4), st.integers(2, 25), st.integers(2, 4), st.data())
def test_coincidence_alpha_matches_krippendorff_package(m: int, n: int, v: int, data: st.DataObject) -> None:
    values = np.array(data.draw(st.lists(st.integers(-1, v - 1), min_size=m * n, max_size=m * n))).reshape(
        m, n
    )
    ours = nominal_alpha_from_coincidences(coincidence_matrix(values, v))
    reliability = np.where(values < 0, np.nan, values.astype(float))
    pairable = (~np.isnan(reliability)).sum(axis=0) >= 2
    distinct = np.unique(reliability[:, pairable][~np.isnan(reliability[:, pairable])])
    if distinct.size < 2:
        assert ours.alpha is None
        return
    theirs = krippendorff.alpha(reliability, level_of_measurement="nominal")
    assert ours.alpha == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(studies())
def test_character_alpha_matches_krippendorff_package(
    study: tuple[list[CodedSpan], list[Continuum]],
) -> None:
    spans, continua = study
    ours = nominal_alpha_characters(spans, continua, "x", coders=CODERS)
    rows = []
    for c in continua:  # one row per coder, one column per in-scope character
        per_coder = [brute_force_counts_vector(spans, c, coder) for coder in CODERS]
        rows.append(np.array(per_coder, dtype=float))
    reliability = np.hstack(rows) if rows else np.zeros((3, 0))
    if reliability.shape[1] == 0 or np.unique(reliability).size < 2:
        assert ours.alpha is None
        return
    theirs = krippendorff.alpha(reliability, level_of_measurement="nominal")
    assert ours.alpha is not None and math.isclose(ours.alpha, theirs, abs_tol=1e-9)


def brute_force_counts_vector(spans: list[CodedSpan], c: Continuum, coder: str) -> np.ndarray:
    """0/1 per in-scope character of ``c``: whether ``coder`` coded it with code x."""
    scope = np.zeros(c.length, bool)
    for s, e in c.included if c.included is not None else [(0, c.length)]:
        scope[max(0, s) : max(0, e)] = True
    coded = np.zeros(c.length, bool)
    for sp in spans:
        if sp.document_id == c.document_id and sp.code == "x" and sp.coder == coder:
            coded[max(0, sp.start) : max(0, sp.end)] = True
    return coded[scope].astype(float)


def test_character_alpha_edge_cases() -> None:
    one = nominal_alpha_characters([span("a", 0, 3)], [Continuum(1, 10)], "x")
    assert one.alpha is None and "two coders" in one.note
    unused = nominal_alpha_characters([], [Continuum(1, 10)], "x", coders=["a", "b"])
    assert unused.alpha is None and "expected disagreement 0" in unused.note
    same = nominal_alpha_characters([span("a", 0, 3), span("b", 0, 3)], [Continuum(1, 10)], "x")
    assert same.alpha == 1.0


def test_empty_inputs_give_notes_not_errors() -> None:
    nothing = compute_agreement([], [])
    assert nothing.pairs == () and nothing.alpha_u().alpha is None
    no_codes = compute_agreement([], [Continuum(1, 10)], coders=["a", "b"])
    everything = no_codes.pair("*", "a", "b")  # "*" counts character × code decisions: none
    assert everything.n == 0 and everything.kappa is None
    assert no_codes.alpha_u().note == "undefined: no coder used any code in scope"


def test_all_codes_row_ignores_codes_nobody_used() -> None:
    """Issue 14: listing an unused code (or a group's parent) must not add "neither" characters."""
    spans = [span("a", 0, 5), span("b", 0, 4), span("a", 8, 9)]
    alone = compute_agreement(spans, [Continuum(1, 10)], codes=["x"])
    padded = compute_agreement(spans, [Continuum(1, 10)], codes=["x", "unused", "parent"])
    for report in (alone, padded):
        row = report.pair("*", "a", "b")
        assert (row.both, row.only_a, row.only_b, row.neither) == (4, 2, 0, 4)
    assert padded.pair("*", "a", "b").kappa == alone.pair("*", "a", "b").kappa
    assert padded.alpha_u().alpha == alone.alpha_u().alpha
    # per document, the same codes count, so the pooled row is the sum of the document rows
    assert padded.pair("*", "a", "b", document_id=1).neither == 4


def test_all_codes_row_when_no_listed_code_was_used() -> None:
    row = compute_agreement([], [Continuum(1, 10)], coders=["a", "b"], codes=["x"]).pair("*", "a", "b")
    assert row.n == 0 and row.kappa is None and row.note == "undefined: no coder used any code in scope"
