"""Inter-coder agreement on coded spans: character-level % agreement and Cohen's κ, character
nominal α, and (via ``unitizing``) Krippendorff's αU. Pure functions over plain values.

A character is *coded* by a coder for a code when any of that coder's spans of that code covers
it (one coder's overlapping spans are unioned). For two coders a and b and one code, the
characters in scope fall into a 2×2 table: ``both``, ``only_a``, ``only_b``, ``neither``, with
N = both + only_a + only_b + neither. Then (Cohen 1960)

    percent agreement  p_o = (both + neither) / N
    chance agreement   p_e = p_a p_b + (1 − p_a)(1 − p_b),
                       p_a = (both + only_a) / N,  p_b = (both + only_b) / N
    Cohen's kappa      κ = (p_o − p_e) / (1 − p_e).

κ is computed from the integer counts exactly. Undefined values are ``None`` with a note, never
NaN: N = 0 (empty document, or a zone filter excluding everything), or p_e = 1 (both coders
coded nothing, or both coded everything; then p_o = 1 too). Pooled rows sum the 2×2 tables over
documents before computing; the ``"*"`` rows also sum them over the codes that at least one of the
compared coders used in the chosen documents (each character × code is one binary decision; a
code nobody used would only add agreeing "neither" characters).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from annotator.core.agreement_report import AgreementReport
from annotator.core.agreement_table import (
    Coverage,
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
from annotator.core.kappa import PairAgreement, cohen_kappa, pair_agreement, percent_agreement
from annotator.core.unitizing import ALL_CODES
from annotator.core.unitizing_2016 import unitizing_family
from annotator.core.unitizing_subsets import unitizing_alphas_of_subsets

NOTE_NO_CODE_USED = "undefined: no coder used any code in scope"

__all__ = [
    "ALL_CODES",
    "AgreementReport",
    "CharacterAlpha",
    "CodedSpan",
    "Continuum",
    "PairAgreement",
    "SpanColumns",
    "cohen_kappa",
    "coincidence_matrix",
    "compute_agreement",
    "nominal_alpha_characters",
    "nominal_alpha_from_coincidences",
    "percent_agreement",
]


def _pair_tables(
    table: SpanTable, cov: Coverage | None = None
) -> dict[tuple[int, int], tuple[IntArray, IntArray, IntArray]]:
    """Per coder pair (a < b), per line: characters coded by both, by a only, by b only
    (``cov``: the table's ``coverage``, when already computed)."""
    if cov is None:
        cov = coverage(table)
    bits = [(cov.state >> np.int64(c)) & 1 for c in range(len(table.coders))]
    coded = [line_sums(table, cov.line, cov.length * bit) for bit in bits]
    tables: dict[tuple[int, int], tuple[IntArray, IntArray, IntArray]] = {}
    for a in range(len(table.coders)):
        for b in range(a + 1, len(table.coders)):
            both = line_sums(table, cov.line, cov.length * (bits[a] & bits[b]))
            tables[(a, b)] = (
                _ints(both),
                _ints(coded[a] - both),
                _ints(coded[b] - both),
            )
    return tables


def _ints(values: FloatArray) -> IntArray:
    return np.rint(values).astype(np.int64)


def compute_agreement(
    spans: Iterable[CodedSpan] | SpanColumns,
    continua: Sequence[Continuum],
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
) -> AgreementReport:
    """% agreement and κ for every coder pair, and αU over all coders, per scope and code.

    Scopes are each document of ``continua`` and ``"pooled"`` (all of them); codes are each
    code plus ``"*"`` (all codes). ``coders`` and ``codes`` default to those found in ``spans``
    on these documents, sorted; a listed coder without spans counts as having coded nothing.
    ``spans`` may be ``SpanColumns`` instead of objects: same result, no object per span.
    """
    table = build_span_table(spans, continua, coders=coders, codes=codes)
    n_codes, n_docs = len(table.codes), len(table.document_ids)
    used = codes_used(table)
    pair_rows: list[PairAgreement] = []
    m = len(table.coders)
    pairs = [(a, b) for a in range(m) for b in range(a + 1, m)]
    # all coders and every pair at once: per-coder work shared, values as unitizing_alphas gives
    alphas = unitizing_alphas_of_subsets(table, [tuple(range(m)), *pairs])
    everyone = alphas[tuple(range(m))]
    cov = coverage(table)
    # (code, document) grids; the last code row and the last document column are the sums.
    # Read as Python lists once: indexing numpy arrays element by element is far slower.
    n_grid = _with_margins(np.tile(table.included_length, (n_codes, 1)), used)
    n = n_grid.tolist()
    code_names = [*table.codes, ALL_CODES]
    scopes: list[tuple[int | None, int]] = [(None, n_docs)]
    scopes += [(doc_id, d) for d, doc_id in enumerate(table.document_ids)]
    nothing_used = not used.any()
    for (a, b), (both, only_a, only_b) in _pair_tables(table, cov).items():
        coder_a, coder_b = table.coders[a], table.coders[b]
        pair_u = alphas[(a, b)]
        g_both, g_a, g_b = (
            _with_margins(x.reshape(n_codes, n_docs), used).tolist() for x in (both, only_a, only_b)
        )
        for doc_id, d in scopes:
            for k, code in enumerate(code_names):
                x, y, z = g_both[k][d], g_a[k][d], g_b[k][d]
                u = pair_u[(doc_id, code)]
                row = pair_agreement(
                    doc_id, code, coder_a, coder_b, x, y, z, n[k][d] - x - y - z, u.alpha, u.note
                )
                if code == ALL_CODES and nothing_used and int(n_grid[0:n_codes, d].sum()) > 0:
                    row = replace(row, percent_note=NOTE_NO_CODE_USED, kappa_note="")
                pair_rows.append(row)
    family = unitizing_family(table)  # Krippendorff et al. 2016, beside the 2004 αU
    return AgreementReport.build(table, pair_rows, everyone, _coder_sets(table, used, cov), family)


def _pair_table(table: SpanTable, a: int, b: int) -> SpanTable:
    """``table`` with only coders a and b (for pairwise αU)."""
    return replace(
        table,
        coders=(table.coders[a], table.coders[b]),
        unit_start=(table.unit_start[a], table.unit_start[b]),
        unit_end=(table.unit_end[a], table.unit_end[b]),
    )


def _coder_sets(
    table: SpanTable, used: npt.NDArray[np.bool_], cov: Coverage
) -> dict[tuple[int | None, str], CoderSetAgreement]:
    """Fleiss' κ and nominal α of all coders, per scope and code (``"*"``: the used codes)."""
    n_codes, n_docs, m = len(table.codes), len(table.document_ids), len(table.coders)
    coding = np.zeros(cov.state.size, dtype=np.int64)
    for c in range(m):
        coding += (cov.state >> np.int64(c)) & 1
    sums = [
        _with_margins(_ints(line_sums(table, cov.line, cov.length * power)).reshape(n_codes, n_docs), used)
        for power in (coding, coding * coding)
    ]
    n = _with_margins(np.tile(table.included_length, (n_codes, 1)), used)
    out: dict[tuple[int | None, str], CoderSetAgreement] = {}
    scopes: list[tuple[int | None, int]] = [
        (None, n_docs),
        *((doc, d) for d, doc in enumerate(table.document_ids)),
    ]
    for doc_id, d in scopes:
        for k, code in enumerate([*table.codes, ALL_CODES]):
            out[(doc_id, code)] = coder_set_agreement(int(n[k, d]), m, int(sums[0][k, d]), int(sums[1][k, d]))
    return out


def codes_used(table: SpanTable) -> npt.NDArray[np.bool_]:
    """Per code of ``table``: whether any of its coders has a unit of it in any of its documents.

    The all-codes ``"*"`` rows sum over these codes only, so that listing a code nobody used
    (or a group's parent that only its sub-codes are applied with) does not add "neither"
    characters and change them.
    """
    n_docs = max(len(table.document_ids), 1)
    used = np.zeros(len(table.codes), dtype=bool)
    for starts in table.unit_start:
        used[table.line_of(starts) // n_docs] = True
    return used


def _with_margins(grid: IntArray, used: npt.NDArray[np.bool_]) -> IntArray:
    """Append a row of column sums over the ``used`` codes, and a column of row sums."""
    grid = np.vstack((grid, grid[used].sum(axis=0, keepdims=True)))
    return np.hstack((grid, grid.sum(axis=1, keepdims=True)))


@dataclass(frozen=True, slots=True)
class CharacterAlpha:
    """Nominal α over characters; ``alpha`` None means undefined (see ``note``)."""

    alpha: float | None
    note: str = ""


def coincidence_matrix(values: npt.ArrayLike, n_values: int | None = None) -> FloatArray:
    """Krippendorff's coincidence matrix from reliability data (coders × units).

    ``values`` holds integer values 0..V−1, negative for missing. With n_uc coders giving unit
    u value c and m_u = Σ_c n_uc (units with m_u < 2 are not pairable and drop out):

        o_ck = Σ_u (n_uc n_uk − [c = k] n_uc) / (m_u − 1).

    Computed with one ``bincount`` over (unit, value) pairs, no loop over coders.
    """
    data = np.asarray(values, dtype=np.int64)
    n_units = data.shape[1] if data.ndim == 2 else 0
    v = int(data.max()) + 1 if n_values is None and data.size else int(n_values or 0)
    unit = np.broadcast_to(np.arange(n_units, dtype=np.int64), data.shape)
    present = data >= 0
    counts = np.bincount(unit[present] * v + data[present], minlength=n_units * v)
    counts = counts.reshape(n_units, v).astype(np.float64)
    m_u = counts.sum(axis=1)
    pairable = m_u >= 2
    counts, weight = counts[pairable], 1.0 / (m_u[pairable] - 1.0)
    weighted = counts * weight[:, None]
    return np.asarray(weighted.T @ counts - np.diag(weighted.sum(axis=0)), dtype=np.float64)


def nominal_alpha_from_coincidences(coincidences: npt.ArrayLike) -> CharacterAlpha:
    """Krippendorff's nominal α from a V×V coincidence matrix o (Krippendorff 2004, ch. 11):

    n_c = Σ_k o_ck,  n = Σ_c n_c,
    α = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k.
    """
    o = np.asarray(coincidences, dtype=np.float64)
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    disagreeing = float(o.sum() - np.trace(o))
    expected = float(n_c.sum() ** 2 - (n_c**2).sum())
    if n <= 1.0:
        return CharacterAlpha(None, "undefined: fewer than two pairable values")
    if expected <= 0.0:
        return CharacterAlpha(None, "undefined: only one value occurs (expected disagreement 0)")
    return CharacterAlpha(1.0 - (n - 1.0) * disagreeing / expected)


def nominal_alpha_characters(
    spans: Iterable[CodedSpan] | SpanColumns,
    continua: Sequence[Continuum],
    code: str,
    coders: Sequence[str] | None = None,
) -> CharacterAlpha:
    """Nominal α with every in-scope character a unit and "coded"/"not coded" its values.

    All m coders value every character, so character u with n1 coders coding it and n0 = m − n1
    not adds n1(n1 − 1)/(m − 1) to o_11, n0(n0 − 1)/(m − 1) to o_00 and n1·n0/(m − 1) to each
    of o_10 and o_01. Sums come from one ``bincount`` over runs of constant coverage.
    """
    table = build_span_table(spans, continua, coders=coders, codes=[code])
    m = len(table.coders)
    if m < 2:
        return CharacterAlpha(None, "undefined: needs at least two coders")
    n_chars = float(table.included_length.sum())
    if n_chars == 0:
        return CharacterAlpha(None, "undefined: no characters in scope")
    cov = coverage(table)
    ones = np.zeros(cov.state.size, dtype=np.int64)
    for c in range(m):
        ones += (cov.state >> np.int64(c)) & 1
    zeros = m - ones
    w = cov.length.astype(np.float64) / (m - 1)
    o11 = float((w * ones * (ones - 1)).sum())
    o10 = float((w * ones * zeros).sum())
    covered = float(cov.length.sum())
    # Characters nobody coded contribute m(m − 1)/(m − 1) = m to o_00.
    o00 = float((w * zeros * (zeros - 1)).sum()) + m * (n_chars - covered)
    return nominal_alpha_from_coincidences(np.array([[o00, o10], [o10, o11]]))
