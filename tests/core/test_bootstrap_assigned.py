"""Bootstrap intervals when assignments leave coders out of some documents: every resample equals
the point estimate of ``compute_assigned_agreement`` recomputed on the resampled documents."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import ALL_CODES, CodedSpan, Continuum
from annotator.core.agreement_table import build_span_table
from annotator.core.assigned_agreement import (
    assignment_mask,
    compute_assigned_agreement,
    counting_table,
)
from annotator.core.bootstrap import (
    bootstrap_agreement,
    document_weights,
    resampled_alpha_u,
    resampled_kappa,
    sufficient_statistics,
)
from annotator.core.unitizing_2016 import family_sums, resampled_family
from tests.core.test_bootstrap import CODERS, typical_corpus

Assigned = dict[int, set[str]]


def _assigned(n_docs: int) -> Assigned:
    """Rotating pairs, one document with all three, one unassigned (everyone counts), one alone."""
    pairs = [{"alice", "bob"}, {"bob", "carol"}, {"alice", "carol"}, set(CODERS), {"alice"}]
    return {d: pairs[d % len(pairs)] for d in range(n_docs) if d % 6 != 5}


def _resampled(
    spans: list[CodedSpan], continua: list[Continuum], assigned: Assigned, weights: np.ndarray
) -> tuple[list[CodedSpan], list[Continuum], Assigned]:
    """The corpus a resample stands for: document d drawn w times as w separate documents."""
    out_spans, out_continua, out_assigned = [], [], {}
    for d, (continuum, count) in enumerate(zip(continua, weights, strict=True)):
        for copy in range(int(count)):
            new_id = 1000 * copy + continuum.document_id
            out_continua.append(replace(continuum, document_id=new_id))
            out_spans += [replace(s, document_id=new_id) for s in spans if s.document_id == d]
            if continuum.document_id in assigned:
                out_assigned[new_id] = assigned[continuum.document_id]
    return out_spans, out_continua, out_assigned


def _same(value: float, expected: float | None) -> bool:
    if expected is None:
        return bool(np.isnan(value))
    return value == pytest.approx(expected, rel=1e-9, abs=1e-12)


def _check_resamples(
    spans: list[CodedSpan], continua: list[Continuum], assigned: Assigned, seed: int
) -> None:
    codes = sorted({s.code for s in spans}) or ["A"]
    table, mask = counting_table(build_span_table(spans, continua, coders=CODERS, codes=codes), assigned)
    weights = document_weights(len(continua), 6, seed)
    for gram in (True, False):
        stats = sufficient_statistics(table, 6, mask)
        stats = stats if gram else replace(stats, gram=None)
        alphas = resampled_alpha_u(stats, weights)
        kappas = resampled_kappa(stats, weights)
        family = resampled_family(family_sums(table, mask), table.codes, weights)
        for r, row in enumerate(weights):
            report = compute_assigned_agreement(
                *_resampled(spans, continua, assigned, row), coders=CODERS, codes=codes
            )
            for k, code in enumerate([*codes, ALL_CODES]):
                assert _same(alphas[r, k], report.alpha_u(code).alpha), (r, code)
                for (a, b), values in kappas.items():
                    assert _same(values[r, k], report.pair(code, CODERS[a], CODERS[b]).kappa), (r, code, a, b)
            for (measure, code), values in family.items():
                expected = report.family_2016(code)
                assert expected is not None
                assert _same(values[r], getattr(expected, measure).value), (r, measure, code)


def test_every_resample_equals_the_point_estimate_recomputed_with_missing_coders() -> None:
    spans, continua = typical_corpus(n_docs=8, length=600, seed=7)
    _check_resamples(spans, continua, _assigned(len(continua)), seed=11)


span = st.tuples(
    st.integers(0, 2), st.sampled_from("AB"), st.sampled_from(CODERS), st.integers(0, 40), st.integers(1, 25)
)
who = st.frozensets(st.sampled_from(CODERS))


@settings(max_examples=40, derandomize=True, deadline=None)
@given(
    st.lists(span, max_size=20),
    st.lists(st.integers(0, 60), min_size=3, max_size=3),
    st.lists(st.none() | who, min_size=3, max_size=3),
    st.integers(0, 50),
)
def test_resamples_with_missing_coders_hold_on_any_small_corpus(
    raw: list[tuple[int, str, str, int, int]],
    lengths: list[int],
    assignments: list[frozenset[str] | None],
    seed: int,
) -> None:
    spans = [CodedSpan(d, code, coder, s, s + w) for d, code, coder, s, w in raw]
    continua = [Continuum(d, n) for d, n in enumerate(lengths)]
    assigned = {d: set(c) for d, c in enumerate(assignments) if c is not None}
    _check_resamples(spans, continua, assigned, seed)


def test_intervals_with_missing_coders_are_seeded_and_reproducible() -> None:
    spans, continua = typical_corpus(n_docs=10, length=800, seed=2)
    table = build_span_table(spans, continua, coders=CODERS)
    mask = assignment_mask(table, _assigned(len(continua)))
    first = bootstrap_agreement(table, 200, seed=4, counted=mask)
    again = bootstrap_agreement(table, 200, seed=4, counted=mask)
    other = bootstrap_agreement(table, 200, seed=5, counted=mask)
    everyone = bootstrap_agreement(table, 200, seed=4)
    assert first.alpha_u == again.alpha_u and first.kappa == again.kappa
    assert first.unitizing_2016 == again.unitizing_2016
    assert first.alpha_u[ALL_CODES] != other.alpha_u[ALL_CODES]
    assert first.alpha_u[ALL_CODES] != everyone.alpha_u[ALL_CODES]  # the missing coders matter
    point = compute_assigned_agreement(spans, continua, _assigned(len(continua)), coders=CODERS).alpha_u()
    ci = first.alpha_u[ALL_CODES]
    assert point.alpha is not None and ci.low is not None and ci.high is not None
    assert ci.low <= point.alpha <= ci.high
