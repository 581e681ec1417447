"""Krippendorff's unitizing alpha αU (annotator.core.unitizing)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import CodedSpan, Continuum, compute_agreement
from annotator.core.agreement_table import build_span_table
from annotator.core.unitizing import UnitizingAlpha, unitizing_alpha, unitizing_alphas


def unit(coder: str, code: str, begin: int, length: int, doc: int = 1) -> CodedSpan:
    """A unit given as the literature gives it: beginning and length."""
    return CodedSpan(doc, code, coder, begin, begin + length)


# --- published worked examples ----------------------------------------------------------------


def book_2004_example() -> tuple[list[CodedSpan], list[Continuum]]:
    """Krippendorff (2004), Content Analysis, 2nd ed., ch. 11 (§11.6), example on p. 254: two
    observers i and j unitize a continuum from 150 to 450 (L = 300) with categories c and k.
    Units (beginning, length) as reproduced in DKPro Statistics, Krippendorff2004Test."""
    spans = [
        unit("i", "c", 225, 70),
        unit("i", "c", 370, 30),
        unit("j", "c", 220, 80),
        unit("j", "c", 355, 20),
        unit("j", "c", 400, 20),
        unit("i", "k", 180, 60),
        unit("i", "k", 300, 50),
        unit("j", "k", 180, 60),
        unit("j", "k", 300, 50),
    ]
    # The continuum begins at 150: everything before it is outside the zone filter.
    return spans, [Continuum(1, 450, ((150, 450),))]


def test_book_2004_example_per_code_and_all_codes() -> None:
    """Expected: uDo_c = .0144, uDe_c = .0532, αU_c = .7286; uDo_k = 0, uDe_k = .0490,
    αU_k = 1; αU over both codes = .859 (Krippendorff 2004, p. 254; DKPro's test asserts
    .8591 ± .0005, from the rounded .0144 / (.0532 + .0490))."""
    spans, continua = book_2004_example()
    result = unitizing_alphas(build_span_table(spans, continua))
    c, k, both = result[(None, "c")], result[(None, "k")], result[(None, "*")]
    # uDo_c: δ²(225+70 vs 220+80) = 5² + 5² = 50; δ²(370+30 vs 355+20) = 15² + 25² = 850;
    # j's [400, 420) lies inside i's gap [400, 450): 20² = 400. 2·1300 / (2·1·300²) = .01444.
    assert c.observed == pytest.approx(2 * 1300 / (2 * 300**2))
    assert c.expected == pytest.approx(0.0532, abs=1e-4)
    assert c.alpha == pytest.approx(0.7286, abs=1e-4)
    assert k.observed == 0.0
    assert k.expected == pytest.approx(0.0490, abs=1e-4)
    assert k.alpha == 1.0
    assert both.alpha is not None and round(both.alpha, 3) == 0.859


def bertha_example(stretch: float) -> tuple[list[CodedSpan], list[Continuum]]:
    """Krippendorff (1995), "On the reliability of unitizing continuous data", Sociological
    Methodology 25, p. 57: four pairs of coders (A Bertha/Bill, B John/Jill, C Gerret/Gill,
    D Heather/Hill) unitize a continuum of 24 (units as in DKPro's Krippendorff1995Test).
    ``stretch`` scales positions: the paper's expected disagreements treat the continuum as
    continuous, which the book's discrete formula approaches as the scale grows."""
    table = {
        "A": [(2, 8, 0), (14, 6, 0), (4, 4, 1), (15, 2, 1)],
        "B": [(0, 18, 0), (0, 2, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (5, 1, 1), (6, 3, 1), (9, 1, 1)],
        "C": [
            (2, 6, 0),
            (10, 2, 0),
            (14, 4, 0),
            (20, 2, 0),
            (0, 2, 1),
            (4, 4, 1),
            (10, 4, 1),
            (16, 2, 1),
            (20, 2, 1),
        ],
        "D": [
            (0, 2, 0),
            (2, 8, 0),
            (10, 4, 0),
            (14, 6, 0),
            (20, 4, 0),
            (0, 4, 1),
            (4, 4, 1),
            (8, 7, 1),
            (15, 2, 1),
            (17, 7, 1),
        ],
    }
    spans = [
        CodedSpan(1, code, f"coder{c}", int(b * stretch), int(b * stretch) + int(n * stretch))
        for code, units in table.items()
        for b, n, c in units
    ]
    return spans, [Continuum(1, int(24 * stretch))]


def test_krippendorff_1995_observed_disagreements_exactly() -> None:
    """Published uDo (scale-free): A .03125, B 2.26736, C .02777, D .38715. B needs Jill's
    touching units to stay separate units: John's [0, 18) against each of them
    gives 256 + 229 + 205 + 185 + 169 + 117 + 145 = 1306; 2·1306 / (2·24²) = 2.26736."""
    spans, continua = bertha_example(1)
    result = unitizing_alphas(build_span_table(spans, continua))
    observed = {code: result[(None, code)].observed for code in "ABCD"}
    assert observed == pytest.approx({"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}, abs=1e-5)


def test_krippendorff_1995_alphas_in_the_continuous_limit() -> None:
    """Published αU: A .553, B −.926, C .679, D .066, and uDe A .06990, B 1.17731, C .08642,
    D .41445. The paper's uDe is continuous (DKPro notes a small error in it); the book's
    discrete formula at 50,000 positions per unit agrees within DKPro's tolerances (uDe ±.005,
    αU ±.02): C comes out .0905 / .693, the other three agree to ±.002."""
    spans, continua = bertha_example(50_000)
    result = unitizing_alphas(build_span_table(spans, continua))
    published = {"A": (0.553, 0.06990), "B": (-0.926, 1.17731), "C": (0.679, 0.08642), "D": (0.066, 0.41445)}
    for code, (alpha, expected) in published.items():
        assert result[(None, code)].alpha == pytest.approx(alpha, abs=0.02)
        assert result[(None, code)].expected == pytest.approx(expected, abs=0.005)


def test_dkpro_cross_check_at_half_scale() -> None:
    """DKPro Statistics' own discrete value for C at half scale (L = 12): uDe = .05494."""
    spans, continua = bertha_example(0.5)
    c = unitizing_alphas(build_span_table(spans, continua))[(None, "C")]
    assert c.expected == pytest.approx(0.05494, abs=1e-5)
    assert c.observed == pytest.approx(0.02777, abs=1e-5)


# --- hand-computed small cases ----------------------------------------------------------------


def test_two_overlapping_units() -> None:
    # L = 10, a = [2, 6) (l 4), b = [3, 6) (l 3). uDo: δ² = (2−3)² + (6−6)² = 1, both orders: 2;
    # 2 / (m(m−1)L² = 200) = .01. uDe: N = 2; (2l³−3l²+l)/3 = 28 (l 4), 10 (l 3): (N−1)·38 = 38.
    # Gaps: a [0,2) 2, [6,10) 4; b [0,3) 3, [6,10) 4. l = 4 fits gaps 4, 4: 16·(1+1) = 32;
    # l = 3 fits 4, 3, 4: 9·(2+1+2) = 45. Numerator 115; denominator 20·19 − (12+6) = 362.
    # uDe = (2/10)·115/362 = 23/362; αU = 1 − .01·362/23 = 1 − 3.62/23.
    result = unitizing_alpha([unit("a", "x", 2, 4), unit("b", "x", 3, 3)], [Continuum(1, 10)])
    assert result.observed == pytest.approx(0.01)
    assert result.expected == pytest.approx(23 / 362)
    assert result.alpha == pytest.approx(1 - 3.62 / 23)


def test_unit_inside_the_other_coders_gap() -> None:
    # L = 10, a = [2, 4), b nothing. a's unit lies in b's gap [0, 10): l² = 4, in both orders: 8;
    # uDo = 8/200 = .04. uDe: N = 1 → first term 0; gaps 2 ([0,2)), 6 ([4,10)), 10 (b);
    # l = 2 fits 1 + 5 + 9 = 15 ways: 4·15 = 60; denominator 20·19 − 2 = 378; uDe = .2·60/378.
    result = unitizing_alpha([unit("a", "x", 2, 2)], [Continuum(1, 10)], coders=["a", "b"])
    assert result.observed == pytest.approx(0.04)
    assert result.expected == pytest.approx(12 / 378)
    assert result.alpha == pytest.approx(1 - 0.04 * 378 / 12)


# --- edge cases -------------------------------------------------------------------------------


def test_edge_cases_are_none_with_notes() -> None:
    doc = [Continuum(1, 10)]
    one = unitizing_alpha([unit("a", "x", 0, 3)], doc)
    assert one == UnitizingAlpha(None, None, None, "undefined: needs at least two coders")
    unused = unitizing_alpha([unit("a", "y", 0, 3), unit("b", "y", 0, 3)], doc, code="x", coders=["a", "b"])
    assert unused.alpha is None and unused.note == "undefined: no coder used this code in scope"
    # L = 1, both code the one character: every term of uDe vanishes.
    tiny = unitizing_alpha([unit("a", "x", 0, 1), unit("b", "x", 0, 1)], [Continuum(1, 1)])
    assert tiny.alpha is None and tiny.note == "undefined: expected disagreement uDe = 0"
    for empty in ([Continuum(1, 0)], [Continuum(1, 10, ())]):
        none = unitizing_alpha([unit("a", "x", 0, 3), unit("b", "x", 0, 3)], empty)
        assert none.alpha is None and none.note.startswith("undefined: no characters in scope")
    same = unitizing_alpha([unit(c, "x", b, 2) for c in "abc" for b in (1, 5)], doc)
    assert same.alpha == 1.0 and same.observed == 0.0


def test_report_carries_alpha_u_for_every_scope_and_code() -> None:
    spans, continua = book_2004_example()
    report = compute_agreement(spans, continua)
    assert report.alpha_u("c").alpha == pytest.approx(0.7286, abs=1e-4)
    assert report.alpha_u("c", document_id=1) == report.alpha_u("c")


# --- a literal transcription of the book's formulas as oracle ----------------------------------


def sections(units: list[tuple[int, int]], zones: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(beginning, length, w) for every unit (w = 1) and gap (w = 0) of one coder."""
    out = []
    for zs, ze in zones:
        pos = zs
        for s, e in sorted(u for u in units if zs <= u[0] < ze):
            if s > pos:
                out.append((pos, s - pos, 0))
            out.append((s, e - s, 1))
            pos = e
        if ze > pos:
            out.append((pos, ze - pos, 0))
    return out


def delta2(g: tuple[int, int, int], h: tuple[int, int, int]) -> int:
    (bg, lg, wg), (bh, lh, wh) = g, h
    if wg and wh and -lg < bg - bh < lh:
        return (bg - bh) ** 2 + (bg + lg - bh - lh) ** 2
    if wg and not wh and bh <= bg and bg + lg <= bh + lh:
        return lg**2
    if wh and not wg and bg <= bh and bh + lh <= bg + lg:
        return lh**2
    return 0


def oracle(per_coder: list[list[tuple[int, int, int]]], length: int) -> tuple[float, float]:
    m = len(per_coder)
    do = sum(
        delta2(g, h) for i in range(m) for j in range(m) if i != j for g in per_coder[i] for h in per_coder[j]
    ) / (m * (m - 1) * length**2)
    units = [g for sec in per_coder for g in sec if g[2]]
    gaps = [g for sec in per_coder for g in sec if not g[2]]
    n = len(units)
    num = sum(
        (n - 1) * (2 * lg**3 - 3 * lg**2 + lg) / 3 + lg**2 * sum(lh - lg + 1 for _, lh, _ in gaps if lh >= lg)
        for _, lg, _ in units
    )
    den = m * length * (m * length - 1) - sum(lg * (lg - 1) for _, lg, _ in units)
    return do, 2 / length * num / den


@st.composite
def unitizations(draw: st.DrawFn) -> tuple[list[CodedSpan], Continuum, int]:
    length = draw(st.integers(1, 40))
    zones = draw(
        st.none()
        | st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=3).map(tuple)
    )
    m = draw(st.integers(2, 3))
    spans = []
    for coder in range(m):
        for _ in range(draw(st.integers(0, 5))):
            s = draw(st.integers(0, length - 1))
            spans.append(CodedSpan(1, "x", f"c{coder}", s, draw(st.integers(s + 1, length))))
    return spans, Continuum(1, length, zones), m


@settings(max_examples=200, deadline=None)
@given(unitizations())
def test_matches_literal_formula(study: tuple[list[CodedSpan], Continuum, int]) -> None:
    spans, continuum, m = study
    coders = [f"c{i}" for i in range(m)]
    table = build_span_table(spans, [continuum], coders=coders, codes=["x"])
    zones = list(zip(table.zone_start.tolist(), table.zone_end.tolist(), strict=True))
    per_coder = [
        sections(list(zip(table.unit_start[c].tolist(), table.unit_end[c].tolist(), strict=True)), zones)
        for c in range(m)
    ]
    result = unitizing_alphas(table)[(None, "x")]
    length = int(table.included_length.sum())
    if length == 0 or not any(w for sec in per_coder for _, _, w in sec):
        assert result.alpha is None
        return
    do, de = oracle(per_coder, length)
    assert result.observed == pytest.approx(do, rel=1e-9, abs=1e-12)
    assert result.expected == pytest.approx(de, rel=1e-9, abs=1e-12)
    if result.alpha is not None:
        assert result.alpha <= 1.0


@settings(max_examples=100, deadline=None)
@given(unitizations(), st.integers(1, 5))
def test_pooled_documents_equal_one_zoned_continuum(
    study: tuple[list[CodedSpan], Continuum, int], gap: int
) -> None:
    """Pooling two documents = one continuum holding both, excluded text between them (touching
    included ranges would merge into one stretch, so at least one character is excluded)."""
    spans, first, m = study
    coders = [f"c{i}" for i in range(m)]
    second = [CodedSpan(2, s.code, s.coder, s.start, s.end) for s in spans[::2]]
    pooled = unitizing_alpha(spans + second, [first, Continuum(2, first.length)], "x", coders)
    shift = first.length + gap
    zones = first.included if first.included is not None else ((0, first.length),)
    clipped = [(max(0, s), min(first.length, e)) for s, e in zones]
    joined = Continuum(3, shift + first.length, (*clipped, (shift, shift + first.length)))
    moved = [
        CodedSpan(3, s.code, s.coder, min(s.start, first.length), min(s.end, first.length)) for s in spans
    ]
    moved += [CodedSpan(3, s.code, s.coder, s.start + shift, s.end + shift) for s in second]
    single = unitizing_alpha(moved, [joined], "x", coders)
    assert single.alpha == pytest.approx(pooled.alpha) if pooled.alpha is not None else (single.alpha is None)


@settings(max_examples=100, deadline=None)
@given(unitizations())
def test_symmetric_in_coders_and_identical_coders_give_one(
    study: tuple[list[CodedSpan], Continuum, int],
) -> None:
    spans, continuum, m = study
    coders = [f"c{i}" for i in range(m)]
    forward = unitizing_alpha(spans, [continuum], "x", coders)
    backward = unitizing_alpha(spans, [continuum], "x", coders[::-1])
    assert (
        forward.alpha == pytest.approx(backward.alpha)
        if forward.alpha is not None
        else (backward.alpha is None)
    )
    twins = [s for s in spans if s.coder == "c0"]
    twins += [CodedSpan(1, "x", "twin", s.start, s.end) for s in twins]
    same = unitizing_alpha(twins, [continuum], "x", ["c0", "twin"])
    assert same.alpha in (1.0, None)


# --- long units: the expected disagreement must not overflow ------------------------------------


def exact_alpha(per_coder: list[list[tuple[int, int, int]]], length: int) -> Fraction:
    """αU in exact fractions, from the literal formulas (Python ints never overflow)."""
    m = len(per_coder)
    do = Fraction(
        sum(
            delta2(g, h)
            for i in range(m)
            for j in range(m)
            if i != j
            for g in per_coder[i]
            for h in per_coder[j]
        ),
        m * (m - 1) * length**2,
    )
    units = [g for sec in per_coder for g in sec if g[2]]
    gaps = [g for sec in per_coder for g in sec if not g[2]]
    n = len(units)
    num = sum(
        Fraction((n - 1) * (2 * lg**3 - 3 * lg**2 + lg), 3)
        + lg**2 * sum(lh - lg + 1 for _, lh, _ in gaps if lh >= lg)
        for _, lg, _ in units
    )
    den = m * length * (m * length - 1) - sum(lg * (lg - 1) for _, lg, _ in units)
    return 1 - do / (Fraction(2, length) * num / den)


@pytest.mark.parametrize(
    ("length", "a_end", "b_end"),
    [(1_800_000, 1_800_000, 1_700_000), (2_300_000, 2_300_000, 2_200_000), (5_000_000, 4_000_000, 3_900_000)],
)
def test_units_of_millions_of_characters_match_exact_fractions(length: int, a_end: int, b_end: int) -> None:
    """Issue 14: (2l³ − 3l² + l) in int64 overflowed beyond ~1.66M characters ("uDe = 0", or a
    silently wrong .992 where the exact value is .998424)."""
    spans = [CodedSpan(1, "x", "a", 0, a_end), CodedSpan(1, "x", "b", 0, b_end)]
    result = unitizing_alpha(spans, [Continuum(1, length)], "x")
    zones = [(0, length)]
    exact = exact_alpha([sections([(0, a_end)], zones), sections([(0, b_end)], zones)], length)
    assert result.alpha is not None, result.note
    assert result.expected is not None and result.expected > 0
    assert result.alpha == pytest.approx(float(exact), abs=1e-12)
    if length == 2_300_000:
        assert round(result.alpha, 6) == 0.998424
