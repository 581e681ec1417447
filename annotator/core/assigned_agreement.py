"""Agreement when coders were assigned different documents: an unassigned coder is *missing* there.

``compute_agreement`` counts every listed coder on every document, so a coder who was never
given a work "coded nothing" in it and drags every figure down. Here ``assigned`` says, per
document, which coders count; the others contribute neither units nor gaps there. A document
with fewer than two counting coders has no pairable data and drops out of the pooled figures
(as a unit with fewer than two values does in Krippendorff's α).

- κ, % and the other pair figures of coders a and b use the documents both were assigned.
- αU (Krippendorff 2004; see ``unitizing``) generalises the way α does for missing values: with
  m_d counting coders and L_d characters in document d, the m(m − 1)L pairable positions of
  uDo become P = Σ_d m_d(m_d − 1)L_d and the mL sections' positions of uDe become
  M = Σ_d m_d L_d:  uDo = Σ δ² / (P L),  uDe = (2 / L) · num / (M(M − 1) − Σ l(l − 1)),
  with L the usable length and num summed over the counting coders' units and gaps. With every
  coder counting everywhere this is exactly the 2004 formula (tested).
- Fleiss' κ needs the same number of coders per character: pooled over documents with different
  m_d it is undefined; nominal α sums each character's coincidences weighted 1/(m_d − 1).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.core.agreement import (
    NOTE_NO_CODE_USED,
    _pair_table,
    _pair_tables,
    _with_margins,
    codes_used,
    nominal_alpha_from_coincidences,
)
from annotator.core.agreement_report import AgreementReport
from annotator.core.agreement_table import (
    FloatArray,
    IntArray,
    SpanColumns,
    SpanTable,
    build_span_table,
    coverage,
    line_sums,
)
from annotator.core.agreement_types import CodedSpan, Continuum
from annotator.core.coefficients import CoderSetAgreement, coder_set_agreement
from annotator.core.kappa import PairAgreement, pair_agreement
from annotator.core.unitizing import (
    ALL_CODES,
    NOTE_EMPTY_SCOPE,
    NOTE_FEW_CODERS,
    NOTE_NO_EXPECTED,
    NOTE_UNUSED_CODE,
    NOTE_UNUSED_CODES,
    UnitizingAlpha,
    _expected_parts,
    _gaps,
    _observed_sums,
)
from annotator.core.unitizing_2016 import unitizing_family

BoolArray = npt.NDArray[np.bool_]
NOTE_UNASSIGNED = "undefined: fewer than two of the chosen coders were assigned this document"
NOTE_NOT_BOTH = "undefined: the two coders were not both assigned a document in this scope"
NOTE_MIXED_COUNTS = "undefined: documents were assigned to different numbers of coders (Fleiss' κ needs one)"


def assignment_mask(table: SpanTable, assigned: Mapping[int, Collection[str]]) -> BoolArray:
    """coders × documents: whether a coder counts on a document (a document not in ``assigned``
    counts every coder)."""
    mask = np.ones((len(table.coders), len(table.document_ids)), dtype=bool)
    for d, doc_id in enumerate(table.document_ids):
        if doc_id in assigned:
            mask[:, d] = [coder in assigned[doc_id] for coder in table.coders]
    return mask


def restricted(table: SpanTable, mask: BoolArray) -> SpanTable:
    """``table`` without the units of coders on documents where they do not count."""
    n_docs = max(len(table.document_ids), 1)
    starts, ends = [], []
    for c, (s, e) in enumerate(zip(table.unit_start, table.unit_end, strict=True)):
        keep = mask[c][table.line_of(s) % n_docs] if s.size else np.zeros(0, dtype=bool)
        starts.append(s[keep])
        ends.append(e[keep])
    return replace(table, unit_start=tuple(starts), unit_end=tuple(ends))


def _usable(table: SpanTable, mask: BoolArray) -> BoolArray:
    return mask & (mask.sum(axis=0) >= 2)[None, :]


def _alpha(
    length: int, raw_length: int, m: int, pairable: float, n_units: int, sums: tuple[float, float, float]
) -> UnitizingAlpha:
    do_sum, num, den = sums
    if m < 2:
        return UnitizingAlpha(None, None, None, NOTE_FEW_CODERS)
    if raw_length == 0:
        return UnitizingAlpha(None, None, None, NOTE_EMPTY_SCOPE)
    if pairable == 0:
        return UnitizingAlpha(None, None, None, NOTE_UNASSIGNED)
    if n_units == 0:
        return UnitizingAlpha(None, None, None, NOTE_UNUSED_CODE)
    observed = do_sum / (pairable * length)
    expected = 2.0 / length * num / den if den > 0 else 0.0
    if expected <= 0.0:
        return UnitizingAlpha(None, observed, expected, NOTE_NO_EXPECTED)
    return UnitizingAlpha(1.0 - observed / expected, observed, expected)


def assigned_observed_sums(table: SpanTable, mask: BoolArray, unit_line: Sequence[IntArray]) -> FloatArray:
    """Per line, uDo's Σ δ² over ordered pairs of coders, each pair on the documents where both
    count (``unit_line``: each coder's units' lines; ``table`` already ``restricted``)."""
    safe_docs = max(len(table.document_ids), 1)
    observed = np.zeros(table.n_lines)
    m = len(table.coders)
    for a in range(m):
        for b in range(a + 1, m):
            shared = mask[a] & mask[b]
            keep = [shared[unit_line[c] % safe_docs] for c in (a, b)]
            pair = replace(
                _pair_table(table, a, b),
                unit_start=tuple(table.unit_start[c][k] for c, k in zip((a, b), keep, strict=True)),
                unit_end=tuple(table.unit_end[c][k] for c, k in zip((a, b), keep, strict=True)),
            )
            observed += _observed_sums(pair, [unit_line[c][k] for c, k in zip((a, b), keep, strict=True)])
    return observed


def assigned_gaps(table: SpanTable, mask: BoolArray) -> tuple[IntArray, IntArray]:
    """(length, line) of every counting coder's gaps, only on the documents where they count."""
    safe_docs = max(len(table.document_ids), 1)
    zone_doc = table.line_of(table.zone_start) % safe_docs
    gap_parts: list[tuple[IntArray, IntArray]] = []
    for c in range(len(table.coders)):
        own = mask[c][zone_doc]
        one = replace(
            table,
            coders=(table.coders[c],),
            unit_start=(table.unit_start[c],),
            unit_end=(table.unit_end[c],),
            zone_start=table.zone_start[own],
            zone_end=table.zone_end[own],
        )
        gap_parts.append(_gaps(one))
    empty = np.zeros(0, dtype=np.int64)
    if not gap_parts:
        return empty, empty
    return np.concatenate([g for g, _ in gap_parts]), np.concatenate([line for _, line in gap_parts])


