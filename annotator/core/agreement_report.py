"""The result of ``compute_agreement``: lookups, flat rows for CSV/tables, and a JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from annotator.core.agreement_table import SpanTable
from annotator.core.coefficients import CoderSetAgreement
from annotator.core.kappa import PairAgreement, pair_agreement
from annotator.core.unitizing import ALL_CODES, UnitizingAlpha
from annotator.core.unitizing_2016 import MEASURES, SOURCE_2016, UnitizingFamily

__all__ = ["ROW_COLUMNS", "AgreementReport", "PairAgreement", "explain_chance", "pair_agreement", "pair_key"]

ROW_COLUMNS = (
    "scope",
    "document_id",
    "code",
    "coder_a",
    "coder_b",
    "both",
    "only_a",
    "only_b",
    "neither",
    "n",
    "percent_agreement",
    "kappa",
    "alpha_u",
    *MEASURES,
    "positive_agreement",
    "pabak",
    "ac1",
    "fleiss_kappa",
    "nominal_alpha",
    "note",
)
ALL_CODERS = "*"
# Where each all-coders figure is defined; the report's JSON carries this map.
SOURCES = {
    "alpha_u": "Krippendorff 2004, Content Analysis 2nd ed., §11.6",
    **dict.fromkeys(MEASURES, SOURCE_2016),
}
# Short labels, with their source year: the 2004 αU and the 2016 family are different measures.
LABELS = {
    "u_alpha_2016": "uα (2016)",
    "bar_u_alpha_2016": "|uα (2016)",
    "cu_alpha_2016": "cuα (2016)",
    "k_u_alpha_2016": "(k)uα (2016)",
}


def pair_key(coder_a: str, coder_b: str) -> str:
    """``"alice|bob"``; a ``|`` or ``\\`` inside a name is escaped with a backslash."""

    def escape(name: str) -> str:
        return name.replace("\\", "\\\\").replace("|", "\\|")

    return f"{escape(coder_a)}|{escape(coder_b)}"


def explain_chance(p: PairAgreement) -> str:
    """Why % agreement is high while κ is near 0 or undefined, in the words of docs/agreement.md;
    "" when the two figures tell the same story.

    % agreement counts the characters neither coder coded as agreement; κ discounts what chance
    alone would give (p_e), so with a rare code both can be far apart.
    """
    if p.n == 0 or p.percent_agreement is None:
        return ""
    if p.kappa is None:
        return (
            f"κ {p.kappa_note}: only one category occurred, so chance alone predicts every character; "
            "% agreement is 100% by construction and says nothing about reliability."
        )
    if p.both == 0:
        neither = f"The high % agreement comes from the {p.neither:,} characters neither coded."
        if p.only_a == 0 or p.only_b == 0:
            idle, busy, coded = (
                (p.coder_a, p.coder_b, p.only_b) if p.only_a == 0 else (p.coder_b, p.coder_a, p.only_a)
            )
            return (
                f"{idle} did not use this code in scope and {busy} coded {_characters(coded)}: κ = 0, "
                f"no agreement beyond chance. {neither}"
            )
        return (
            f"The coders shared no coded character ({p.only_a:,} only by {p.coder_a}, {p.only_b:,} only by "
            f"{p.coder_b}): κ ≤ 0. {neither}"
        )
    if p.percent_agreement >= 0.9 and p.kappa < TENTATIVE_KAPPA:
        return (
            "% agreement is high because most characters were left uncoded by both; κ corrects for the "
            "agreement chance alone would give, and is low."
        )
    return ""


def _characters(count: int) -> str:
    return "1 character" if count == 1 else f"{count:,} characters"


TENTATIVE_KAPPA = 0.667  # the band where tentative conclusions start (docs/agreement.md)


def scope_key(document_id: int | None) -> str:
    return "pooled" if document_id is None else f"document:{document_id}"


@dataclass(frozen=True, eq=False)
class AgreementReport:
    """Pairwise character agreement and αU for every scope (documents, pooled) and code (+ "*").

    Pair rows exist for each coder pair (a, b) with a before b in ``coders``; αU rows cover all
    ``coders`` together.
    """

    coders: tuple[str, ...]
    codes: tuple[str, ...]
    document_ids: tuple[int, ...]
    pairs: tuple[PairAgreement, ...]
    unitizing: Mapping[tuple[int | None, str], UnitizingAlpha]
    _index: dict[tuple[int | None, str, str, str], PairAgreement] = field(repr=False)
    coder_sets: Mapping[tuple[int | None, str], CoderSetAgreement] = field(default_factory=dict)
    unitizing_2016: Mapping[tuple[int | None, str], UnitizingFamily] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        table: SpanTable,
        pairs: list[PairAgreement],
        unitizing: Mapping[tuple[int | None, str], UnitizingAlpha],
        coder_sets: Mapping[tuple[int | None, str], CoderSetAgreement] | None = None,
        unitizing_2016: Mapping[tuple[int | None, str], UnitizingFamily] | None = None,
    ) -> AgreementReport:
        index = {(p.document_id, p.code, p.coder_a, p.coder_b): p for p in pairs}
        return cls(
            table.coders,
            table.codes,
            table.document_ids,
            tuple(pairs),
            unitizing,
            index,
            coder_sets or {},
            unitizing_2016 or {},
        )

    def family_2016(self, code: str = ALL_CODES, document_id: int | None = None) -> UnitizingFamily | None:
        """uα, |uα, cuα and (k)uα (Krippendorff et al. 2016), None when not computed."""
        return self.unitizing_2016.get((document_id, code))

    def family_2016_values(self, code: str = ALL_CODES, document_id: int | None = None) -> dict[str, Any]:
        """The family's values by ``MEASURES`` name, and its notes labelled with the measure."""
        family = self.family_2016(code, document_id)
        if family is None:
            return {}
        values: dict[str, Any] = {}
        by_note: dict[str, list[str]] = {}  # one reason shared by several measures is said once
        for name in MEASURES:
            coefficient = getattr(family, name)
            values[name] = coefficient.value
            if coefficient.note:
                by_note.setdefault(coefficient.note, []).append(LABELS[name].removesuffix(" (2016)"))
        values["note"] = "; ".join(f"{', '.join(names)} (2016) {note}" for note, names in by_note.items())
        return values

    def coder_set(self, code: str = ALL_CODES, document_id: int | None = None) -> CoderSetAgreement:
        """Fleiss' κ and nominal α of all coders together (coded / not coded per character)."""
        return self.coder_sets[(document_id, code)]

    @property
    def scopes(self) -> tuple[int | None, ...]:
        """None (pooled) first, then each document id."""
        return (None, *self.document_ids)

    def pair(self, code: str, coder_a: str, coder_b: str, document_id: int | None = None) -> PairAgreement:
        """The row for two coders in either order (``only_a`` is then ``coder_a``'s count)."""
        row = self._index.get((document_id, code, coder_a, coder_b))
        if row is not None:
            return row
        row = self._index[(document_id, code, coder_b, coder_a)]
        swapped = pair_agreement(
            document_id, code, coder_a, coder_b, row.both, row.only_b, row.only_a, row.neither
        )
        return replace(swapped, alpha_u=row.alpha_u, alpha_u_note=row.alpha_u_note)

    def alpha_u(self, code: str = ALL_CODES, document_id: int | None = None) -> UnitizingAlpha:
        return self.unitizing[(document_id, code)]

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows with ``ROW_COLUMNS``: per scope and code, the αU row (coders ``"*"``) and
        then one row per coder pair. Undefined statistics are None."""
        by_scope_code: dict[tuple[int | None, str], list[PairAgreement]] = {}
        for p in self.pairs:
            by_scope_code.setdefault((p.document_id, p.code), []).append(p)
        out: list[dict[str, Any]] = []
        for document_id in self.scopes:
            for code in (*self.codes, ALL_CODES):
                u = self.unitizing[(document_id, code)]
                group = self.coder_sets.get((document_id, code))
                notes = [f"αU {u.note}"] if u.note else []
                extra: dict[str, Any] = self.family_2016_values(code, document_id)
                notes += [extra.pop("note")] if extra.get("note") else []
                extra.pop("note", None)
                if group is not None:
                    extra |= {"fleiss_kappa": group.fleiss_kappa, "nominal_alpha": group.nominal_alpha}
                    notes += [f"Fleiss' κ {group.fleiss_note}"] if group.fleiss_note else []
                out.append(
                    _row(
                        document_id,
                        code,
                        ALL_CODERS,
                        ALL_CODERS,
                        alpha_u=u.alpha,
                        note="; ".join(notes),
                        **extra,
                    )
                )
                for p in by_scope_code.get((document_id, code), []):
                    out.append(
                        _row(
                            document_id,
                            code,
                            p.coder_a,
                            p.coder_b,
                            both=p.both,
                            only_a=p.only_a,
                            only_b=p.only_b,
                            neither=p.neither,
                            n=p.n,
                            percent_agreement=p.percent_agreement,
                            kappa=p.kappa,
                            alpha_u=p.alpha_u,
                            positive_agreement=p.positive_agreement,
                            pabak=p.pabak,
                            ac1=p.ac1,
                            note=p.note,
                        )
                    )
        return out

    def to_json_dict(self) -> dict[str, Any]:
        """JSON-ready nesting: scopes → codes → αU fields and pairs keyed ``"alice|bob"``."""
        scopes: dict[str, Any] = {}
        for document_id in self.scopes:
            codes: dict[str, Any] = {}
            for code in (*self.codes, ALL_CODES):
                u = self.unitizing[(document_id, code)]
                codes[code] = {
                    "alpha_u": u.alpha,
                    "alpha_u_observed_disagreement": u.observed,
                    "alpha_u_expected_disagreement": u.expected,
                    "alpha_u_note": u.note,
                    "pairs": {},
                }
                family = self.family_2016(code, document_id)
                for name in MEASURES if family is not None else ():
                    coefficient = getattr(family, name)
                    if coefficient.value is not None or coefficient.note:  # leave out what does not apply
                        codes[code][name] = coefficient.value
                        codes[code][f"{name}_note"] = coefficient.note
                group = self.coder_sets.get((document_id, code))
                if group is not None:
                    codes[code]["fleiss_kappa"] = group.fleiss_kappa
                    codes[code]["nominal_alpha"] = group.nominal_alpha
            scopes[scope_key(document_id)] = {"document_id": document_id, "codes": codes}
        for p in self.pairs:
            scopes[scope_key(p.document_id)]["codes"][p.code]["pairs"][pair_key(p.coder_a, p.coder_b)] = {
                "both": p.both,
                "only_a": p.only_a,
                "only_b": p.only_b,
                "neither": p.neither,
                "n": p.n,
                "percent_agreement": p.percent_agreement,
                "kappa": p.kappa,
                "alpha_u": p.alpha_u,
                "alpha_u_note": p.alpha_u_note,
                "positive_agreement": p.positive_agreement,
                "pabak": p.pabak,
                "ac1": p.ac1,
                "note": p.note,
            }
        return {
            "coders": list(self.coders),
            "codes": list(self.codes),
            "document_ids": list(self.document_ids),
            "sources": SOURCES,
            "scopes": scopes,
        }


def _row(document_id: int | None, code: str, coder_a: str, coder_b: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(ROW_COLUMNS)
    row.update(
        scope="pooled" if document_id is None else "document",
        document_id=document_id,
        code=code,
        coder_a=coder_a,
        coder_b=coder_b,
        note="",
    )
    row.update(values)
    return row
