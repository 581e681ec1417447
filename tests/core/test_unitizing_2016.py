"""Tests for the 2016 unitizing family (uα, |uα, cuα, (k)uα) in ``core/unitizing_2016.py``.

Three ways, as the house style asks: the published worked example (Krippendorff 2019, Fig. 12.11:
uα .510, |uα .413, cuα .724), an independent implementation (uα from the PyPI package
krippendorff-unitized-alpha, as literals), two exact-fraction transcriptions of the definitions
(segment by segment here; character by character in ``naive_unitizing_2016``, on seeded random
cases), and properties (perfect agreement, coder and code relabelling, the per-code and
all-codes forms agreeing where they must).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import CodedSpan, Continuum
from annotator.core.unitizing import ALL_CODES
from annotator.core.unitizing_2016 import (
    NOTE_PARTITION,
    UnitizingFamily,
    unitizing_family_of,
)
from tests.core.naive_unitizing_2016 import naive_family

Segments = list[tuple[int, int, str | None]]  # [start, end) and value; None is a gap

# Krippendorff (2019), *Content Analysis*, 4th ed., §12.6, Figure 12.11 (p. 340): three observers
# unitize a continuum of 60 characters (positions 1-based, inclusive). Transcribed from the test
# suite of the R package quallmer (tests/testthat, "Book example: Figure 12.11"), which cites
# uα = .510 and |uα = .413 for it. We could not consult the book itself.
BOOK_L = 60
BOOK = {
    "alex": [(1, 7, "1"), (8, 13, "2"), (31, 32, "5"), (33, 37, "6"), (38, 44, "6"), (45, 60, "7")],
    "paul": [(1, 7, "1"), (8, 13, "3"), (14, 21, "5"), (33, 44, "6")],
    "suzan": [(1, 7, "1"), (8, 13, "4"), (14, 21, "5"), (33, 37, "6"), (38, 41, "6"), (42, 44, "6")],
}


def _book_spans() -> list[CodedSpan]:
    return [CodedSpan(1, v, coder, s - 1, e) for coder, units in BOOK.items() for s, e, v in units]


# --- an independent transcription of the definitions, in exact fractions -------------------


def _partition(units: list[tuple[int, int, str]], length: int) -> Segments:
    """One coder's units plus the gaps between them (None) covering [0, length)."""
    segments: Segments = []
    cursor = 0
    for s, e, v in sorted(units):
        if s > cursor:
            segments.append((cursor, s, None))
        segments.append((s, e, v))
        cursor = e
    if cursor < length:
        segments.append((cursor, length, None))
    return segments


