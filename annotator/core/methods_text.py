"""A methods paragraph describing an agreement computation, to paste into a paper (pure text).

It states only what was computed: the coders, the sample (documents, characters), the unit of
analysis, the coefficients with their values (and bootstrap intervals when computed), the
pooling rule of the all-codes figures and how disagreements were resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotator.core.agreement_report import AgreementReport


@dataclass(frozen=True, slots=True)
class MethodsFacts:
    """What the paragraph reports; None values are left out of the text."""

    coders: int
    documents: int
    characters: int
    codes: int
    alpha_u: float | None  # pooled αU over all codes
    kappa_low: float | None  # the range of the pairs' pooled κ over all codes
    kappa_high: float | None
    fleiss_kappa: float | None
    alpha_u_ci: tuple[float, float] | None = None
    min_alpha: float | None = None
    p_below: float | None = None
    resamples: int | None = None
    seed: int | None = None
    disagreements: int = 0
    resolved: int = 0
    zones: str = ""  # e.g. "excluding summaries and author's notes"
    # Krippendorff, Mathet, Bouvry & Widlöcher 2016 over all codes (see ``family_2016_facts``)
    u_alpha_2016: float | None = None
    bar_u_alpha_2016: float | None = None
    cu_alpha_2016: float | None = None
    family_2016_note: str = ""  # why the 2016 figures are undefined, when they are


def family_2016_facts(report: AgreementReport) -> dict[str, Any]:
    """The 2016 family's pooled all-codes figures of ``report``, as ``MethodsFacts`` keywords."""
    family = report.family_2016()
    if family is None:
        return {}
    coefficients = (family.u_alpha_2016, family.bar_u_alpha_2016, family.cu_alpha_2016)
    return {
        "u_alpha_2016": family.u_alpha_2016.value,
        "bar_u_alpha_2016": family.bar_u_alpha_2016.value,
        "cu_alpha_2016": family.cu_alpha_2016.value,
        "family_2016_note": next((c.note for c in coefficients if c.note), ""),
    }


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _value(value: float) -> str:
    return f"{value:.3f}".replace("0.", ".", 1) if 0 <= value < 1 else f"{value:.3f}"


def _family_2016_sentence(facts: MethodsFacts) -> list[str]:
    source = "Krippendorff, Mathet, Bouvry & Widlöcher 2016; Krippendorff 2019, §12.6"
    named = [
        (facts.u_alpha_2016, "uα"),
        (facts.bar_u_alpha_2016, "|uα (coded vs. not coded)"),
        (facts.cu_alpha_2016, "cuα (the coding where units of different coders overlap)"),
    ]
    shown = [f"{name} = {_value(value)}" for value, name in named if value is not None]
    if shown:
        return [
            f"The revised unitizing coefficients over all codes ({source}) were " + ", ".join(shown) + "."
        ]
    if facts.family_2016_note:
        note = facts.family_2016_note.removeprefix("undefined: ")
        return [f"The revised unitizing coefficients uα, |uα and cuα ({source}) are undefined here: {note}."]
    return []


def methods_paragraph(facts: MethodsFacts) -> str:
    """The paragraph, in plain sentences."""
    scope = f" ({facts.zones})" if facts.zones else ""
    parts = [
        f"{_n(facts.coders, 'coder')} independently coded {_n(facts.documents, 'document')} "
        f"({facts.characters:,} characters in scope{scope}) with {_n(facts.codes, 'code')}.",
        "Agreement was assessed with the character as the unit of analysis: for each code, each "
        "character was coded or not by each coder (a coder's overlapping segments of a code were merged).",
    ]
    figures: list[str] = []
    if facts.alpha_u is not None:
        text = "Krippendorff's unitizing α (αU; Krippendorff 2004, §11.6) over all codes was "
        text += _value(facts.alpha_u)
        if facts.alpha_u_ci is not None:
            low, high = facts.alpha_u_ci
            text += f" (95% CI {_value(low)}–{_value(high)})"
        figures.append(text)
    if facts.kappa_low is not None and facts.kappa_high is not None:
        if facts.kappa_low == facts.kappa_high:
            figures.append(f"Cohen's κ at character level was {_value(facts.kappa_low)}")
        else:
            figures.append(
                f"Cohen's κ at character level ranged from {_value(facts.kappa_low)} to "
                f"{_value(facts.kappa_high)} across coder pairs"
            )
    if facts.fleiss_kappa is not None and facts.coders >= 3:
        figures.append(f"Fleiss' κ for all coders was {_value(facts.fleiss_kappa)}")
    if figures:
        parts.append("; ".join(figures) + ".")
    parts += _family_2016_sentence(facts)
    parts.append(
        "Figures over all codes pool the character-by-code decisions of every code at least one coder "
        "used, summed over documents before computing (αU: 1 − ΣuDo/ΣuDe over codes)."
    )
    if facts.resamples:
        text = (
            f"Confidence intervals are 95% percentile intervals from {facts.resamples:,} bootstrap "
            f"resamples of documents (seed {facts.seed})"
        )
        if facts.p_below is not None and facts.min_alpha is not None:
            text += (
                f"; the probability that αU falls below {_value(facts.min_alpha)} "
                f"was estimated at {_value(facts.p_below)}"
            )
        parts.append(text + ".")
    if facts.disagreements:
        parts.append(
            f"Of {_n(facts.disagreements, 'disagreement')} (segments coded differently), "
            f"{facts.resolved:,} were resolved by adjudication into a consensus coding."
        )
    else:
        parts.append("Disagreements were not adjudicated in the project.")
    return " ".join(parts)
