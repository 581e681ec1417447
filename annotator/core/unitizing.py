"""Krippendorff's unitizing alpha, αU (Krippendorff 2004, *Content Analysis*, 2nd ed., §11.6).

Each coder i cuts a continuum of length L into consecutive *sections* g with beginning b_ig
and length l_ig; for one code k a section is either a *unit* (coded with k, w_ig = 1) or a
*gap* (not coded with k, w_ig = 0). The squared distance between section g of coder i and
section h of coder j is

    δ²_ighj = (b_ig − b_jh)² + (b_ig + l_ig − b_jh − l_jh)²   both units, and they overlap
            = l_ig²                                         g a unit lying inside gap h
            = l_jh²                                         h a unit lying inside gap g
            = 0                                             otherwise (incl. gap vs gap).

With m coders and N_k units of code k over all coders:

    uDo_k = Σ_i Σ_{j≠i} Σ_g Σ_h δ²_ighj / (m (m − 1) L²)

    uDe_k = (2 / L) · Σ_i Σ_g w_ig [ (N_k − 1)(2 l_ig³ − 3 l_ig² + l_ig) / 3
                                      + l_ig² Σ_j Σ_h (1 − w_jh)(l_jh − l_ig + 1)[l_jh ≥ l_ig] ]
            / [ m L (m L − 1) − Σ_i Σ_g w_ig l_ig (l_ig − 1) ]

    αU_k = 1 − uDo_k / uDe_k,   and over all codes   αU = 1 − Σ_k uDo_k / Σ_k uDe_k.

The example on p. 254 of the book (reproduced in DKPro Statistics) gives αU_c = .7286,
αU_k = 1 and αU = .8591; see ``tests/core/test_unitizing.py``.

Several continua (documents, or the included ranges of one document) are pooled by treating
them as one continuum whose length L is their summed length, with hard boundaries: no unit and
no gap runs across a boundary. Units of one coder and code are that coder's spans of the code
with overlaps merged; touching spans stay separate units (see ``agreement_table``).

Note: Krippendorff, Mathet, Bouvry & Widlöcher (2016, *Quality & Quantity* 50) revised this
definition because it behaves unexpectedly with more than two coders; this module implements
the 2004 book's definition as specified.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.core.agreement_table import (
    FloatArray,
    IntArray,
    SpanColumns,
    SpanTable,
    build_span_table,
    expand_overlaps,
    line_sums,
)
from annotator.core.agreement_types import CodedSpan, Continuum

ALL_CODES = "*"
NOTE_FEW_CODERS = "undefined: needs at least two coders"
NOTE_EMPTY_SCOPE = "undefined: no characters in scope (empty document or zone filter excludes all)"
NOTE_UNUSED_CODE = "undefined: no coder used this code in scope"
NOTE_UNUSED_CODES = "undefined: no coder used any code in scope"
NOTE_NO_EXPECTED = "undefined: expected disagreement uDe = 0"


@dataclass(frozen=True, slots=True)
class UnitizingAlpha:
    """αU with its observed and expected disagreement; ``alpha`` None means undefined (see note)."""

    alpha: float | None
    observed: float | None
    expected: float | None
    note: str = ""


@dataclass(frozen=True, eq=False)
class _Disagreements:
    """Per pool: Σ_{i≠j} Σ δ², the numerator and denominator of uDe, unit count and length L."""

    observed_sum: FloatArray
    expected_num: FloatArray
    expected_den: FloatArray
    n_units: IntArray
    length: IntArray


def _pair_observed_terms(table: SpanTable, a: int, b: int, unit_line: Sequence[IntArray]) -> list[FloatArray]:
    """The three per-line parts of Σ_g Σ_h δ² of coders a and b (one order): overlapping units,
    a's units inside b's gaps, b's units inside a's gaps."""
    sa, ea, la = table.unit_start[a], table.unit_end[a], unit_line[a]
    sb, eb, lb = table.unit_start[b], table.unit_end[b], unit_line[b]
    i, j, count_a = expand_overlaps(sa, ea, sb, eb)
    both_units = (sa[i] - sb[j]) ** 2 + (ea[i] - eb[j]) ** 2
    # A unit that overlaps none of the other coder's units lies inside one of their gaps.
    alone_a = count_a == 0
    _, _, count_b = expand_overlaps(sb, eb, sa, ea)
    alone_b = count_b == 0
    return [
        line_sums(table, la[i], both_units),
        line_sums(table, la[alone_a], (ea - sa)[alone_a] ** 2),
        line_sums(table, lb[alone_b], (eb - sb)[alone_b] ** 2),
    ]


def _observed_total(n_lines: int, terms: Iterable[FloatArray]) -> FloatArray:
    """Σ over ordered coder pairs from each unordered pair's terms, summed in the given order."""
    total = np.zeros(n_lines, dtype=np.float64)
    for term in terms:
        total += term
    return 2.0 * total  # each unordered pair stands for (i, j) and (j, i)


