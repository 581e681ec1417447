"""Further agreement coefficients (annotator.core.coefficients) and their place in the report."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import CodedSpan, Continuum, compute_agreement, nominal_alpha_characters
from annotator.core.coefficients import (
    brennan_prediger,
    fleiss_kappa,
    fleiss_kappa_binary,
    gwet_ac1,
    nominal_alpha_binary,
    positive_agreement,
)

# Fleiss' κ worked example (Wikipedia, "Fleiss' kappa"): 10 subjects, 14 raters, 5 categories;
# P̄ = .378, P̄_e = .213, κ = .210.
FLEISS_EXAMPLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_published_example() -> None:
    kappa, note = fleiss_kappa(FLEISS_EXAMPLE)
    assert note == "" and round(kappa or 0.0, 3) == 0.210


def test_fleiss_refuses_unequal_numbers_of_raters() -> None:
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa([[1, 1], [2, 1]])


def test_two_by_two_coefficients_by_hand() -> None:
    # N = 100, p_o = .85, A = 50, B = 45.
    assert positive_agreement(40, 10, 5) == (80 / 95, "")
    assert brennan_prediger(40, 10, 5, 45) == pytest.approx((0.7, ""))
    # π = 95/200 = .475, p_e = 2 · .475 · .525 = .49875, AC1 = (.85 − .49875) / .50125
    assert gwet_ac1(40, 10, 5, 45)[0] == pytest.approx((0.85 - 0.49875) / 0.50125)


def test_positive_agreement_ignores_the_uncoded_remainder() -> None:
    """The κ paradox: with a huge uncoded remainder p_o and PABAK soar, PSA does not move."""
    small, large = (2, 1, 1, 10), (2, 1, 1, 1_000_000)
    assert positive_agreement(*small[:3]) == positive_agreement(*large[:3]) == (4 / 6, "")
    assert (brennan_prediger(*large)[0] or 0) > 0.99


def test_undefined_values_have_notes() -> None:
    assert positive_agreement(0, 0, 0) == (None, "undefined: neither coder coded any character")
    assert brennan_prediger(0, 0, 0, 0)[0] is None and gwet_ac1(0, 0, 0, 0)[0] is None
    assert fleiss_kappa_binary(10, 3, 0, 0)[0] is None  # nobody coded: one value only
    assert nominal_alpha_binary(10, 1, 3, 3)[0] is None  # one coder


_TABLES = st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))


@settings(derandomize=True, max_examples=300, deadline=None)
@given(_TABLES)
def test_pair_coefficients_are_symmetric_and_bounded(cells: tuple[int, int, int, int]) -> None:
    both, a, b, neither = cells
    for f in (brennan_prediger, gwet_ac1):
        value, _ = f(both, a, b, neither)
        assert value == f(both, b, a, neither)[0]
        if value is not None:
            assert -1.0 - 1e-12 <= value <= 1.0 + 1e-12
    psa, _ = positive_agreement(both, a, b)
    assert psa == positive_agreement(both, b, a)[0]
    if psa is not None:
        assert 0.0 <= psa <= 1.0
    if a == b == 0 and both + neither > 0:  # identical coders
        assert brennan_prediger(both, 0, 0, neither)[0] == 1.0 and gwet_ac1(both, 0, 0, neither)[0] == 1.0


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda m: st.lists(st.integers(0, m), min_size=1, max_size=30).map(lambda c: (m, c))
    )
)
def test_binary_closed_forms_match_the_general_formulas(data: tuple[int, list[int]]) -> None:
    m, coded = data
    s1, s2 = sum(coded), sum(c * c for c in coded)
    fleiss, _ = fleiss_kappa_binary(len(coded), m, s1, s2)
    general, _ = fleiss_kappa([[m - c, c] for c in coded])
    alpha, _ = nominal_alpha_binary(len(coded), m, s1, s2)
    if general is None:
        assert fleiss is None and alpha is None
        return
    assert fleiss == pytest.approx(general, abs=1e-12)
    # Krippendorff's α from the `krippendorff` package: coders × units, 1 = coded
    reliability = np.array([[1 if i < c else 0 for c in coded] for i in range(m)], dtype=float)
    assert alpha == pytest.approx(krippendorff.alpha(reliability, level_of_measurement="nominal"), abs=1e-9)


def test_report_carries_fleiss_and_nominal_alpha_at_character_level() -> None:
    # 3 coders over 12 characters: a [0, 6), b [2, 6), c [2, 8)
    spans = [CodedSpan(1, "x", "a", 0, 6), CodedSpan(1, "x", "b", 2, 6), CodedSpan(1, "x", "c", 2, 8)]
    report = compute_agreement(spans, [Continuum(1, 12)])
    per_char = [[3 - n, n] for n in [1, 1, 3, 3, 3, 3, 1, 1, 0, 0, 0, 0]]
    group = report.coder_set("x")
    assert group.fleiss_kappa == pytest.approx(fleiss_kappa(per_char)[0])
    assert group.nominal_alpha == pytest.approx(
        nominal_alpha_characters(spans, [Continuum(1, 12)], "x").alpha
    )
    # identical coders agree perfectly on every coefficient
    same = compute_agreement([CodedSpan(1, "x", k, 2, 5) for k in "abc"], [Continuum(1, 12)])
    assert same.coder_set().fleiss_kappa == same.coder_set().nominal_alpha == 1.0
    row = same.pair("x", "a", "c")
    assert (row.positive_agreement, row.pabak, row.ac1, row.alpha_u) == (1.0, 1.0, 1.0, 1.0)
