"""Krippendorff's current unitizing family: uα, |uα, cuα and (k)uα.

Sources: Krippendorff, Mathet, Bouvry & Widlöcher (2016), "On the reliability of unitizing
textual continua: Further developments", *Quality & Quantity* 50:2347–2364; Krippendorff (2019),
*Content Analysis*, 4th ed., §12.6. They replace the 2004 αU (``unitizing``) because that one
behaves unexpectedly with more than two coders. Unlike αU, they work on a coincidence matrix.

Each coder i cuts the continuum (length L, m coders) into segments: units with a value c and
gaps (∅). With ℓ the length of a segment and ∩ the overlap of two segments, and q = m − 1:

    ℓ_ck = Σ_i Σ_{j≠i} Σ_g Σ_h |c_ig ∩ k_jh| / q          observed coincidences (ℓ.. = mL)
    ε_ck = ℓ.. (ℓ_c. ℓ_.k − [c = k] Σ_i Σ_g ℓ_icg²) / (ℓ..² − Σ_c Σ_i Σ_g ℓ_icg²)   expected
           where a gap counts as ℓ segments of length 1 (its "ℓ²" is ℓ): gaps are not units.

- **uα** = 1 − (ℓ.. − Σ_c ℓ_cc) / (ℓ.. − Σ_c ε_cc), gaps included as the value ∅ (nominal).
- **|uα** (coded vs not): the same matrices collapsed to ∅ vs "any value",
  1 − (ℓ_∅. − ℓ_∅∅) / (ε_∅. − ε_∅∅).
- **cuα** (coding where units overlap): only coincidences of valued segments, ℓ*_c = ℓ_c. − ℓ_c∅,
  t = Σ_c ℓ*_c. A unit g of coder i enters ℓ*_c with its pairable length
  ℓ*_g = Σ_{j≠i} |g ∩ valued(j)| / q (the part of it other coders' units meet), so, as a unit
  enters uα's margins with ℓ_g and its self-pairs with ℓ_g², its self-pairs here are ℓ*_g²:
  S*_c = Σ_i Σ_{g of value c} ℓ*_g², and
  e*_ck = (ℓ*_c ℓ*_k − [c = k] S*_c) / (t − Σ_c S*_c / t); cuα = 1 − (t − Σ ℓ_cc) / (t − Σ e*_cc).
  This reading reproduces the published cuα = .724 of Krippendorff (2019, Fig. 12.11; we get
  .72417). Squaring each coder pair's overlap instead (Σ_{j≠i} |g ∩ valued(j)|² / q, as some
  implementations read the 2016 eq. 10) gives .7256 there; with two coders the readings agree.
- **(k)uα** (one value k, within cuα's matrices): with e*_k. = Σ_c e*_ck,
  1 − (e*_k. / ℓ*_k) (ℓ*_k − ℓ_kk) / (e*_k. − e*_kk).

How annotator applies them (see docs/agreement.md):

- The row of one code k shows **uα of k alone** (values k and ∅: the family applied per code, as
  αU is) and **(k)uα** from the all-codes matrices. The all-codes row (``"*"``) shows uα, |uα and
  cuα with the codes as values. The all-codes figures need each coder's units of different codes
  not to overlap (the 2016 family assumes a partition into mutually exclusive segments); where a
  coder's units of two codes overlap, they are undefined with a note.
- Units are those of the 2004 αU (``agreement_table``): one coder's overlapping spans of a code
  merged, touching spans separate, cut to the included zones. Documents are pooled as one
  continuum of their summed length with hard boundaries, as for αU; since every term is a sum
  over documents, pooled figures come from per-document sums (which the bootstrap reuses).
- A coder who does not count on a document (``counted``) is missing there: that document's
  coincidences are divided by its own m_d − 1 and ℓ.. counts m_d L_d, as α pools units with
  missing values. This extension is ours; the sources assume every coder codes everything.
- Sums are in float64: exact for integer sums below 2**53 (ℓ² of a 90M-character unit), and
  there is no int64 product to overflow.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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
from annotator.core.unitizing import ALL_CODES, NOTE_EMPTY_SCOPE, NOTE_FEW_CODERS, NOTE_UNUSED_CODE

BoolArray = npt.NDArray[np.bool_]

SOURCE_2016 = "Krippendorff, Mathet, Bouvry & Widlöcher 2016; Krippendorff 2019, §12.6"
NOTE_PARTITION = "undefined: a coder's units of different codes overlap (needs mutually exclusive codes)"
NOTE_NO_CODING = "undefined: no coder used any code in scope"
NOTE_NO_GAPS = "undefined: every coder coded all of the scope (no gaps)"
NOTE_NO_INTERSECTION = "undefined: no coder's unit overlaps another coder's unit"
NOTE_NO_INTERSECTION_K = "undefined: no unit of this code overlaps another coder's unit"
NOTE_NO_EXPECTED = "undefined: expected disagreement ≤ 0 (only one value where units overlap)"

MEASURES = ("u_alpha_2016", "bar_u_alpha_2016", "cu_alpha_2016", "k_u_alpha_2016")


@dataclass(frozen=True, slots=True)
class Coefficient:
    """One coefficient; ``value`` None is undefined (reason in ``note``) or not applicable ("")."""

    value: float | None
    note: str = ""


NOT_APPLICABLE = Coefficient(None, "")


@dataclass(frozen=True, slots=True)
class UnitizingFamily:
    """The 2016 family for one scope and code (or ``"*"``); see the module docstring."""

    u_alpha_2016: Coefficient
    bar_u_alpha_2016: Coefficient = NOT_APPLICABLE
    cu_alpha_2016: Coefficient = NOT_APPLICABLE
    k_u_alpha_2016: Coefficient = NOT_APPLICABLE


@dataclass(frozen=True, eq=False)
class FamilySums:
    """Per-document sums (arrays D × K, or D) every figure is built from.

    ``pairable`` is ℓ.. = m_d L_d (0 where fewer than two coders count); ``agree`` and ``cross``
    are already coincidences (sums over ordered coder pairs divided by m_d − 1) and
    ``cross_squares`` squares of such sums, so that documents with different numbers of coders
    pool as α pools units with missing values.
    """

    length: FloatArray  # (D,) included characters
    coders: IntArray  # (D,) m_d, the coders who count on the document
    pairable: FloatArray  # (D,) ℓ..
    coded: FloatArray  # Σ_i ℓ of i's units of code k
    squares: FloatArray  # Σ_i Σ_g ℓ_g²
    agree: FloatArray  # ℓ_kk = Σ_{i≠j} |k_i ∩ k_j| / q
    cross: FloatArray  # ℓ*_k = Σ_{i≠j} |k_i ∩ valued(j)| / q
    cross_squares: FloatArray  # S*_k = Σ_i Σ_g ℓ*_g², ℓ*_g = Σ_{j≠i} |g ∩ valued(j)| / q, g of code k
    overlapping: BoolArray  # (D,) some coder's units of different codes overlap there


def family_sums(table: SpanTable, counted: BoolArray | None = None) -> FamilySums:
    """Compute the per-document sums of ``table`` (one pass over coder pairs' overlaps).

    ``counted`` (coders × documents, default all True) says which coders count on which
    document: the units of the others are left out and m_d counts only those who count.
    """
    n_codes, n_docs, m = len(table.codes), len(table.document_ids), len(table.coders)
    docs = max(n_docs, 1)
    shape = (n_codes, n_docs)
    if counted is None:
        counted = np.ones((m, n_docs), dtype=bool)
    coders_d = counted.sum(axis=0).astype(np.int64)
    usable = coders_d >= 2
    unit_start, unit_end, lines = [], [], []
    for c in range(m):
        line = table.line_of(table.unit_start[c])
        keep = counted[c, line % docs] & usable[line % docs] if line.size else np.zeros(0, dtype=bool)
        unit_start.append(table.unit_start[c][keep])
        unit_end.append(table.unit_end[c][keep])
        lines.append(line[keep])
    zero = np.zeros(table.n_lines)
    coded, squares, agree, cross, cross_sq = zero.copy(), zero.copy(), zero.copy(), zero.copy(), zero.copy()
    overlapping = np.zeros(n_docs, dtype=bool)
    local = []  # per coder: units in document coordinates (code stretch removed), and their union
    for c in range(m):
        length_f = (unit_end[c] - unit_start[c]).astype(np.float64)
        coded += line_sums(table, lines[c], length_f)
        squares += line_sums(table, lines[c], length_f * length_f)
        shift = (lines[c] // docs) * table.total_length
        start, end = unit_start[c] - shift, unit_end[c] - shift
        order = np.argsort(start, kind="stable")
        start, end = start[order], end[order]
        reach = np.maximum.accumulate(end) if end.size else end
        clash = np.flatnonzero(start[1:] < reach[:-1]) + 1
        overlapping[lines[c][order][clash] % docs] = True
        run = np.ones(start.size, dtype=bool)
        run[1:] = start[1:] >= reach[:-1]
        first = np.flatnonzero(run)
        last = np.append(first[1:] - 1, start.size - 1) if first.size else first
        # Sorted queries make the searchsorted calls below cache-friendly.
        local.append((start, end, lines[c][order], start[first], reach[last]))
    for a in range(m):
        start, end, line, _, _ = local[a]
        mass = np.zeros(start.size)  # Σ_{j≠a} |g ∩ valued(j)| for each unit g of coder a
        for b in range(m):
            if a == b:
                continue
            if a < b:  # same code, same line: global coordinates
                i, j, _ = expand_overlaps(unit_start[a], unit_end[a], unit_start[b], unit_end[b])
                both = np.minimum(unit_end[a][i], unit_end[b][j])
                both -= np.maximum(unit_start[a][i], unit_start[b][j])
                agree += 2.0 * line_sums(table, lines[a][i], both)
            union_start, union_end = local[b][3], local[b][4]
            i, j, _ = expand_overlaps(start, end, union_start, union_end)
            inter = np.minimum(end[i], union_end[j]) - np.maximum(start[i], union_start[j])
            mass += np.bincount(i, weights=inter.astype(np.float64), minlength=start.size)
        cross += line_sums(table, line, mass)
        cross_sq += line_sums(table, line, mass * mass)
    q = np.where(usable, coders_d - 1, 1).astype(np.float64)[:, None]

    def per_document(sums: FloatArray) -> FloatArray:
        return np.ascontiguousarray(sums.reshape(shape).T)

    return FamilySums(
        length=table.included_length.astype(np.float64),
        coders=coders_d,
        pairable=np.where(usable, coders_d * table.included_length, 0).astype(np.float64),
        coded=per_document(coded),
        squares=per_document(squares),
        agree=per_document(agree) / q,
        cross=per_document(cross) / q,
        cross_squares=per_document(cross_sq) / (q * q),
        overlapping=overlapping,
    )


@dataclass(frozen=True, eq=False)
class FamilyValues:
    """Figures for B scopes: arrays B × K (per code) or B (all codes); NaN where undefined."""

    u_alpha: FloatArray  # (B, K) uα of each code alone (k vs ∅)
    k_u_alpha: FloatArray  # (B, K) (k)uα
    u_alpha_all: FloatArray  # (B,) uα with the codes as values
    bar_u_alpha: FloatArray  # (B,)
    cu_alpha: FloatArray  # (B,)


def family_values(
    pairable: FloatArray,
    coded: FloatArray,
    squares: FloatArray,
    agree: FloatArray,
    cross: FloatArray,
    cross_squares: FloatArray,
    overlapping: BoolArray,
) -> FamilyValues:
    """The family from (possibly weighted) sums over documents (see ``FamilySums``), vectorised
    over B scopes: ``pairable`` and ``overlapping`` are (B,), the rest B × K."""
    n = pairable[:, None]  # ℓ.. per scope
    with np.errstate(divide="ignore", invalid="ignore"):
        gaps = n - coded  # ℓ_∅. when code k alone is the value
        u_k = 1.0 - (coded - agree) * (n * n - squares - gaps) / (n * coded * gaps)
        u_k = np.where((coded > 0) & (gaps > 0), u_k, np.nan)

        total = pairable
        gap_all = total - coded.sum(axis=1)  # ℓ_∅.
        gap_gap = gap_all - (coded - cross).sum(axis=1)  # ℓ_∅∅
        d0 = total * total - squares.sum(axis=1) - gap_all
        observed_diag = agree.sum(axis=1) + gap_gap
        expected_diag = total * ((coded * coded - squares).sum(axis=1) + gap_all * gap_all - gap_all) / d0
        de = total - expected_diag
        u_all = np.where(de > 0, 1.0 - (total - observed_diag) / de, np.nan)
        de_bar = total * gap_all * (total - gap_all) / d0
        bar = np.where(de_bar > 0, 1.0 - (gap_all - gap_gap) / de_bar, np.nan)

        t = cross.sum(axis=1)  # Σ_c ℓ*_c
        den = t - cross_squares.sum(axis=1) / t
        e_diag = (cross * cross - cross_squares) / den[:, None]
        de_cu = t - e_diag.sum(axis=1)
        cu = np.where((t > 0) & (den > 0) & (de_cu > 0), 1.0 - (t - agree.sum(axis=1)) / de_cu, np.nan)
        e_row = (cross * t[:, None] - cross_squares) / den[:, None]
        de_k = e_row - e_diag
        ku = 1.0 - (e_row / cross) * (cross - agree) / de_k
        ku = np.where((cross > 0) & (den[:, None] > 0) & (de_k > 0), ku, np.nan)
    bad = overlapping | (pairable == 0)
    u_all[bad], bar[bad], cu[bad] = np.nan, np.nan, np.nan
    ku[bad] = np.nan
    u_k[pairable == 0] = np.nan
    return FamilyValues(u_k, ku, u_all, bar, cu)


def weighted_values(sums: FamilySums, weights: FloatArray) -> FamilyValues:
    """Figures for scopes given as document weights (B × D): how often each document counts."""
    return family_values(
        weights @ sums.pairable,
        weights @ sums.coded,
        weights @ sums.squares,
        weights @ sums.agree,
        weights @ sums.cross,
        weights @ sums.cross_squares,
        (weights @ sums.overlapping.astype(np.float64)) > 0,
    )


def resampled_family(
    sums: FamilySums, codes: Sequence[str], weights: npt.NDArray[np.int64], chunk: int = 256
) -> dict[tuple[str, str], FloatArray]:
    """Values per resample (rows of ``weights``: how often each document was drawn), keyed
    (measure, code): ``u_alpha_2016`` per code and ``"*"``, ``k_u_alpha_2016`` per code,
    ``bar_u_alpha_2016`` and ``cu_alpha_2016`` for ``"*"``; NaN where undefined. Each term is a
    sum over documents, so a resample is one matrix product per term (``chunk`` rows at a time)."""
    parts = [
        weighted_values(sums, weights[s : s + chunk].astype(np.float64))
        for s in range(0, len(weights), chunk)
    ]
    if not parts:
        parts = [weighted_values(sums, np.zeros((0, sums.length.size)))]
    u_k = np.vstack([p.u_alpha for p in parts])
    k_u = np.vstack([p.k_u_alpha for p in parts])
    out: dict[tuple[str, str], FloatArray] = {}
    for k, code in enumerate(codes):
        out[("u_alpha_2016", code)] = u_k[:, k]
        out[("k_u_alpha_2016", code)] = k_u[:, k]
    out[("u_alpha_2016", ALL_CODES)] = np.concatenate([p.u_alpha_all for p in parts])
    out[("bar_u_alpha_2016", ALL_CODES)] = np.concatenate([p.bar_u_alpha for p in parts])
    out[("cu_alpha_2016", ALL_CODES)] = np.concatenate([p.cu_alpha for p in parts])
    return out


def _coefficient(value: float, undefined_note: str) -> Coefficient:
    return Coefficient(None, undefined_note) if math.isnan(value) else Coefficient(float(value))


def unitizing_family(
    table: SpanTable, counted: BoolArray | None = None
) -> dict[tuple[int | None, str], UnitizingFamily]:
    """The family for every (document id, or None for pooled) × (code, or ``"*"``).

    ``counted``: which coders count on which document (coders × documents; default all).
    """
    n_docs = len(table.document_ids)
    sums = family_sums(table, counted)
    scopes: list[int | None] = [None, *table.document_ids]
    # Pooled first, then each document on its own (the sums themselves, no D × D weights).
    rows = [
        weighted_values(sums, np.ones((1, n_docs))),
        family_values(
            sums.pairable,
            sums.coded,
            sums.squares,
            sums.agree,
            sums.cross,
            sums.cross_squares,
            sums.overlapping,
        ),
    ]
    # Python floats, read once (indexing numpy arrays element by element is far slower)
    as_lists = [
        tuple(x.tolist() for x in (v.u_alpha, v.k_u_alpha, v.u_alpha_all, v.bar_u_alpha, v.cu_alpha))
        for v in rows
    ]
    out: dict[tuple[int | None, str], UnitizingFamily] = {}
    for s, doc_id in enumerate(scopes):
        values, r = (as_lists[0], 0) if s == 0 else (as_lists[1], s - 1)
        u_alpha, k_u_alpha, u_alpha_all, bar_u_alpha, cu_alpha = values
        pick = slice(None) if s == 0 else slice(r, r + 1)
        coders = int(sums.coders[pick].max(initial=0))
        length = float(sums.length[pick].sum())
        overlap = bool(sums.overlapping[pick].any())
        coded = sums.coded[pick].sum(axis=0)
        cross = sums.cross[pick].sum(axis=0)
        general = NOTE_FEW_CODERS if coders < 2 else NOTE_EMPTY_SCOPE if length == 0 else ""
        for k, code in enumerate(table.codes):
            unused = general or (NOTE_UNUSED_CODE if coded[k] == 0 else "")
            k_note = NOTE_NO_INTERSECTION_K if cross[k] == 0 else NOTE_NO_EXPECTED
            out[(doc_id, code)] = UnitizingFamily(
                u_alpha_2016=_coefficient(u_alpha[r][k], unused or NOTE_NO_GAPS),
                k_u_alpha_2016=_coefficient(
                    k_u_alpha[r][k], unused or (NOTE_PARTITION if overlap else "") or k_note
                ),
            )
        note = general or (NOTE_NO_CODING if not coded.any() else "") or (NOTE_PARTITION if overlap else "")
        cu_note = NOTE_NO_INTERSECTION if not cross.any() else NOTE_NO_EXPECTED
        out[(doc_id, ALL_CODES)] = UnitizingFamily(
            u_alpha_2016=_coefficient(u_alpha_all[r], note or NOTE_NO_EXPECTED),
            bar_u_alpha_2016=_coefficient(bar_u_alpha[r], note or NOTE_NO_GAPS),
            cu_alpha_2016=_coefficient(cu_alpha[r], note or cu_note),
        )
    return out


def unitizing_family_of(
    spans: Iterable[CodedSpan] | SpanColumns,
    continua: Sequence[Continuum],
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
) -> dict[tuple[int | None, str], UnitizingFamily]:
    """``unitizing_family`` straight from spans (defaults as in ``build_span_table``)."""
    return unitizing_family(build_span_table(spans, continua, coders=coders, codes=codes))


__all__ = [
    "MEASURES",
    "SOURCE_2016",
    "Coefficient",
    "FamilySums",
    "FamilyValues",
    "UnitizingFamily",
    "family_sums",
    "family_values",
    "resampled_family",
    "unitizing_family",
    "unitizing_family_of",
    "weighted_values",
]
