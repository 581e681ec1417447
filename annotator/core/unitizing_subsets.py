"""αU of several coder subsets of one table at once (all coders and every pair), sharing the work.

``compute_agreement`` reports αU of all coders and of every coder pair. Computed one subset at a
time, each coder's gaps, the δ² of each pair and the gap term of uDe (the costly part: a search of
every unit among the gaps of its pool) would be redone for every subset a coder is in. Here they
are computed once per coder or coder pair and combined:

- Σ δ² of a subset is the sum of its pairs' parts (``unitizing._pair_observed_terms``), added in
  the order ``unitizing._observed_sums`` adds them;
- a unit's gap term fitting(u) = Σ_{gaps h of the pool, l_h ≥ l} (l_h − l + 1) is a sum over
  coders j of the same over j's gaps: an exact int64 per (unit's coder, gap coder), added up for
  the subset's coders (units sorted once per coder, so every search reads sorted needles);
- everything else is summed over the subset's units in the order ``unitizing_alphas`` uses.

So each subset's αU is bit-for-bit the one ``unitizing_alphas`` gives for that subset's table
(tested), in a fraction of the time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from annotator.core.agreement_table import IntArray, SpanTable
from annotator.core.unitizing import (
    UnitizingAlpha,
    _alphas_from,
    _coder_gaps,
    _Disagreements,
    _expected_parts,
    _observed_total,
    _pair_observed_terms,
)

Subset = tuple[int, ...]


def _fitting(
    unit_pool: Sequence[IntArray],
    unit_len: Sequence[IntArray],
    gap_pool: Sequence[IntArray],
    gap_len: Sequence[IntArray],
    n_pools: int,
    big: int,
) -> list[list[IntArray]]:
    """[i][j]: per unit of coder i, Σ over coder j's gaps of its pool with l_h ≥ l of (l_h − l + 1)."""
    m = len(unit_len)
    sorted_keys: list[tuple[IntArray, IntArray]] = []  # per unit coder: sort order, sorted keys
    # Unstable sorts (about 2.5 times faster): equal keys are equal (pool, length), so ties in
    # either order give the same searches and the same cumulative sums at every boundary.
    for pool, length in zip(unit_pool, unit_len, strict=True):
        key = pool * big + length
        order = np.argsort(key)
        sorted_keys.append((order, key[order]))
    out: list[list[IntArray]] = [[] for _ in range(m)]
    for j in range(m):
        key = gap_pool[j] * big + gap_len[j]
        order = np.argsort(key)
        key = key[order]
        cumulative = np.concatenate(([0], np.cumsum(gap_len[j][order])))
        bounds = np.searchsorted(key, np.arange(n_pools + 1, dtype=np.int64) * big, side="left")
        for i in range(m):
            unit_order, needles = sorted_keys[i]
            lo = np.empty(needles.size, dtype=np.int64)
            lo[unit_order] = np.searchsorted(key, needles, side="left")
            hi = bounds[unit_pool[i] + 1]
            out[i].append((cumulative[hi] - cumulative[lo]) - (unit_len[i] - 1) * (hi - lo))
    return out


def _subset_fitting(per_coder: list[list[IntArray]], subset: Subset) -> IntArray:
    """The fitting of the subset's units (in coder order) against the subset's gaps, exact in int64."""
    if not subset:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(
        [sum((per_coder[i][j] for j in subset[1:]), per_coder[i][subset[0]]) for i in subset]
    )


def unitizing_alphas_of_subsets(
    table: SpanTable, subsets: Sequence[Subset]
) -> dict[Subset, dict[tuple[int | None, str], UnitizingAlpha]]:
    """``unitizing_alphas`` of the table restricted to each subset of coder indices (ascending),
    keyed by the subset; identical values, shared work (module docstring)."""
    n_codes, n_docs = len(table.codes), len(table.document_ids)
    docs = max(n_docs, 1)
    unit_line = [table.line_of(s) for s in table.unit_start]
    unit_len = [e - s for s, e in zip(table.unit_start, table.unit_end, strict=True)]
    gaps = [_coder_gaps(table, s, e) for s, e in zip(table.unit_start, table.unit_end, strict=True)]
    gap_len, gap_line = [g for g, _ in gaps], [line for _, line in gaps]
    lengths = [*unit_len, *gap_len]
    big = max((int(x.max()) for x in lengths if x.size), default=0) + 1
    per_line = _fitting(unit_line, unit_len, gap_line, gap_len, table.n_lines, big)
    per_code = _fitting(
        [u // docs for u in unit_line], unit_len, [g // docs for g in gap_line], gap_len, n_codes, big
    )
    wanted = {(a, b) for subset in subsets for k, a in enumerate(subset) for b in subset[k + 1 :]}
    terms = {(a, b): _pair_observed_terms(table, a, b, unit_line) for a, b in sorted(wanted)}
    empty = np.zeros(0, dtype=np.int64)
    line_length = np.tile(table.included_length, n_codes)
    code_length = np.full(n_codes, int(table.included_length.sum()), dtype=np.int64)
    out: dict[Subset, dict[tuple[int | None, str], UnitizingAlpha]] = {}
    for subset in subsets:
        k = len(subset)
        if k >= 2:
            observed = _observed_total(
                table.n_lines,
                (t for i, a in enumerate(subset) for b in subset[i + 1 :] for t in terms[(a, b)]),
            )
        else:
            observed = np.zeros(table.n_lines)
        lines = np.concatenate([unit_line[c] for c in subset]) if subset else empty
        lens = np.concatenate([unit_len[c] for c in subset]) if subset else empty

        per_doc = _expected_parts(
            k, lines, lens, empty, empty, line_length, _subset_fitting(per_line, subset)
        )
        pooled = _expected_parts(
            k, lines // docs, lens, empty, empty, code_length, _subset_fitting(per_code, subset)
        )
        pooled_observed = observed.reshape(n_codes, n_docs).sum(axis=1)
        out[subset] = _alphas_from(
            table,
            k,
            _Disagreements(observed, per_doc[0], per_doc[1], per_doc[2], line_length),
            _Disagreements(pooled_observed, pooled[0], pooled[1], pooled[2], code_length),
        )
    return out
