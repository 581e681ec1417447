"""Further agreement coefficients reviewers ask for, from plain counts (pure functions).

Two coders, one 2×2 table of characters (``both``, ``only_a``, ``only_b``, ``neither``; N their
sum, p_o = (both + neither) / N, p_A = (both + only_a) / N, p_B = (both + only_b) / N):

- **Positive specific agreement** (Dice / F1 on coded characters; Fleiss 1975, Hripcsak &
  Rothschild 2005): PSA = 2·both / (2·both + only_a + only_b). The characters neither coder
  coded do not enter, so a large uncoded remainder cannot inflate it.
- **Brennan–Prediger κ** (Brennan & Prediger 1981) with q = 2 categories, equal to **PABAK**
  (Byrt, Bishop & Carlin 1993): κ_BP = (p_o − 1/2) / (1 − 1/2) = 2 p_o − 1.
- **Gwet's AC1** (Gwet 2008, *Br. J. Math. Stat. Psychol.* 61): π = (p_A + p_B) / 2,
  p_e = 2 π (1 − π), AC1 = (p_o − p_e) / (1 − p_e).

m ≥ 2 coders, every one of N characters rated by all m, with n_i of them coding character i
(S1 = Σ n_i, S2 = Σ n_i²):

- **Fleiss' κ** (Fleiss 1971, *Psychol. Bull.* 76): P_i = Σ_j n_ij (n_ij − 1) / (m (m − 1)),
  P̄ = mean P_i, P̄_e = Σ_j p_j², κ = (P̄ − P̄_e) / (1 − P̄_e). ``fleiss_kappa`` takes the general
  items × categories table; ``fleiss_kappa_binary`` the two sums, in closed form.
- **Krippendorff's nominal α** (Krippendorff 2004, ch. 11) for the same binary data:
  α = 1 − (N m − 1)(m S1 − S2) / ((m − 1) S1 (N m − S1)), the coincidence-matrix formula
  (``agreement.nominal_alpha_from_coincidences``) with every character a unit.

Every function returns ``(value, note)``: ``value`` None with the reason when undefined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Result = tuple[float | None, str]

NOTE_EMPTY = "undefined: no characters in scope"
NOTE_NOT_CODED = "undefined: neither coder coded any character"
NOTE_ONE_VALUE = "undefined: only one value occurs (chance agreement 1)"
NOTE_FEW_CODERS = "undefined: needs at least two coders"


def positive_agreement(both: int, only_a: int, only_b: int) -> Result:
    """Positive specific agreement, 2·both / (2·both + only_a + only_b) (= Dice, = F1)."""
    denominator = 2 * both + only_a + only_b
    if denominator == 0:
        return None, NOTE_NOT_CODED
    return 2 * both / denominator, ""


def brennan_prediger(both: int, only_a: int, only_b: int, neither: int) -> Result:
    """Brennan–Prediger κ for two categories (coded / not coded), i.e. PABAK = 2 p_o − 1."""
    n = both + only_a + only_b + neither
    if n == 0:
        return None, NOTE_EMPTY
    return (2 * (both + neither) - n) / n, ""


def gwet_ac1(both: int, only_a: int, only_b: int, neither: int) -> Result:
    """Gwet's AC1 for two coders and two categories, computed from exact integer counts."""
    n = both + only_a + only_b + neither
    if n == 0:
        return None, NOTE_EMPTY
    # With π = (A + B) / 2N: p_e = 2π(1 − π) = (A + B)(2N − A − B) / 2N².
    ab = 2 * both + only_a + only_b
    chance = ab * (2 * n - ab)  # p_e · 2N²
    denominator = 2 * n * n - chance
    if denominator == 0:  # only when A + B = N: never for a 2×2 table with p_e ≤ 1/2
        return None, NOTE_ONE_VALUE
    return (2 * n * (both + neither) - chance) / denominator, ""


def fleiss_kappa(table: Sequence[Sequence[int]]) -> Result:
    """Fleiss' κ from an items × categories table of counts; every row must sum to the same m."""
    rows = [list(map(int, row)) for row in table]
    if not rows:
        return None, NOTE_EMPTY
    m = sum(rows[0])
    if any(sum(row) != m for row in rows):
        raise ValueError("every item must be rated by the same number of coders")
    if m < 2:
        return None, NOTE_FEW_CODERS
    n = len(rows)
    agreement = sum(c * (c - 1) for row in rows for c in row) / (n * m * (m - 1))
    totals = [sum(column) for column in zip(*rows, strict=True)]
    chance = sum((t / (n * m)) ** 2 for t in totals)
    if chance >= 1.0:
        return None, NOTE_ONE_VALUE
    return (agreement - chance) / (1.0 - chance), ""


def fleiss_kappa_binary(n_items: int, m: int, s1: int, s2: int) -> Result:
    """Fleiss' κ for coded / not coded: N items, m coders each, S1 = Σ n_i, S2 = Σ n_i²."""
    if m < 2:
        return None, NOTE_FEW_CODERS
    if n_items == 0:
        return None, NOTE_EMPTY
    total = n_items * m
    if s1 == 0 or s1 == total:
        return None, NOTE_ONE_VALUE
    # Exact integers: Σ P_i · N m (m − 1) = 2 S2 − 2 m S1 + N m (m − 1); P̄_e · (N m)² below.
    observed = 2 * s2 - 2 * m * s1 + total * (m - 1)
    chance = s1 * s1 + (total - s1) ** 2
    # κ = (P̄ − P̄_e) / (1 − P̄_e) with P̄ = observed / (total (m − 1)), P̄_e = chance / total².
    return (observed * total - chance * (m - 1)) / ((m - 1) * (total * total - chance)), ""


def nominal_alpha_binary(n_items: int, m: int, s1: int, s2: int) -> Result:
    """Krippendorff's nominal α for coded / not coded, every item valued by all m coders."""
    if m < 2:
        return None, NOTE_FEW_CODERS
    if n_items == 0:
        return None, NOTE_EMPTY
    total = n_items * m
    if s1 == 0 or s1 == total:
        return None, NOTE_ONE_VALUE
    return 1.0 - (total - 1) * (m * s1 - s2) / ((m - 1) * s1 * (total - s1)), ""


@dataclass(frozen=True, slots=True)
class CoderSetAgreement:
    """Fleiss' κ and nominal α of all compared coders together over characters (coded / not)."""

    fleiss_kappa: float | None
    fleiss_note: str
    nominal_alpha: float | None
    alpha_note: str


def coder_set_agreement(n_items: int, m: int, s1: int, s2: int) -> CoderSetAgreement:
    """Both all-coders figures from N characters, m coders, S1 = Σ n_i and S2 = Σ n_i²."""
    return CoderSetAgreement(
        *fleiss_kappa_binary(n_items, m, s1, s2), *nominal_alpha_binary(n_items, m, s1, s2)
    )