def counting(table: SpanTable, mask: BoolArray) -> tuple[SpanTable, BoolArray]:
    """``table`` without the units of coders who do not count (``mask``: coders × documents), and
    the mask with documents of fewer than two counting coders counting nobody."""
    mask = _usable(table, mask)
    return restricted(table, mask), mask


def counting_table(table: SpanTable, assigned: Mapping[int, Collection[str]]) -> tuple[SpanTable, BoolArray]:
    """``counting`` with the mask of ``assigned`` (document id → the coders who count there)."""
    return counting(table, assignment_mask(table, assigned))


def assigned_unitizing_alphas(
    table: SpanTable, mask: BoolArray
) -> dict[tuple[int | None, str], UnitizingAlpha]:
    """αU per (document, or None pooled) × (code, or ``"*"``) with missing coders (module docstring)."""
    m, n_codes, n_docs = len(table.coders), len(table.codes), len(table.document_ids)
    safe_docs = max(n_docs, 1)
    mask = _usable(table, mask)
    table = restricted(table, mask)
    counting = mask.sum(axis=0).astype(np.float64)
    length_d = table.included_length * (counting >= 2)
    unit_line = [table.line_of(s) for s in table.unit_start]
    observed = assigned_observed_sums(table, mask, unit_line)
    gap_len, gap_line = assigned_gaps(table, mask)
    empty = np.zeros(0, dtype=np.int64)
    lines = np.concatenate(unit_line) if unit_line else empty
    unit_len = (
        np.concatenate([e - s for s, e in zip(table.unit_start, table.unit_end, strict=True)]) if m else empty
    )
    sections_d = counting * length_d  # M_d
    pairable_d = counting * (counting - 1) * length_d  # P_d
    per_doc = _expected_parts(
        1, lines, unit_len, gap_line, gap_len, np.tile(sections_d, n_codes).astype(np.int64)
    )
    total_sections = np.full(n_codes, int(sections_d.sum()), dtype=np.int64)
    pooled = _expected_parts(1, lines // safe_docs, unit_len, gap_line // safe_docs, gap_len, total_sections)
    pooled_observed = observed.reshape(n_codes, n_docs).sum(axis=1) if n_docs else np.zeros(n_codes)
    result: dict[tuple[int | None, str], UnitizingAlpha] = {}
    scopes: list[tuple[int | None, list[int], float, tuple[Any, ...], int, int]] = [
        (
            None,
            list(range(n_codes)),
            float(pairable_d.sum()),
            (pooled_observed, *pooled),
            int(length_d.sum()),
            int(table.included_length.sum()),
        )
    ]
    scopes += [
        (
            doc_id,
            [k * n_docs + d for k in range(n_codes)],
            float(pairable_d[d]),
            (observed, *per_doc),
            int(length_d[d]),
            int(table.included_length[d]),
        )
        for d, doc_id in enumerate(table.document_ids)
    ]
    for doc_id, pools, pairable, (do_sum, num, den, n_units), length, raw in scopes:
        observed_all = expected_all = 0.0
        n_all = 0
        for code, p in zip(table.codes, pools, strict=True):
            value = _alpha(
                length, raw, m, pairable, int(n_units[p]), (float(do_sum[p]), float(num[p]), float(den[p]))
            )
            result[(doc_id, code)] = value
            n_all += int(n_units[p])
            observed_all += value.observed or 0.0
            expected_all += value.expected or 0.0
        if m < 2 or raw == 0 or pairable == 0 or n_all == 0:
            overall = _alpha(length, raw, m, pairable, n_all, (0.0, 0.0, 0.0))
            if overall.note == NOTE_UNUSED_CODE:
                overall = replace(overall, note=NOTE_UNUSED_CODES)
        elif expected_all <= 0.0:
            overall = UnitizingAlpha(None, observed_all, expected_all, NOTE_NO_EXPECTED)
        else:
            overall = UnitizingAlpha(1.0 - observed_all / expected_all, observed_all, expected_all)
        result[(doc_id, ALL_CODES)] = overall
    return result


def _pair_rows(table: SpanTable, mask: BoolArray, used: BoolArray) -> list[PairAgreement]:
    """κ, % and pairwise αU of every pair over the documents both coders were assigned."""
    n_codes, n_docs = len(table.codes), len(table.document_ids)
    rows: list[PairAgreement] = []
    scopes: list[tuple[int | None, int]] = [
        (None, n_docs),
        *((doc, d) for d, doc in enumerate(table.document_ids)),
    ]
    for (a, b), counts in _pair_tables(table).items():
        shared = (mask[a] & mask[b]).astype(np.int64)
        pair_u = assigned_unitizing_alphas(_pair_table(table, a, b), mask[[a, b]])
        grids = [_with_margins(x.reshape(n_codes, n_docs) * shared, used) for x in counts]
        n = _with_margins(np.tile(table.included_length * shared, (n_codes, 1)), used)
        for doc_id, d in scopes:
            for k, code in enumerate([*table.codes, ALL_CODES]):
                x, y, z = (int(g[k, d]) for g in grids)
                u = pair_u[(doc_id, code)]
                row = pair_agreement(
                    doc_id,
                    code,
                    table.coders[a],
                    table.coders[b],
                    x,
                    y,
                    z,
                    int(n[k, d]) - x - y - z,
                    alpha_u=u.alpha,
                    alpha_u_note=u.note,
                )
                if (doc_id is None and not shared.any()) or (doc_id is not None and not shared[d]):
                    row = replace(row, percent_note=NOTE_NOT_BOTH, kappa_note=NOTE_NOT_BOTH)
                elif code == ALL_CODES and not used.any() and int(n[0:n_codes, d].sum()) > 0:
                    row = replace(row, percent_note=NOTE_NO_CODE_USED, kappa_note="")
                rows.append(row)
    return rows


def _coder_sets(
    table: SpanTable, mask: BoolArray, used: BoolArray
) -> dict[tuple[int | None, str], CoderSetAgreement]:
    """Fleiss' κ and nominal α of the counting coders, per scope and code (``"*"``: used codes)."""
    n_codes, n_docs = len(table.codes), len(table.document_ids)
    cov = coverage(table)
    coding = np.zeros(cov.state.size, dtype=np.int64)
    for c in range(len(table.coders)):
        coding += (cov.state >> np.int64(c)) & 1
    s1, s2 = (
        _with_margins(
            np.rint(line_sums(table, cov.line, cov.length * p)).astype(np.int64).reshape(n_codes, n_docs),
            used,
        )
        for p in (coding, coding * coding)
    )
    counting = mask.sum(axis=0)
    usable = counting >= 2
    n_d = table.included_length * usable
    n = _with_margins(np.tile(n_d, (n_codes, 1)), used)
    out: dict[tuple[int | None, str], CoderSetAgreement] = {}
    sizes = sorted(set(counting[usable & (n_d > 0)].tolist()))
    uniform: int | None = int(sizes[0]) if len(sizes) == 1 else (None if sizes else len(table.coders))
    for k, code in enumerate([*table.codes, ALL_CODES]):
        for d, doc_id in enumerate(table.document_ids):
            out[(doc_id, code)] = coder_set_agreement(
                int(n[k, d]), int(counting[d]), int(s1[k, d]), int(s2[k, d])
            )
        if uniform is not None:
            out[(None, code)] = coder_set_agreement(int(n[k, -1]), uniform, int(s1[k, -1]), int(s2[k, -1]))
            continue
        o = np.zeros((2, 2))
        for d in np.flatnonzero(usable).tolist():
            m_d = float(counting[d])
            one, two, chars = float(s1[k, d]), float(s2[k, d]), float(n[k, d])
            o += np.array(
                [
                    [chars * m_d * (m_d - 1) - (2 * m_d - 1) * one + two, m_d * one - two],
                    [m_d * one - two, two - one],
                ]
            ) / (m_d - 1)
        alpha = nominal_alpha_from_coincidences(o)
        out[(None, code)] = CoderSetAgreement(None, NOTE_MIXED_COUNTS, alpha.alpha, alpha.note)
    return out


def compute_assigned_agreement(
    spans: Iterable[CodedSpan] | SpanColumns,
    continua: Sequence[Continuum],
    assigned: Mapping[int, Collection[str]],
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
) -> AgreementReport:
    """``compute_agreement`` where ``assigned`` names, per document, the coders who count there."""
    table, mask = counting_table(build_span_table(spans, continua, coders=coders, codes=codes), assigned)
    used = codes_used(table)
    unitizing = assigned_unitizing_alphas(table, mask)
    return AgreementReport.build(
        table,
        _pair_rows(table, mask, used),
        unitizing,
        _coder_sets(table, mask, used),
        unitizing_2016=unitizing_family(table, mask),  # missing coders as in its docstring
    )
