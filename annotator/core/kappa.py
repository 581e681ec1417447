"""Percent agreement and Cohen's κ from one 2×2 table of character counts (Cohen 1960).

For coders a and b: ``both`` characters coded by both, ``only_a``, ``only_b``, ``neither``;
N = both + only_a + only_b + neither, A = both + only_a, B = both + only_b. Then

    p_o = (both + neither) / N
    p_e = (A / N)(B / N) + (1 − A / N)(1 − B / N)
    κ   = (p_o − p_e) / (1 − p_e)
        = (N (both + neither) − A B − (N − A)(N − B)) / (N² − A B − (N − A)(N − B)),

the last form in exact integers. p_e = 1 only when A = B = 0 or A = B = N, and then p_o = 1:
κ is undefined (None with a note), never a division by zero. N = 0 leaves both undefined.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core import coefficients

NOTE_EMPTY = "undefined: no characters in scope (empty document or zone filter excludes all)"


def percent_agreement(both: int, only_a: int, only_b: int, neither: int) -> tuple[float | None, str]:
    """(both + neither) / N, or None with a note when N = 0."""
    n = both + only_a + only_b + neither
    if n == 0:
        return None, NOTE_EMPTY
    return (both + neither) / n, ""


def cohen_kappa(
    both: int, only_a: int, only_b: int, neither: int, subject: str = "this code"
) -> tuple[float | None, str]:
    """Cohen's κ, or None with a note when N = 0 or p_e = 1. ``subject`` words the note."""
    n = both + only_a + only_b + neither
    if n == 0:
        return None, NOTE_EMPTY
    a, b = both + only_a, both + only_b
    chance = a * b + (n - a) * (n - b)  # p_e · N²
    denominator = n * n - chance
    if denominator == 0:
        if a == 0:
            return None, f"undefined: neither coder used {subject} in scope (pe = 1)"
        return None, (f"undefined: both coders applied {subject} to every character in scope (pe = 1)")
    return (n * (both + neither) - chance) / denominator, ""


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Character-level agreement of two coders on one code (or ``"*"``) in one scope.

    ``document_id`` None means pooled over all documents of the report.
    """

    document_id: int | None
    code: str
    coder_a: str
    coder_b: str
    both: int
    only_a: int
    only_b: int
    neither: int
    percent_agreement: float | None
    kappa: float | None
    kappa_note: str = ""
    percent_note: str = ""
    alpha_u: float | None = None  # αU of this pair alone (``unitizing``); None: undefined or not computed
    alpha_u_note: str = ""

    @property
    def positive_agreement(self) -> float | None:
        """Positive specific agreement (Dice/F1 on coded characters), see ``coefficients``."""
        return coefficients.positive_agreement(self.both, self.only_a, self.only_b)[0]

    @property
    def pabak(self) -> float | None:
        """Brennan–Prediger κ for coded / not coded (= PABAK, 2 p_o − 1)."""
        return coefficients.brennan_prediger(self.both, self.only_a, self.only_b, self.neither)[0]

    @property
    def ac1(self) -> float | None:
        """Gwet's AC1."""
        return coefficients.gwet_ac1(self.both, self.only_a, self.only_b, self.neither)[0]

    @property
    def n(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    @property
    def scope(self) -> str:
        return "pooled" if self.document_id is None else "document"

    @property
    def note(self) -> str:
        """The distinct notes, joined (percent's note is κ's whenever both are undefined)."""
        notes = [self.percent_note] if self.percent_note else []
        if self.kappa_note and self.kappa_note not in notes:
            notes.append(self.kappa_note)
        return "; ".join(notes)


def pair_agreement(
    document_id: int | None,
    code: str,
    coder_a: str,
    coder_b: str,
    both: int,
    only_a: int,
    only_b: int,
    neither: int,
    alpha_u: float | None = None,
    alpha_u_note: str = "",
) -> PairAgreement:
    """Compute % and κ for one 2×2 table and wrap it with its labels (and the pair's αU, if given)."""
    percent, percent_note = percent_agreement(both, only_a, only_b, neither)
    subject = "any code" if code == "*" else "this code"
    kappa, kappa_note = cohen_kappa(both, only_a, only_b, neither, subject)
    return PairAgreement(
        document_id,
        code,
        coder_a,
        coder_b,
        both,
        only_a,
        only_b,
        neither,
        percent,
        kappa,
        kappa_note,
        percent_note,
        alpha_u,
        alpha_u_note,
    )
