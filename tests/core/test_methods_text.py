"""The methods paragraph (annotator.core.methods_text): the 2016 unitizing family's sentence."""

from __future__ import annotations

from annotator.core.agreement import CodedSpan, Continuum, compute_agreement
from annotator.core.methods_text import MethodsFacts, family_2016_facts, methods_paragraph


def _facts(**family: object) -> MethodsFacts:
    return MethodsFacts(
        coders=3,
        documents=2,
        characters=120,
        codes=2,
        alpha_u=0.8,
        kappa_low=0.7,
        kappa_high=0.9,
        fleiss_kappa=0.75,
        **family,  # type: ignore[arg-type]
    )


def test_the_paragraph_names_the_2016_family_with_its_source() -> None:
    text = methods_paragraph(_facts(u_alpha_2016=0.51, bar_u_alpha_2016=0.4136, cu_alpha_2016=0.7256))
    assert "(Krippendorff, Mathet, Bouvry & Widlöcher 2016; Krippendorff 2019, §12.6)" in text
    assert "uα = .510, |uα (coded vs. not coded) = .414, cuα" in text
    assert "(αU; Krippendorff 2004, §11.6)" in text


def test_an_undefined_family_is_explained_not_left_out_silently() -> None:
    spans = [CodedSpan(1, "A", "a", 0, 10), CodedSpan(1, "B", "a", 5, 15), CodedSpan(1, "A", "b", 0, 9)]
    facts = family_2016_facts(compute_agreement(spans, [Continuum(1, 30)]))
    assert facts["u_alpha_2016"] is None and facts["family_2016_note"]
    text = methods_paragraph(_facts(**facts))
    assert (
        "uα, |uα and cuα" in text and "are undefined here: a coder's units of different codes overlap" in text
    )


def test_family_facts_carry_the_pooled_values() -> None:
    spans = [CodedSpan(1, "A", "a", 0, 10), CodedSpan(1, "B", "a", 12, 15), CodedSpan(1, "A", "b", 0, 9)]
    report = compute_agreement(spans, [Continuum(1, 30)])
    facts = family_2016_facts(report)
    family = report.family_2016()
    assert family is not None and facts["u_alpha_2016"] == family.u_alpha_2016.value is not None
    assert "uα = " in methods_paragraph(_facts(**facts))
