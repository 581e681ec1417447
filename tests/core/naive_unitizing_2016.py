"""A deliberately naive second implementation of the 2016 unitizing family, for tests only.

Written straight from the definitions (Krippendorff, Mathet, Bouvry & Widlöcher 2016;
Krippendorff 2019, §12.6) along a different path from ``annotator/core/unitizing_2016.py`` and
from the segment-by-segment transcription in ``test_unitizing_2016.py``: it never intersects
intervals. Each coder's units become one value per character; coincidences are counted
character by character over ordered coder pairs, and the self-pairs of a unit are counted as
ordered pairs of its characters (p, p'), all in exact fractions. So

- ℓ_ck = Σ_p Σ_{i≠j} [v_i(p) = c][v_j(p) = k] / (m − 1);
- a unit's self-pairs are the pairs (p, p') inside it (ℓ² of them); a gap is not a unit, each of
  its characters pairs only with itself (ℓ pairs);
- for cuα, character p of a unit of coder i weighs w_i(p) = #{j ≠ i: v_j(p) valued} / (m − 1),
  so a unit's pairable length is Σ_p w_i(p) and its self-pairs Σ_{p, p'} w_i(p) w_i(p').

Several documents pool by adding their counts, each divided by its own m − 1. Slow (quadratic in
a unit's length): for continua of a few dozen characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

Value = str | None  # None: a gap
Units = list[tuple[int, int, str]]  # one coder's [start, end) units with their values


@dataclass
class NaiveFamily:
    """The coefficients (None: undefined) and the matrices they come from."""

    u: Fraction | None
    bar: Fraction | None
    cu: Fraction | None
    ku: dict[str, Fraction | None]
    observed: dict[tuple[Value, Value], Fraction]
    expected: dict[tuple[Value, Value], Fraction]


def _characters(units: Units, length: int) -> tuple[list[Value], list[int]]:
    """Each character's value and the id of the unit it belongs to (gaps: −1 − position)."""
    values: list[Value] = [None] * length
    unit_of = [-1 - p for p in range(length)]
    for number, (start, end, value) in enumerate(units):
        for p in range(start, end):
            values[p] = value
            unit_of[p] = number
    return values, unit_of


def naive_family(documents: list[tuple[list[Units], int]]) -> NaiveFamily:
    """uα, |uα, cuα and (k)uα over ``documents`` (each: every coder's units, and its length)."""
    values = sorted({v for coders, _ in documents for units in coders for _, _, v in units})
    every: list[Value] = [None, *values]
    observed = {(c, k): Fraction(0) for c in every for k in every}
    self_pairs = dict.fromkeys(every, Fraction(0))
    pairable = dict.fromkeys(values, Fraction(0))  # ℓ*_c
    pairable_self = dict.fromkeys(values, Fraction(0))  # S*_c
    for coders, length in documents:
        m = len(coders)
        if m < 2:
            continue
        q = m - 1
        chars = [_characters(units, length) for units in coders]
        for i, (v_i, unit_i) in enumerate(chars):
            others = [chars[j][0] for j in range(m) if j != i]
            weight = [Fraction(sum(o[p] is not None for o in others), q) for p in range(length)]
            for p in range(length):
                for v_j in others:
                    observed[(v_i[p], v_j[p])] += Fraction(1, q)
                if v_i[p] is not None:
                    pairable[v_i[p]] += weight[p]
                for p2 in range(length):
                    if unit_i[p2] == unit_i[p]:
                        self_pairs[v_i[p]] += 1
                        if v_i[p] is not None:
                            pairable_self[v_i[p]] += weight[p] * weight[p2]
    total = sum(observed.values(), Fraction(0))
    row = {c: sum((observed[(c, k)] for k in every), Fraction(0)) for c in every}
    d0 = total * total - sum(self_pairs.values())
    expected = {
        (c, k): total * (row[c] * row[k] - (self_pairs[c] if c == k else 0)) / d0 if d0 else Fraction(0)
        for c in every
        for k in every
    }

    def alpha(disagreement: Fraction, chance: Fraction) -> Fraction | None:
        return 1 - disagreement / chance if chance > 0 else None

    if total == 0:
        return NaiveFamily(None, None, None, dict.fromkeys(values), observed, expected)
    u = alpha(total - sum(observed[(c, c)] for c in every), total - sum(expected[(c, c)] for c in every))
    gap_row = sum((expected[(None, k)] for k in every), Fraction(0))
    bar = alpha(row[None] - observed[(None, None)], gap_row - expected[(None, None)])
    t = sum(pairable.values(), Fraction(0))
    cu: Fraction | None = None
    ku: dict[str, Fraction | None] = dict.fromkeys(values)
    if t > 0 and t - sum(pairable_self.values()) / t > 0:
        den = t - sum(pairable_self.values()) / t
        e_star = {
            (c, k): (pairable[c] * pairable[k] - (pairable_self[c] if c == k else 0)) / den
            for c in values
            for k in values
        }
        agree = sum((observed[(c, c)] for c in values), Fraction(0))
        cu = alpha(t - agree, t - sum(e_star[(c, c)] for c in values))
        for k in values:
            e_row = sum((e_star[(c, k)] for c in values), Fraction(0))
            if pairable[k] > 0 and e_row - e_star[(k, k)] > 0:
                ku[k] = 1 - e_row / pairable[k] * (pairable[k] - observed[(k, k)]) / (e_row - e_star[(k, k)])
    return NaiveFamily(u, bar, cu, ku, observed, expected)
