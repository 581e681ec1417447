"""Bootstrap intervals over documents: the decomposition, reproducibility and the readings."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import ALL_CODES, CodedSpan, Continuum, compute_agreement
from annotator.core.agreement_table import build_span_table
from annotator.core.bootstrap import (
    bootstrap_agreement,
    document_weights,
    resampled_alpha_u,
    resampled_kappa,
    sufficient_statistics,
)

CODERS = ("alice", "bob", "carol")


def typical_corpus(
    n_docs: int = 12, length: int = 2_000, seed: int = 3
) -> tuple[list[CodedSpan], list[Continuum]]:
    """Coders who mostly agree: true spans kept, shifted a little, or dropped."""
    rng = np.random.default_rng(seed)
    spans: list[CodedSpan] = []
    for doc in range(n_docs):
        for code in ("A", "B"):
            starts = rng.integers(0, length - 200, 8)
            widths = rng.integers(10, 150, 8)
            for coder in CODERS:
                for s, w in zip(starts, widths, strict=True):
                    fate = rng.random()
                    if fate < 0.1:
                        continue
                    shift = int(rng.integers(-10, 11)) if fate < 0.3 else 0
                    spans.append(CodedSpan(doc, code, coder, max(0, int(s) + shift), int(s + w)))
    return spans, [Continuum(doc, length) for doc in range(n_docs)]


def point_and_ones(spans: list[CodedSpan], continua: list[Continuum], gram: bool) -> None:
    table = build_span_table(spans, continua)
    report = compute_agreement(spans, continua)
    stats = sufficient_statistics(table)
    if not gram:
        stats = replace(stats, gram=None)
    ones = np.ones((1, len(continua)), dtype=np.int64)
    codes = [*table.codes, ALL_CODES]
    alphas = resampled_alpha_u(stats, ones)[0]
    for k, code in enumerate(codes):
        expected = report.alpha_u(code).alpha
        if expected is None:
            assert np.isnan(alphas[k]), code
        else:
            assert alphas[k] == pytest.approx(expected, rel=1e-12, abs=1e-12), code
    for (a, b), values in resampled_kappa(stats, ones).items():
        for k, code in enumerate(codes):
            kappa = report.pair(code, table.coders[a], table.coders[b]).kappa
            if kappa is None:
                assert np.isnan(values[0, k])
            else:
                assert values[0, k] == pytest.approx(kappa, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("gram", [True, False], ids=["per-document-pair table", "cumulative sums"])
def test_weights_of_all_ones_give_the_point_estimates(gram: bool) -> None:
    spans, continua = typical_corpus()
    assert sufficient_statistics(build_span_table(spans, continua)).gram is not None
    point_and_ones(spans, continua, gram)


span = st.tuples(
    st.integers(0, 2), st.sampled_from("AB"), st.sampled_from(CODERS), st.integers(0, 40), st.integers(1, 25)
)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.lists(span, max_size=25), st.lists(st.integers(0, 60), min_size=3, max_size=3))
def test_decomposition_holds_on_any_small_corpus(
    raw: list[tuple[int, str, str, int, int]], lengths: list[int]
) -> None:
    spans = [CodedSpan(d, code, coder, s, s + w) for d, code, coder, s, w in raw]
    continua = [Continuum(d, n) for d, n in enumerate(lengths)]
    for gram in (True, False):
        point_and_ones(spans, continua, gram)


def test_a_document_drawn_twice_counts_as_two_documents() -> None:
    spans, continua = typical_corpus(n_docs=3)
    doubled = [*spans, *(replace(s, document_id=s.document_id + 10) for s in spans if s.document_id == 1)]
    expected = compute_agreement(doubled, [*continua, Continuum(11, 2_000)])
    stats = sufficient_statistics(build_span_table(spans, continua))
    for gram in (stats, replace(stats, gram=None)):
        alphas = resampled_alpha_u(gram, np.array([[1, 2, 1]]))
        assert alphas[0, -1] == pytest.approx(expected.alpha_u().alpha, rel=1e-12)
        kappa = resampled_kappa(gram, np.array([[1, 2, 1]]))[(0, 1)]
        assert kappa[0, -1] == pytest.approx(expected.pair(ALL_CODES, "alice", "bob").kappa, rel=1e-12)


def test_the_same_seed_gives_the_same_intervals_and_another_seed_other_ones() -> None:
    spans, continua = typical_corpus()
    table = build_span_table(spans, continua)
    first = bootstrap_agreement(table, resamples=200, seed=7)
    again = bootstrap_agreement(table, resamples=200, seed=7)
    other = bootstrap_agreement(table, resamples=200, seed=8)
    assert first.alpha_u == again.alpha_u and first.kappa == again.kappa
    assert first.alpha_u[ALL_CODES] != other.alpha_u[ALL_CODES]
    assert (first.resamples, first.seed, first.documents) == (200, 7, 12)


def test_every_resample_draws_as_many_documents_as_there_are() -> None:
    weights = document_weights(12, 500, seed=1)
    assert weights.shape == (500, 12)
    assert (weights.sum(axis=1) == 12).all()
    assert (weights.mean(axis=0) > 0.8).all()  # every document gets drawn about once per resample


def test_the_interval_contains_the_point_estimate_on_typical_data() -> None:
    spans, continua = typical_corpus()
    table = build_span_table(spans, continua)
    report = compute_agreement(spans, continua)
    result = bootstrap_agreement(table, resamples=500, seed=1)
    for code in ("A", "B", ALL_CODES):
        ci = result.alpha_u[code]
        assert ci.low is not None and ci.high is not None
        assert ci.low < report.alpha_u(code).alpha < ci.high
        assert ci.defined == 500
        kappa = result.kappa[(code, "alice", "bob")]
        assert kappa.low < report.pair(code, "alice", "bob").kappa < kappa.high


def test_identical_coders_give_the_interval_one_to_one() -> None:
    spans, continua = typical_corpus()
    same = [replace(s, coder=c) for s in spans if s.coder == "alice" for c in CODERS]
    result = bootstrap_agreement(build_span_table(same, continua), resamples=100, seed=2)
    for ci in [*result.alpha_u.values(), *result.kappa.values()]:
        assert (ci.low, ci.high, ci.below) == (pytest.approx(1.0), pytest.approx(1.0), 0.0)


def test_the_share_below_the_minimum_reads_the_resamples() -> None:
    spans, continua = typical_corpus()
    table = build_span_table(spans, continua)
    point = compute_agreement(spans, continua).alpha_u().alpha
    assert point is not None
    assert bootstrap_agreement(table, 200, 1, min_alpha=0.0).alpha_u[ALL_CODES].below == 0.0
    assert bootstrap_agreement(table, 200, 1, min_alpha=1.01).alpha_u[ALL_CODES].below == 1.0
    middle = bootstrap_agreement(table, 200, 1, min_alpha=point).alpha_u[ALL_CODES].below
    assert middle is not None and 0.1 < middle < 0.9


def test_undefined_figures_have_no_interval_and_bad_counts_are_refused() -> None:
    continua = [Continuum(0, 100), Continuum(1, 100)]
    one_coder = [CodedSpan(0, "A", "alice", 0, 10)]
    result = bootstrap_agreement(build_span_table(one_coder, continua), resamples=20)
    assert result.alpha_u[ALL_CODES].low is None and result.alpha_u[ALL_CODES].defined == 0
    with pytest.raises(ValueError, match="at least 1"):
        bootstrap_agreement(build_span_table(one_coder, continua), resamples=0)