def _observed_sums(table: SpanTable, unit_line: Sequence[IntArray]) -> FloatArray:
    """Σ over ordered coder pairs (i ≠ j) of Σ_g Σ_h δ²_ighj, per line."""
    m = len(table.coders)
    return _observed_total(
        table.n_lines,
        (
            term
            for a in range(m)
            for b in range(a + 1, m)
            for term in _pair_observed_terms(table, a, b, unit_line)
        ),
    )


def _coder_gaps(table: SpanTable, s: IntArray, e: IntArray) -> tuple[IntArray, IntArray]:
    """Lengths and lines of one coder's gaps (units ``[s, e)``): included stretches without a unit."""
    # Along each zone, zone start, unit starts/ends and zone end alternate as gap start,
    # gap end, ...; sorting starts and ends separately keeps them paired.
    gap_start = np.sort(np.concatenate((table.zone_start, e)))
    gap_end = np.sort(np.concatenate((s, table.zone_end)))
    length = gap_end - gap_start
    keep = length > 0
    return length[keep], table.line_of(gap_start[keep])


def _gaps(table: SpanTable) -> tuple[IntArray, IntArray]:
    """Lengths and lines of every coder's gaps: maximal included stretches without a unit."""
    parts = [_coder_gaps(table, s, e) for s, e in zip(table.unit_start, table.unit_end, strict=True)]
    return np.concatenate([g for g, _ in parts]), np.concatenate([line for _, line in parts])


def _gap_term(
    unit_pool: IntArray, unit_len: IntArray, gap_pool: IntArray, gap_len: IntArray, n_pools: int
) -> FloatArray:
    """Σ_units l² Σ_{gaps h in the same pool, l_h ≥ l} (l_h − l + 1), per pool."""
    if unit_len.size == 0:
        return np.zeros(n_pools, dtype=np.float64)
    big = int(max(unit_len.max(), gap_len.max() if gap_len.size else 0)) + 1
    key = gap_pool * big + gap_len
    order = np.argsort(key, kind="stable")
    key = key[order]
    cumulative = np.concatenate(([0], np.cumsum(gap_len[order])))
    lo = np.searchsorted(key, unit_pool * big + unit_len, side="left")
    hi = np.searchsorted(key, (unit_pool + 1) * big, side="left")
    fitting = (cumulative[hi] - cumulative[lo]) - (unit_len - 1) * (hi - lo)
    return _gap_sums(unit_pool, unit_len, fitting, n_pools)


def _gap_sums(unit_pool: IntArray, unit_len: IntArray, fitting: IntArray, n_pools: int) -> FloatArray:
    """Σ_units l² · fitting per pool, where fitting is Σ_{gaps of the pool, l_h ≥ l} (l_h − l + 1)."""
    if unit_len.size == 0:
        return np.zeros(n_pools, dtype=np.float64)
    weights = unit_len.astype(np.float64) ** 2 * fitting.astype(np.float64)
    return np.asarray(np.bincount(unit_pool, weights=weights, minlength=n_pools), np.float64)


