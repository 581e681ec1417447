"""Bootstrap confidence intervals for αU, the 2016 unitizing family and κ, resampling documents.

Characters are not independent (a unit spans many; a coder's habits hold across a work), so the
resampled items are *documents*: each resample draws D documents with replacement from the D in
scope, and every pooled figure is recomputed on that sample (a document drawn twice counts twice,
as two hard-bounded continua). The 95% interval is the 2.5th–97.5th percentile of the resampled
values (Efron's percentile interval); ``below`` is the share of resamples whose value falls under
a chosen minimum (e.g. Krippendorff's .667 or .800): the estimated probability of failing it
(Hayes & Krippendorff 2007, *Communication Methods and Measures* 1, use the same reading).

Speed: every figure is a function of per-document sums, so each is computed once
(:func:`sufficient_statistics`) and a resample with document weights w (how often each document
was drawn) is a weighted sum — never a pass over characters:

- κ: the 2×2 counts of every (pair, code, document) are summed with w.
- αU (Krippendorff 2004; see ``unitizing``) pooled per code: Σ δ², the unit count N_k, the
  Σ l(l − 1)(2l − 1)/3 and Σ l(l − 1) terms and the length L are sums over documents. The only
  cross-document term of uDe, Σ_units l² Σ_{gaps ≥ l} (l_gap − l + 1), pairs units of one
  document with gaps of every document; with gaps sorted by length once, it is a weighted
  cumulative sum over gaps per resample (linear in the number of units and gaps).

- The 2016 family (uα, |uα, cuα, (k)uα; ``unitizing_2016``): every term is a sum over
  documents, so a resample is one matrix product per term (``resampled_family``).

- Coders missing on some documents (``counted``: assignments, see ``assigned_agreement``): a
  missing coder contributes nothing there. κ of a pair sums only the documents both count on;
  αU's m(m − 1)L and mL become the sums over documents of m_d(m_d − 1)L_d and m_d L_d, which are
  per-document sums like the others; the 2016 family already takes ``counted``.

With all weights 1 the decomposition gives the point estimate (tested).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from annotator.core.agreement_table import FloatArray, IntArray, SpanTable, coverage, line_sums
from annotator.core.assigned_agreement import assigned_gaps, assigned_observed_sums, counting
from annotator.core.unitizing import ALL_CODES, _gaps, _observed_sums
from annotator.core.unitizing_2016 import family_sums, resampled_family

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 1
DEFAULT_MIN_ALPHA = 0.667
CONFIDENCE = 0.95
_CHUNK = 8  # resamples per vectorised step: bounds memory to a few arrays of chunk × spans
_GRAM_LIMIT = 20_000_000  # at most this many K·D² entries (160 MB) for the per-document-pair table
_PASSES = 12  # rough cost of one resample's cumulative-sum pass, in element operations per span
_PROGRESS_STEP = 40  # resamples between progress reports (and chances to cancel)

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Interval:
    """A percentile interval; ``low``/``high`` None when the figure was undefined in every resample.

    ``below`` is the share of the ``defined`` resamples whose value is under the minimum.
    """

    low: float | None
    high: float | None
    below: float | None
    defined: int


@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """Pooled intervals: αU of all coders per code (and ``"*"``), κ per code and coder pair."""

    resamples: int
    seed: int
    min_alpha: float
    documents: int
    alpha_u: dict[str, Interval]
    kappa: dict[tuple[str, str, str], Interval]  # (code, coder_a, coder_b), coder_a first in order
    # The 2016 family (``unitizing_2016``), keyed (measure, code) as ``resampled_family`` names them
    unitizing_2016: dict[tuple[str, str], Interval] = field(default_factory=dict)

    @property
    def confidence(self) -> float:
        return CONFIDENCE


@dataclass(frozen=True, eq=False)
class SufficientStatistics:
    """Per (code, document) sums every resampled figure is built from (arrays are K × D)."""

    coders: tuple[str, ...]
    codes: tuple[str, ...]
    length: IntArray  # (D,) included characters
    n_units: IntArray
    observed: FloatArray  # Σ over ordered coder pairs of δ²
    cubic: FloatArray  # Σ l(l − 1)(2l − 1) / 3 over units
    self_pairs: FloatArray  # Σ l(l − 1) over units
    # The cross-document gap term: units sorted by code, gaps sorted by (code, length).
    unit_doc: IntArray
    unit_len: IntArray
    unit_lo: IntArray  # first gap of the unit's code at least as long as the unit
    unit_hi: IntArray  # end of the unit's code among the sorted gaps
    code_bounds: IntArray  # (K + 1,) where each code's units start
    gap_doc: IntArray
    gap_len: IntArray
    pair_counts: dict[tuple[int, int], tuple[IntArray, IntArray, IntArray]]  # both, only a, only b
    gram: FloatArray | None = None  # K × D × D: the gap term of units of d against gaps of e
    # With missing coders: m_d L_d and m_d (m_d − 1) L_d per document, and each pair's shared length
    sections: FloatArray | None = None
    pairable: FloatArray | None = None
    pair_length: dict[tuple[int, int], IntArray] | None = None


def sufficient_statistics(
    table: SpanTable, resamples: int = DEFAULT_RESAMPLES, counted: BoolArray | None = None
) -> SufficientStatistics:
    """Compute the per-document sums of ``table`` once (about the cost of one point estimate).

    ``counted`` (coders × documents) says who counts where; ``table`` must then be the one
    ``assigned_agreement.counting`` returns with it (missing coders' units left out).

    With few documents the gap term is also tabulated per document pair (K × D × D), so that a
    resample costs K·D² instead of a pass over all units and gaps; chosen when cheaper in total.
    """
    n_codes, n_docs, m = len(table.codes), len(table.document_ids), len(table.coders)
    shape = (n_codes, n_docs)
    unit_line = [table.line_of(s) for s in table.unit_start]
    if m < 2:
        observed = np.zeros(table.n_lines)
    elif counted is None:
        observed = _observed_sums(table, unit_line)
    else:
        observed = assigned_observed_sums(table, counted, unit_line)
    empty = np.zeros(0, dtype=np.int64)
    lines = np.concatenate(unit_line) if unit_line else empty
    lengths = (
        np.concatenate([e - s for s, e in zip(table.unit_start, table.unit_end, strict=True)])
        if unit_line
        else empty
    )
    length_f = lengths.astype(np.float64)
    cubic = length_f * (length_f - 1.0) * (2.0 * length_f - 1.0) / 3.0
    if not m:
        gap_len, gap_line = empty, empty
    else:
        gap_len, gap_line = _gaps(table) if counted is None else assigned_gaps(table, counted)
    length = table.included_length.astype(np.int64)
    extra: dict[str, object] = {}
    if counted is not None:
        coders_d = counted.sum(axis=0).astype(np.int64)
        length = length * (coders_d >= 2)
        extra = {
            "sections": (coders_d * length).astype(np.float64),
            "pairable": (coders_d * (coders_d - 1) * length).astype(np.float64),
            "pair_length": {
                (a, b): table.included_length.astype(np.int64) * (counted[a] & counted[b])
                for a in range(m)
                for b in range(a + 1, m)
            },
        }
    n_docs_safe = max(n_docs, 1)
    big = int(max(lengths.max(initial=0), gap_len.max(initial=0))) + 1
    gap_key = (gap_line // n_docs_safe) * big + gap_len
    gap_order = np.argsort(gap_key, kind="stable")
    gap_key = gap_key[gap_order]
    unit_code = lines // n_docs_safe
    unit_order = np.argsort(unit_code, kind="stable")
    lines, lengths, unit_code = lines[unit_order], lengths[unit_order], unit_code[unit_order]
    stats = SufficientStatistics(
        coders=table.coders,
        codes=table.codes,
        length=length,
        n_units=np.bincount(lines, minlength=table.n_lines).astype(np.int64).reshape(shape),
        observed=observed.reshape(shape),
        cubic=line_sums(table, lines, cubic[unit_order]).reshape(shape),
        self_pairs=line_sums(table, lines, length_f[unit_order] * (length_f[unit_order] - 1.0)).reshape(
            shape
        ),
        unit_doc=lines % n_docs_safe,
        unit_len=lengths,
        unit_lo=np.searchsorted(gap_key, unit_code * big + lengths, side="left").astype(np.int64),
        unit_hi=np.searchsorted(gap_key, (unit_code + 1) * big, side="left").astype(np.int64),
        code_bounds=np.searchsorted(unit_code, np.arange(n_codes + 1)).astype(np.int64),
        gap_doc=(gap_line % n_docs_safe)[gap_order],
        gap_len=gap_len[gap_order],
        pair_counts=_pair_counts(table, counted),
        **extra,  # type: ignore[arg-type]
    )
    spans = stats.unit_len.size + stats.gap_len.size
    n_codes = len(table.codes)
    gram_cost = n_docs * spans + resamples * n_codes * n_docs * n_docs
    if n_codes * n_docs * n_docs <= _GRAM_LIMIT and gram_cost < resamples * spans * _PASSES:
        return replace(stats, gram=_gram(stats, gap_key, unit_code * big + lengths, (unit_code + 1) * big))
    return stats


def _gram(
    stats: SufficientStatistics, gap_key: IntArray, unit_key: IntArray, end_key: IntArray
) -> FloatArray:
    """K × D × D: Σ over units of code k in d of l² Σ_{gaps of k in e, length ≥ l} (l_gap − l + 1)."""
    n_codes, n_docs = stats.n_units.shape
    unit_line = np.repeat(np.arange(n_codes, dtype=np.int64), np.diff(stats.code_bounds)) * n_docs
    unit_line += stats.unit_doc
    squares = stats.unit_len.astype(np.float64) ** 2
    gram = np.zeros((n_codes, n_docs, n_docs))
    for e in range(n_docs):
        mine = stats.gap_doc == e
        key, length = gap_key[mine], stats.gap_len[mine]
        count = np.arange(key.size + 1, dtype=np.int64)
        total = np.concatenate(([0], np.cumsum(length)))
        lo = np.searchsorted(key, unit_key, side="left")
        hi = np.searchsorted(key, end_key, side="left")
        fitting = (total[hi] - total[lo]) - (stats.unit_len - 1) * (count[hi] - count[lo])
        sums = np.bincount(unit_line, weights=squares * fitting, minlength=n_codes * n_docs)
        gram[:, :, e] = sums.reshape(n_codes, n_docs)
    return gram


def _pair_counts(
    table: SpanTable, counted: BoolArray | None = None
) -> dict[tuple[int, int], tuple[IntArray, IntArray, IntArray]]:
    shape = (len(table.codes), len(table.document_ids))
    cov = coverage(table)
    bits = [(cov.state >> np.int64(c)) & 1 for c in range(len(table.coders))]

    def characters(values: IntArray) -> IntArray:
        return np.rint(line_sums(table, cov.line, cov.length * values)).astype(np.int64).reshape(shape)

    coded = [characters(bit) for bit in bits]
    out: dict[tuple[int, int], tuple[IntArray, IntArray, IntArray]] = {}
    for a in range(len(bits)):
        for b in range(a + 1, len(bits)):
            both = characters(bits[a] & bits[b])
            shared = 1 if counted is None else (counted[a] & counted[b]).astype(np.int64)[None, :]
            out[(a, b)] = (both * shared, (coded[a] - both) * shared, (coded[b] - both) * shared)
    return out


def document_weights(n_docs: int, resamples: int, seed: int) -> IntArray:
    """resamples × D: how often each document is drawn in each resample (numpy Generator, seeded)."""
    rng = np.random.default_rng(seed)
    drawn = rng.integers(0, n_docs, size=(resamples, n_docs)) if n_docs else np.zeros((resamples, 0), int)
    weights = np.zeros((resamples, n_docs), dtype=np.int64)
    for r in range(resamples):
        weights[r] = np.bincount(drawn[r], minlength=n_docs)
    return weights


def _chunks(weights: IntArray) -> Iterator[IntArray]:
    for start in range(0, weights.shape[0], _CHUNK):
        yield weights[start : start + _CHUNK]


def _gap_terms(stats: SufficientStatistics, w: IntArray) -> FloatArray:
    """b × K: Σ_units w_u l² Σ_{gaps of the code, length ≥ l} w_g (l_g − l + 1), pooled per code."""
    n_codes = len(stats.codes)
    if stats.unit_len.size == 0:
        return np.zeros((w.shape[0], n_codes))
    if stats.gram is not None:
        wf = w.astype(np.float64)
        return np.stack([((wf @ stats.gram[k]) * wf).sum(axis=1) for k in range(n_codes)], axis=1)
    gap_w = w[:, stats.gap_doc]
    zero = np.zeros((w.shape[0], 1), dtype=np.int64)
    count = np.hstack((zero, np.cumsum(gap_w, axis=1)))
    total = np.hstack((zero, np.cumsum(gap_w * stats.gap_len, axis=1)))
    lo, hi = stats.unit_lo, stats.unit_hi
    fitting = (total[:, hi] - total[:, lo]) - (stats.unit_len - 1) * (count[:, hi] - count[:, lo])
    contribution = (w[:, stats.unit_doc] * fitting).astype(np.float64) * (
        stats.unit_len.astype(np.float64) ** 2
    )
    bounds = stats.code_bounds
    return np.stack([contribution[:, bounds[k] : bounds[k + 1]].sum(axis=1) for k in range(n_codes)], axis=1)


def resampled_alpha_u(stats: SufficientStatistics, weights: IntArray) -> FloatArray:
    """B × (K + 1): pooled αU per code and over all codes (last column); NaN where undefined."""
    m = len(stats.coders)
    out = np.full((weights.shape[0], len(stats.codes) + 1), np.nan)
    if m < 2:
        return out
    row = 0
    for w in _chunks(weights):
        wf = w.astype(np.float64)
        length = wf @ stats.length.astype(np.float64)  # (b,)
        n_units = w @ stats.n_units.T  # (b, K)
        observed_sum = wf @ stats.observed.T
        numerator = (n_units - 1) * (wf @ stats.cubic.T) + _gap_terms(stats, w)
        if stats.sections is None or stats.pairable is None:
            ml = m * length[:, None]
            positions = m * (m - 1) * length[:, None] ** 2
        else:  # missing coders: Σ_d m_d L_d sections, Σ_d m_d (m_d − 1) L_d · L pairable positions
            ml = (wf @ stats.sections)[:, None]
            positions = (wf @ stats.pairable)[:, None] * length[:, None]
        denominator = ml * (ml - 1.0) - wf @ stats.self_pairs.T
        with np.errstate(divide="ignore", invalid="ignore"):
            observed = observed_sum / positions
            expected = np.where(denominator > 0, 2.0 / length[:, None] * numerator / denominator, 0.0)
            alpha = np.where((n_units > 0) & (expected > 0), 1.0 - observed / expected, np.nan)
            used = (n_units > 0) & (length[:, None] > 0)
            all_observed = np.where(used, observed, 0.0).sum(axis=1)
            all_expected = np.where(used, expected, 0.0).sum(axis=1)
            overall = np.where(all_expected > 0, 1.0 - all_observed / all_expected, np.nan)
        alpha[length == 0] = np.nan
        out[row : row + w.shape[0], :-1] = alpha
        out[row : row + w.shape[0], -1] = overall
        row += w.shape[0]
    return out


def resampled_kappa(stats: SufficientStatistics, weights: IntArray) -> dict[tuple[int, int], FloatArray]:
    """Per coder pair, B × (K + 1): pooled Cohen's κ per code and over the codes used in the
    resample (last column, as ``compute_agreement``'s ``"*"``); NaN where undefined."""
    used: BoolArray = (weights @ stats.n_units.T) > 0  # (B, K)
    out: dict[tuple[int, int], FloatArray] = {}
    for pair, counts in stats.pair_counts.items():
        n = weights @ (stats.length if stats.pair_length is None else stats.pair_length[pair])  # (B,)
        both, only_a, only_b = (weights @ c.T for c in counts)  # (B, K)
        all_codes = [np.where(used, x, 0).sum(axis=1, keepdims=True) for x in (both, only_a, only_b)]
        both, only_a, only_b = (
            np.hstack((x, s)) for x, s in zip((both, only_a, only_b), all_codes, strict=True)
        )
        n_cols = np.hstack((np.repeat(n[:, None], len(stats.codes), axis=1), (n * used.sum(axis=1))[:, None]))
        out[pair] = _kappa(both, only_a, only_b, n_cols)
    return out


def _kappa(both: IntArray, only_a: IntArray, only_b: IntArray, n: IntArray) -> FloatArray:
    """Cohen's κ elementwise from exact int64 counts (see ``kappa``); NaN where p_e = 1 or N = 0."""
    a, b = both + only_a, both + only_b
    neither = n - both - only_a - only_b
    chance = a * b + (n - a) * (n - b)
    denominator = n * n - chance
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (n * (both + neither) - chance) / denominator.astype(np.float64)
    return np.where(denominator > 0, value, np.nan)


def interval(values: FloatArray, min_alpha: float) -> Interval:
    """The percentile interval of the defined values and the share under ``min_alpha``."""
    defined = values[~np.isnan(values)]
    if defined.size == 0:
        return Interval(None, None, None, 0)
    tail = (1.0 - CONFIDENCE) / 2.0 * 100.0
    low, high = np.percentile(defined, [tail, 100.0 - tail])
    below = float(np.mean(defined < min_alpha))
    return Interval(float(low), float(high), below, int(defined.size))


def bootstrap_agreement(
    table: SpanTable,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    min_alpha: float = DEFAULT_MIN_ALPHA,
    progress: Callable[[int, int], None] | None = None,
    counted: BoolArray | None = None,
) -> BootstrapResult:
    """Percentile intervals of pooled αU (per code and ``"*"``) and κ (per pair and code).

    ``progress(done, total)`` is called as resamples are finished; it may raise to stop early
    (the caller's cancellation). The result does not depend on it. ``counted`` (coders ×
    documents) says who counts on which document (assignments; default everyone everywhere).
    """
    if resamples < 1:
        raise ValueError("the number of resamples must be at least 1")
    if counted is not None:
        table, counted = counting(table, counted)
    stats = sufficient_statistics(table, resamples, counted)
    weights = document_weights(len(table.document_ids), resamples, seed)
    codes = [*table.codes, ALL_CODES]
    blocks = []
    for start in range(0, resamples, _PROGRESS_STEP):
        blocks.append(resampled_alpha_u(stats, weights[start : start + _PROGRESS_STEP]))
        if progress is not None:
            progress(min(start + _PROGRESS_STEP, resamples), resamples)
    alphas = np.vstack(blocks)
    alpha_u = {code: interval(alphas[:, k], min_alpha) for k, code in enumerate(codes)}
    kappa: dict[tuple[str, str, str], Interval] = {}
    for (a, b), values in resampled_kappa(stats, weights).items():
        for k, code in enumerate(codes):
            kappa[(code, table.coders[a], table.coders[b])] = interval(values[:, k], min_alpha)
    family = {
        key: interval(values, min_alpha)
        for key, values in resampled_family(family_sums(table, counted), table.codes, weights).items()
    }
    return BootstrapResult(resamples, seed, min_alpha, len(table.document_ids), alpha_u, kappa, family)