def _overlap(a: tuple[int, int, object], b: tuple[int, int, object]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def brute_family(coders: list[list[tuple[int, int, str]]], length: int) -> dict[str, object]:
    """uα, |uα, cuα and (k)uα of one continuum by the 2016 formulas (None: undefined)."""
    return brute_family_of_documents([(coders, length)])


def brute_family_of_documents(
    documents: list[tuple[list[list[tuple[int, int, str]]], int]],
) -> dict[str, object]:
    """The family over several continua, each with its own coders: coincidences are summed over
    continua, each divided by its own m − 1 (as α does for units with missing values)."""
    values = sorted({v for coders, _ in documents for units in coders for _, _, v in units})
    every: list[str | None] = [None, *values]
    obs = {(c, k): Fraction(0) for c in every for k in every}
    self_pairs = {c: Fraction(0) for c in every}
    cross_sq = {c: Fraction(0) for c in values}
    for coders, length in documents:
        parts = [_partition(u, length) for u in coders]
        m = len(parts)
        if m < 2:
            continue
        q = m - 1
        for i in range(m):
            for j in range(m):
                if i != j:
                    for g in parts[i]:
                        for h in parts[j]:
                            obs[(g[2], h[2])] += Fraction(_overlap(g, h), q)
            for g in parts[i]:
                if g[2] is not None:  # g's pairable length: the valued matter of others it meets
                    x = sum(_overlap(g, h) for j in range(m) if j != i for h in parts[j] if h[2] is not None)
                    cross_sq[g[2]] += Fraction(x, q) ** 2
        for p in parts:
            for s, e, v in p:
                self_pairs[v] += (e - s) if v is None else (e - s) ** 2
    total = sum(obs.values())
    margin = {c: sum(obs[(c, k)] for k in every) for c in every}
    d0 = total * total - sum(self_pairs.values())

    def expected(c: str | None, k: str | None) -> Fraction:
        return total * (margin[c] * margin[k] - (self_pairs[c] if c == k else 0)) / d0

    def alpha(do: Fraction, de: Fraction) -> Fraction | None:
        return 1 - do / de if de > 0 else None

    if total == 0:
        return {"u": None, "bar": None, "cu": None, "ku": dict.fromkeys(values)}
    u = alpha(total - sum(obs[(c, c)] for c in every), total - sum(expected(c, c) for c in every))
    bar = alpha(
        margin[None] - obs[(None, None)],
        sum(expected(None, k) for k in every) - expected(None, None),
    )
    star = {c: margin[c] - obs[(c, None)] for c in values}
    t = sum(star.values(), Fraction(0))
    cu: Fraction | None = None
    ku: dict[str, Fraction | None] = dict.fromkeys(values)
    if t > 0 and t - sum(cross_sq.values()) / t > 0:
        den = t - sum(cross_sq.values()) / t

        def e_star(c: str, k: str) -> Fraction:
            return (star[c] * star[k] - (cross_sq[c] if c == k else 0)) / den

        cu = alpha(t - sum(obs[(c, c)] for c in values), t - sum(e_star(c, c) for c in values))
        for k in values:
            row = sum(e_star(c, k) for c in values)
            if star[k] > 0 and row - e_star(k, k) > 0:
                ku[k] = 1 - row / star[k] * (star[k] - obs[(k, k)]) / (row - e_star(k, k))
    return {"u": u, "bar": bar, "cu": cu, "ku": ku}


def _close(actual: float | None, exact: Fraction | None) -> bool:
    if exact is None:
        return actual is None
    return actual is not None and abs(actual - float(exact)) < 1e-9


# --- the published example ---------------------------------------------------------------------


def test_book_example_reproduces_the_published_figures() -> None:
    family = unitizing_family_of(_book_spans(), [Continuum(1, BOOK_L)])[(None, ALL_CODES)]
    u, cu = family.u_alpha_2016.value, family.cu_alpha_2016.value
    assert u is not None and round(u, 3) == 0.510  # Krippendorff 2019, Fig. 12.11, as cited above
    # cuα = .72417: each unit's self-pairs are the square of its pairable length (see
    # ``unitizing_2016``). Squaring each coder pair's overlap instead gives .72556, not .724.
    assert cu is not None and round(cu, 3) == 0.724
    # |uα: exactly 1 − 26/44.338 = .41360; the cited .413 is what the expected coincidences give
    # when rounded to two decimals first, as a worked example prints them (the next test).
    bar = family.bar_u_alpha_2016.value
    assert bar is not None and abs(bar - 0.413) < 0.001


def test_book_bar_u_alpha_from_two_decimal_intermediates() -> None:
    """The cited |uα = .413 from the exact observed and rounded expected coincidences.

    An assumption, as we could not consult the book: its table of ε_ck shows two decimals and
    |uα is computed from the printed entries. Unrounded, |uα = .41360 (.414 to three decimals);
    uα comes out at .510 both ways."""
    coders = [[(s - 1, e, v) for s, e, v in units] for units in BOOK.values()]
    exact = naive_family([(coders, BOOK_L)])
    printed = {key: round(value, 2) for key, value in exact.expected.items()}
    values = [k for k in {c for c, _ in printed} if k is not None]
    disagreement = sum(exact.observed[(None, k)] for k in values)  # ℓ_∅. − ℓ_∅∅ = 26
    chance = sum(printed[(None, k)] for k in values)  # ε_∅. − ε_∅∅ = 44.33 (exactly 44.338)
    assert disagreement == 26 and chance == Fraction("44.33")
    assert round(1 - disagreement / chance, 3) == Fraction("0.413")  # 1 − 26/44.33 = .41349
    assert exact.bar is not None and round(exact.bar, 3) == Fraction("0.414")
    total = sum(exact.observed.values())
    u_printed = 1 - (total - sum(exact.observed[(c, c)] for c in [None, *values])) / (
        total - sum(printed[(c, c)] for c in [None, *values])
    )
    assert exact.u is not None and round(u_printed, 3) == round(exact.u, 3) == Fraction("0.510")


def test_book_example_matches_both_exact_transcriptions() -> None:
    family = unitizing_family_of(_book_spans(), [Continuum(1, BOOK_L)])
    coders = [[(s - 1, e, v) for s, e, v in units] for units in BOOK.values()]
    exact = brute_family(coders, BOOK_L)
    naive = naive_family([(coders, BOOK_L)])
    pooled = family[(None, ALL_CODES)]
    for name, key in (("u_alpha_2016", "u"), ("bar_u_alpha_2016", "bar"), ("cu_alpha_2016", "cu")):
        assert _close(getattr(pooled, name).value, exact[key])  # type: ignore[arg-type]
        assert _close(getattr(pooled, name).value, getattr(naive, key))
    assert naive.cu == Fraction(24944, 34445)  # .72417
    ku = exact["ku"]
    assert isinstance(ku, dict)
    for value in ("1", "2", "3", "4", "5", "6", "7"):
        assert _close(family[(None, value)].k_u_alpha_2016.value, ku[value])
        assert _close(family[(None, value)].k_u_alpha_2016.value, naive.ku[value])
    # Values coded alike by everyone who coded them are perfectly reliable, the three one-coder
    # values 2, 3, 4 are not, and 7 meets only gaps (undefined) — as the cited tests state too.
    assert [family[(None, v)].k_u_alpha_2016.value for v in "156"] == [1.0, 1.0, 1.0]
    assert family[(None, "7")].k_u_alpha_2016.value is None


# --- an independent implementation ---------------------------------------------------------------

# uα computed by the PyPI package krippendorff-unitized-alpha 0.1.0 (Z. Bekcic, 2022;
# ``KrippendorffUnitizedAlpha(data).result``, which implements uα only) on cases drawn with
# ``random.Random(seed)``, seeds 1–8: 2–4 coders, a continuum of 20–60 characters, values A–C.
# Each coder's partition was given to it with the gaps as its empty tag (its own gap filler treats
# ends as inclusive). Cases and outputs are copied here as literals; no other implementation of
# the 2016 family (with |uα, cuα, (k)uα) could run here: the R package quallmer needs R.
ORACLE_U_ALPHA: list[tuple[int, list[list[tuple[int, int, str]]], float]] = [
    (
        56,
        [
            [(8, 17, "B"), (17, 29, "A"), (32, 49, "A")],
            [
                (0, 1, "A"),
                (1, 15, "C"),
                (15, 18, "A"),
                (18, 29, "A"),
                (29, 38, "A"),
                (45, 47, "A"),
                (50, 56, "B"),
            ],
        ],
        0.13143492903536202,
    ),
    (25, [[(0, 6, "C"), (6, 12, "C")], [(0, 2, "B")]], -0.08545454545454545),
    (57, [[(0, 9, "A"), (24, 31, "A"), (38, 39, "C"), (41, 57, "B")], [(46, 57, "B")]], 0.3258913810546056),
    (
        39,
        [[(0, 26, "B"), (26, 31, "A"), (31, 39, "A")], [(0, 26, "C"), (26, 36, "A"), (36, 39, "B")]],
        0.16507283372067916,
    ),
    (
        36,
        [
            [(0, 2, "A"), (2, 8, "B"), (8, 21, "A"), (21, 23, "C"), (25, 30, "B")],
            [(0, 1, "B"), (16, 36, "C")],
            [(0, 5, "B")],
            [(0, 1, "B"), (1, 9, "B"), (9, 14, "B"), (14, 36, "C")],
        ],
        0.038446903836752755,
    ),
    (
        25,
        [
            [(2, 5, "C"), (5, 9, "C"), (9, 22, "A"), (22, 25, "C")],
            [(0, 7, "A"), (7, 14, "B"), (22, 24, "C")],
            [(3, 9, "A"), (9, 11, "B"), (11, 12, "C"), (12, 14, "A"), (14, 23, "A"), (24, 25, "B")],
            [(0, 1, "C"), (1, 7, "B"), (16, 17, "C"), (17, 19, "C"), (20, 21, "A"), (21, 25, "A")],
        ],
        -0.09165770355693925,
    ),
    (
        29,
        [
            [(0, 2, "A"), (2, 3, "C"), (18, 21, "A"), (27, 29, "B")],
            [(3, 14, "A"), (14, 29, "B")],
            [(0, 14, "A"), (18, 29, "A")],
        ],
        -0.06466293234770215,
    ),
    (
        43,
        [[(3, 6, "B"), (9, 13, "A")], [(0, 13, "A"), (25, 26, "B"), (26, 32, "A"), (32, 37, "C")]],
        0.1149348718253731,
    ),
]


@pytest.mark.parametrize(("length", "coders", "published"), ORACLE_U_ALPHA)
def test_u_alpha_matches_krippendorff_unitized_alpha_package(
    length: int, coders: list[list[tuple[int, int, str]]], published: float
) -> None:
    spans = [CodedSpan(1, v, f"c{i}", s, e) for i, units in enumerate(coders) for s, e, v in units]
    names = [f"c{i}" for i in range(len(coders))]
    family = unitizing_family_of(spans, [Continuum(1, length)], coders=names)[(None, ALL_CODES)]
    assert family.u_alpha_2016.value == pytest.approx(published, abs=1e-12)
    assert _close(family.u_alpha_2016.value, naive_family([(coders, length)]).u)


# --- the naive per-character implementation on seeded random cases ---------------------------------


def _random_documents(seed: int) -> tuple[list[tuple[list[list[tuple[int, int, str]]], int]], np.ndarray]:
    """1–3 documents, 2–4 coders, units with values A–D; and which coder counts on which document."""
    rng = random.Random(seed)
    m = rng.randint(2, 4)
    documents = []
    for _ in range(rng.randint(1, 3)):
        length = rng.randint(1, 24)
        coders = []
        for _ in range(m):
            cuts = sorted(set(rng.sample(range(length + 1), min(length + 1, rng.randint(2, 7)))))
            coders.append(
                [(s, e, v) for s, e in itertools.pairwise(cuts) if (v := rng.choice("ABCD" + "--")) != "-"]
            )
        documents.append((coders, length))
    counted = np.array([[rng.random() < 0.8 for _ in documents] for _ in range(m)])
    return documents, counted


@pytest.mark.parametrize("seed", range(60))
def test_family_equals_the_naive_per_character_implementation(seed: int) -> None:
    from annotator.core.agreement_table import build_span_table
    from annotator.core.unitizing_2016 import unitizing_family

    documents, counted = _random_documents(seed)
    m = len(documents[0][0])
    spans = [
        CodedSpan(d, v, f"coder{c}", s, e)
        for d, (coders, _) in enumerate(documents)
        for c, units in enumerate(coders)
        for s, e, v in units
    ]
    continua = [Continuum(d, length) for d, (_, length) in enumerate(documents)]
    table = build_span_table(spans, continua, coders=[f"coder{c}" for c in range(m)], codes=list("ABCD"))
    family = unitizing_family(table, counted)
    kept = [
        ([u for c, u in enumerate(coders) if counted[c, d]], n) for d, (coders, n) in enumerate(documents)
    ]
    naive = naive_family(kept)
    pooled = family[(None, ALL_CODES)]
    assert _close(pooled.u_alpha_2016.value, naive.u)
    assert _close(pooled.bar_u_alpha_2016.value, naive.bar)
    assert _close(pooled.cu_alpha_2016.value, naive.cu)
    for code in "ABCD":
        assert _close(family[(None, code)].k_u_alpha_2016.value, naive.ku.get(code))
    for d, document in enumerate(kept):
        alone = naive_family([document])
        assert _close(family[(d, ALL_CODES)].cu_alpha_2016.value, alone.cu)
        assert _close(family[(d, ALL_CODES)].u_alpha_2016.value, alone.u)


# --- properties against the transcription ---------------------------------------------------


@st.composite
def coded_documents(draw: st.DrawFn) -> tuple[list[int], list[list[list[tuple[int, int, str]]]]]:
    """1–2 documents; per document and coder, non-overlapping units with codes A–C."""
    n_coders = draw(st.integers(2, 4))
    lengths = draw(st.lists(st.integers(1, 14), min_size=1, max_size=2))
    documents = []
    for length in lengths:
        coders = []
        for _ in range(n_coders):
            cuts = sorted(draw(st.sets(st.integers(0, length), max_size=6)) | {0, length})
            units = []
            for s, e in itertools.pairwise(cuts):
                value = draw(st.sampled_from(["A", "B", "C", None]))
                if value is not None:
                    units.append((s, e, value))
            coders.append(units)
        documents.append(coders)
    return lengths, documents


def _spans(documents: list[list[list[tuple[int, int, str]]]]) -> list[CodedSpan]:
    return [
        CodedSpan(d, v, f"coder{c}", s, e)
        for d, coders in enumerate(documents)
        for c, units in enumerate(coders)
        for s, e, v in units
    ]


def _concatenated(
    lengths: list[int], documents: list[list[list[tuple[int, int, str]]]]
) -> list[list[tuple[int, int, str]]]:
    """Documents pooled as one continuum, one after the other (units never cross a boundary)."""
    pooled: list[list[tuple[int, int, str]]] = [[] for _ in documents[0]]
    offset = 0
    for length, coders in zip(lengths, documents, strict=True):
        for c, units in enumerate(coders):
            pooled[c] += [(s + offset, e + offset, v) for s, e, v in units]
        offset += length
    return pooled


@settings(max_examples=150, deadline=None, derandomize=True)
@given(coded_documents())
def test_pooled_family_equals_the_exact_transcription(data: tuple[list[int], list]) -> None:
    lengths, documents = data
    coders = [f"coder{c}" for c in range(len(documents[0]))]
    continua = [Continuum(d, n) for d, n in enumerate(lengths)]
    family = unitizing_family_of(_spans(documents), continua, coders=coders, codes=["A", "B", "C"])
    pooled = _concatenated(lengths, documents)
    exact = brute_family(pooled, sum(lengths))
    everything = family[(None, ALL_CODES)]
    assert _close(everything.u_alpha_2016.value, exact["u"])  # type: ignore[arg-type]
    assert _close(everything.bar_u_alpha_2016.value, exact["bar"])  # type: ignore[arg-type]
    assert _close(everything.cu_alpha_2016.value, exact["cu"])  # type: ignore[arg-type]
    ku = exact["ku"]
    assert isinstance(ku, dict)
    for code in ("A", "B", "C"):
        assert _close(family[(None, code)].k_u_alpha_2016.value, ku.get(code))
        alone = [[u for u in units if u[2] == code] for units in pooled]
        assert _close(family[(None, code)].u_alpha_2016.value, brute_family(alone, sum(lengths))["u"])  # type: ignore[arg-type]
    for d, (length, coders_units) in enumerate(zip(lengths, documents, strict=True)):
        assert _close(family[(d, ALL_CODES)].u_alpha_2016.value, brute_family(coders_units, length)["u"])  # type: ignore[arg-type]


@settings(max_examples=80, deadline=None, derandomize=True)
@given(coded_documents(), st.randoms(use_true_random=False))
def test_family_ignores_coder_order_and_code_names(data: tuple[list[int], list], rnd: object) -> None:
    lengths, documents = data
    continua = [Continuum(d, n) for d, n in enumerate(lengths)]
    spans = _spans(documents)
    before = unitizing_family_of(spans, continua)
    renamed = {"A": "zz", "B": "aa", "C": "mm"}
    shuffled = [CodedSpan(s.document_id, renamed[s.code], s.coder[::-1] + "!", s.start, s.end) for s in spans]
    after = unitizing_family_of(list(reversed(shuffled)), continua)
    for (doc, code), family in before.items():
        other = after[(doc, renamed.get(code, code))]
        for name in ("u_alpha_2016", "bar_u_alpha_2016", "cu_alpha_2016", "k_u_alpha_2016"):
            a, b = getattr(family, name).value, getattr(other, name).value
            assert (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(coded_documents())
def test_identical_coders_agree_perfectly(data: tuple[list[int], list]) -> None:
    lengths, documents = data
    same = [[coders[0]] * len(coders) for coders in documents]
    continua = [Continuum(d, n) for d, n in enumerate(lengths)]
    family = unitizing_family_of(_spans(same), continua)
    for value in (f for fam in family.values() for f in _coefficients(fam)):
        assert value is None or value == pytest.approx(1.0)


def _coefficients(family: UnitizingFamily) -> list[float | None]:
    return [
        family.u_alpha_2016.value,
        family.bar_u_alpha_2016.value,
        family.cu_alpha_2016.value,
        family.k_u_alpha_2016.value,
    ]


# --- hand-computed and edge cases ----------------------------------------------------------------


def test_one_code_u_alpha_equals_bar_u_alpha() -> None:
    spans = [CodedSpan(1, "A", "a", 2, 9), CodedSpan(1, "A", "b", 4, 9), CodedSpan(1, "A", "c", 0, 3)]
    family = unitizing_family_of(spans, [Continuum(1, 20)])
    assert family[(None, "A")].u_alpha_2016.value == pytest.approx(
        family[(None, ALL_CODES)].bar_u_alpha_2016.value
    )
    assert family[(None, ALL_CODES)].u_alpha_2016.value == pytest.approx(
        family[(None, "A")].u_alpha_2016.value
    )


def test_overlapping_codes_of_one_coder_leave_the_all_codes_figures_undefined() -> None:
    spans = [
        CodedSpan(1, "A", "alice", 0, 10),
        CodedSpan(1, "B", "alice", 5, 15),  # alice's A and B overlap on [5, 10)
        CodedSpan(1, "A", "bob", 0, 10),
        CodedSpan(1, "B", "bob", 10, 15),
    ]
    family = unitizing_family_of(spans, [Continuum(1, 30)])
    everything = family[(None, ALL_CODES)]
    assert everything.u_alpha_2016.value is None and everything.u_alpha_2016.note == NOTE_PARTITION
    assert everything.cu_alpha_2016.note == NOTE_PARTITION
    assert family[(None, "A")].k_u_alpha_2016.note == NOTE_PARTITION
    assert family[(None, "A")].u_alpha_2016.value == pytest.approx(1.0)  # per code still defined


def test_long_units_are_exact() -> None:
    """Units [0, 2.3M) vs [0, 2.2M) in a 2.3M document (where int64 cubes overflowed for αU)."""
    length, a, b = 2_300_000, 2_300_000, 2_200_000
    spans = [CodedSpan(1, "A", "x", 0, a), CodedSpan(1, "A", "y", 0, b)]
    family = unitizing_family_of(spans, [Continuum(1, length)])
    # Closed form for one code and two coders (values A and ∅), in exact integers:
    n, coded, agree = 2 * length, a + b, 2 * b
    gaps, squares = n - coded, a * a + b * b
    exact = 1 - Fraction((coded - agree) * (n * n - squares - gaps), n * coded * gaps)
    assert family[(None, "A")].u_alpha_2016.value == pytest.approx(float(exact), abs=1e-12)
    assert _close(
        family[(None, "A")].u_alpha_2016.value, brute_family([[(0, a, "A")], [(0, b, "A")]], length)["u"]
    )  # type: ignore[arg-type]


def test_zones_exclude_text_from_the_continuum() -> None:
    spans = [CodedSpan(1, "A", "a", 0, 6), CodedSpan(1, "A", "b", 2, 6), CodedSpan(1, "B", "b", 12, 15)]
    zoned = unitizing_family_of(spans, [Continuum(1, 20, ((0, 10),))])
    plain = unitizing_family_of([s for s in spans if s.code == "A"], [Continuum(1, 10)], codes=["A", "B"])
    assert zoned[(None, ALL_CODES)].u_alpha_2016.value == pytest.approx(
        plain[(None, ALL_CODES)].u_alpha_2016.value
    )
    assert zoned[(None, "B")].u_alpha_2016.value is None  # B lies wholly in excluded text


def test_undefined_cases_say_why() -> None:
    one = unitizing_family_of([CodedSpan(1, "A", "a", 0, 3)], [Continuum(1, 10)])
    assert one[(None, ALL_CODES)].u_alpha_2016.value is None
    assert "two coders" in one[(None, ALL_CODES)].u_alpha_2016.note
    everything = [CodedSpan(1, "A", c, 0, 10) for c in ("a", "b")]
    full = unitizing_family_of(everything, [Continuum(1, 10)])
    assert full[(None, "A")].u_alpha_2016.value is None and "no gaps" in full[(None, "A")].u_alpha_2016.note
    apart = [CodedSpan(1, "A", "a", 0, 3), CodedSpan(1, "B", "b", 5, 8)]
    disjoint = unitizing_family_of(apart, [Continuum(1, 10)])
    assert disjoint[(None, ALL_CODES)].cu_alpha_2016.value is None
    assert "overlaps" in disjoint[(None, ALL_CODES)].cu_alpha_2016.note
    empty = unitizing_family_of(everything, [Continuum(1, 10, ((0, 0),))])
    assert "no characters" in empty[(None, "A")].u_alpha_2016.note


def test_coders_who_do_not_count_on_a_document_are_missing_there() -> None:
    """With ``counted``, a coder not assigned a document is missing there, not "coded nothing"."""
    from annotator.core.agreement_table import build_span_table
    from annotator.core.unitizing_2016 import unitizing_family

    one = [[(0, 4, "A"), (6, 9, "B")], [(1, 4, "A"), (6, 9, "B")], [(0, 5, "A")]]
    two = [[(2, 8, "A")], [(2, 7, "A")], [(0, 3, "B")]]  # the third coder's units here do not count
    spans = _spans([one, two])
    table = build_span_table(spans, [Continuum(0, 12), Continuum(1, 10)])
    counted = np.array([[True, True], [True, True], [True, False]])
    family = unitizing_family(table, counted)
    exact = brute_family_of_documents([(one, 12), (two[:2], 10)])
    assert _close(family[(None, ALL_CODES)].u_alpha_2016.value, exact["u"])  # type: ignore[arg-type]
    assert _close(family[(None, ALL_CODES)].cu_alpha_2016.value, exact["cu"])  # type: ignore[arg-type]
    assert _close(family[(1, ALL_CODES)].u_alpha_2016.value, brute_family(two[:2], 10)["u"])  # type: ignore[arg-type]
    alone = unitizing_family(table, np.array([[True, True], [True, True], [False, False]]))
    assert "two coders" not in alone[(1, ALL_CODES)].u_alpha_2016.note
    nobody = unitizing_family(table, np.array([[True, False], [True, False], [True, False]]))
    assert "two coders" in nobody[(1, ALL_CODES)].u_alpha_2016.note


# --- bootstrap over documents --------------------------------------------------------------------


def test_resampling_with_every_document_once_gives_the_point_estimate() -> None:
    from annotator.core.agreement_table import build_span_table
    from annotator.core.unitizing_2016 import family_sums, resampled_family, unitizing_family

    docs = [BOOK_L, 30]
    spans = [
        *_book_spans(),
        CodedSpan(2, "1", "alex", 0, 9),
        CodedSpan(2, "1", "paul", 2, 9),
        CodedSpan(2, "5", "suzan", 3, 12),
    ]
    table = build_span_table(spans, [Continuum(1, docs[0]), Continuum(2, docs[1])])
    point = unitizing_family(table)
    values = resampled_family(family_sums(table), table.codes, np.ones((3, 2), dtype=np.int64))
    assert values[("u_alpha_2016", ALL_CODES)][0] == pytest.approx(
        point[(None, ALL_CODES)].u_alpha_2016.value
    )
    assert values[("cu_alpha_2016", ALL_CODES)][1] == pytest.approx(
        point[(None, ALL_CODES)].cu_alpha_2016.value
    )
    assert values[("k_u_alpha_2016", "6")][2] == pytest.approx(point[(None, "6")].k_u_alpha_2016.value)
    only_second = resampled_family(family_sums(table), table.codes, np.array([[0, 1]]))
    assert only_second[("u_alpha_2016", ALL_CODES)][0] == pytest.approx(
        point[(2, ALL_CODES)].u_alpha_2016.value
    )


def test_bootstrap_agreement_reports_seeded_intervals_for_the_family() -> None:
    from annotator.core.agreement_table import build_span_table
    from annotator.core.bootstrap import bootstrap_agreement

    spans = [
        CodedSpan(d, code, coder, s + d, e + (d % 3))
        for d in range(8)
        for coder in ("a", "b", "c")
        for code, s, e in (("A", 0, 10), ("B", 20, 30))
    ]
    spans += [CodedSpan(d, "A", "c", 40, 45) for d in range(0, 8, 2)]
    table = build_span_table(spans, [Continuum(d, 60) for d in range(8)])
    first = bootstrap_agreement(table, resamples=200, seed=3, min_alpha=0.8)
    again = bootstrap_agreement(table, resamples=200, seed=3, min_alpha=0.8)
    assert first.unitizing_2016 == again.unitizing_2016
    ci = first.unitizing_2016[("u_alpha_2016", ALL_CODES)]
    assert ci.low is not None and ci.high is not None and ci.low <= ci.high <= 1.0
    assert ci.defined == 200 and ci.below is not None and 0.0 <= ci.below <= 1.0
    assert set(first.unitizing_2016) >= {
        ("cu_alpha_2016", ALL_CODES),
        ("k_u_alpha_2016", "B"),
        ("u_alpha_2016", "A"),
    }