def _expected_parts(
    m: int,
    unit_pool: IntArray,
    unit_len: IntArray,
    gap_pool: IntArray,
    gap_len: IntArray,
    length: IntArray,
    fitting: IntArray | None = None,
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Numerator (without the 2/L factor) and denominator of uDe per pool, and N per pool.

    ``fitting`` (per unit, Σ over the pool's gaps at least as long of l_h − l + 1) may be given
    precomputed (``unitizing_subsets``); the gaps are then not used."""
    n_pools = length.size
    n_units = np.bincount(unit_pool, minlength=n_pools).astype(np.int64)
    # (2l³ − 3l² + l) / 3 = l(l − 1)(2l − 1) / 3. In float64: in int64, 2l³ overflows for units
    # longer than ~1.66M characters (and the relative rounding of float64, ~1e-16, is harmless).
    length_f = unit_len.astype(np.float64)
    cubic = length_f * (length_f - 1.0) * (2.0 * length_f - 1.0) / 3.0
    cubic_sum = np.bincount(unit_pool, weights=cubic, minlength=n_pools)
    gap_term = (
        _gap_term(unit_pool, unit_len, gap_pool, gap_len, n_pools)
        if fitting is None
        else _gap_sums(unit_pool, unit_len, fitting, n_pools)
    )
    numerator = (n_units - 1) * cubic_sum + gap_term
    self_pairs = np.bincount(
        unit_pool, weights=(unit_len * (unit_len - 1)).astype(np.float64), minlength=n_pools
    )
    ml = float(m) * length.astype(np.float64)
    return numerator, ml * (ml - 1.0) - self_pairs, n_units


def _disagreements(table: SpanTable) -> tuple[_Disagreements, _Disagreements]:
    """Sums for the per-document pools (one per line) and the pooled ones (one per code)."""
    m = len(table.coders)
    n_docs = len(table.document_ids)
    unit_line = [table.line_of(s) for s in table.unit_start]
    observed = _observed_sums(table, unit_line) if m >= 2 else np.zeros(table.n_lines)
    lines = np.concatenate(unit_line) if unit_line else np.zeros(0, dtype=np.int64)
    unit_len = (
        np.concatenate([e - s for s, e in zip(table.unit_start, table.unit_end, strict=True)])
        if unit_line
        else np.zeros(0, dtype=np.int64)
    )
    gap_len, gap_line = _gaps(table) if m else (lines, lines)
    line_length = np.tile(table.included_length, len(table.codes))
    per_doc = _expected_parts(m, lines, unit_len, gap_line, gap_len, line_length)
    code_length = np.full(len(table.codes), int(table.included_length.sum()), dtype=np.int64)
    pooled = _expected_parts(
        m, lines // max(n_docs, 1), unit_len, gap_line // max(n_docs, 1), gap_len, code_length
    )
    pooled_observed = observed.reshape(len(table.codes), n_docs).sum(axis=1)
    return (
        _Disagreements(observed, per_doc[0], per_doc[1], per_doc[2], line_length),
        _Disagreements(pooled_observed, pooled[0], pooled[1], pooled[2], code_length),
    )


def _alpha(
    m: int, length: int, n_units: int, do_sum: float, num: float, den: float, unused_note: str
) -> UnitizingAlpha:
    """αU from one pool's sums (or the code-wise sums for all codes), with explicit notes."""
    if m < 2:
        return UnitizingAlpha(None, None, None, NOTE_FEW_CODERS)
    if length == 0:
        return UnitizingAlpha(None, None, None, NOTE_EMPTY_SCOPE)
    if n_units == 0:
        return UnitizingAlpha(None, None, None, unused_note)
    observed = do_sum / (m * (m - 1) * float(length) ** 2)
    expected = 2.0 / length * num / den if den > 0 else 0.0
    if expected <= 0.0:
        return UnitizingAlpha(None, observed, expected, NOTE_NO_EXPECTED)
    return UnitizingAlpha(1.0 - observed / expected, observed, expected)


def unitizing_alphas(table: SpanTable) -> dict[tuple[int | None, str], UnitizingAlpha]:
    """αU for every (document id, or None for pooled) × (code, or ``"*"`` for all codes)."""
    return _alphas_from(table, len(table.coders), *_disagreements(table))


def _alphas_from(
    table: SpanTable, m: int, per_doc: _Disagreements, pooled: _Disagreements
) -> dict[tuple[int | None, str], UnitizingAlpha]:
    """αU per scope and code from the sums of ``m`` coders (all of ``table``'s, or a subset)."""
    n_codes, n_docs = len(table.codes), len(table.document_ids)
    result: dict[tuple[int | None, str], UnitizingAlpha] = {}
    scopes: list[tuple[int | None, _Disagreements, list[int], int]] = [
        (None, pooled, list(range(n_codes)), int(table.included_length.sum()))
    ]
    scopes += [
        (doc_id, per_doc, [k * n_docs + d for k in range(n_codes)], int(table.included_length[d]))
        for d, doc_id in enumerate(table.document_ids)
    ]
    # Python numbers, read once: the same values as float()/int() of each element, far faster
    as_lists = {
        id(sums): (
            sums.n_units.tolist(),
            sums.observed_sum.astype(np.float64).tolist(),
            sums.expected_num.astype(np.float64).tolist(),
            sums.expected_den.astype(np.float64).tolist(),
        )
        for sums in (per_doc, pooled)
    }
    for doc_id, sums, pools, length in scopes:
        observed = expected = 0.0
        n_all = 0
        n_units, do_sums, nums, dens = as_lists[id(sums)]
        for code, p in zip(table.codes, pools, strict=True):
            one = _alpha(m, length, int(n_units[p]), do_sums[p], nums[p], dens[p], NOTE_UNUSED_CODE)
            result[(doc_id, code)] = one
            n_all += int(n_units[p])
            observed += one.observed or 0.0
            expected += one.expected or 0.0
        if m < 2 or length == 0 or n_all == 0:
            overall = _alpha(m, length, n_all, 0.0, 0.0, 0.0, NOTE_UNUSED_CODES)
        elif expected <= 0.0:
            overall = UnitizingAlpha(None, observed, expected, NOTE_NO_EXPECTED)
        else:
            overall = UnitizingAlpha(1.0 - observed / expected, observed, expected)
        result[(doc_id, ALL_CODES)] = overall
    return result


def unitizing_alpha(
    spans: Iterable[CodedSpan] | SpanColumns,
    continua: Sequence[Continuum],
    code: str = ALL_CODES,
    coders: Sequence[str] | None = None,
) -> UnitizingAlpha:
    """αU of one code (or ``"*"``: all codes) over ``continua`` pooled, for ``coders``.

    ``coders`` defaults to everyone who coded in these documents; a listed coder without spans
    counts as having coded nothing.
    """
    codes = None if code == ALL_CODES else [code]
    table = build_span_table(spans, continua, coders=coders, codes=codes)
    return unitizing_alphas(table)[(None, code)]
