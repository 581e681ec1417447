"""The result of ``compute_agreement``: lookups, flat rows for CSV/tables, and a JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.core.agreement_table import SpanTable
from annotator.core.kappa import PairAgreement, pair_agreement
from annotator.core.unitizing import ALL_CODES, UnitizingAlpha

__all__ = ["ROW_COLUMNS", "AgreementReport", "PairAgreement", "pair_agreement", "pair_key"]

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
    "note",
)
ALL_CODERS = "*"


def pair_key(coder_a: str, coder_b: str) -> str:
    """``"alice|bob"``; a ``|`` or ``\\`` inside a name is escaped with a backslash."""

    def escape(name: str) -> str:
        return name.replace("\\", "\\\\").replace("|", "\\|")

    return f"{escape(coder_a)}|{escape(coder_b)}"


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

    @classmethod
    def build(
        cls,
        table: SpanTable,
        pairs: list[PairAgreement],
        unitizing: Mapping[tuple[int | None, str], UnitizingAlpha],
    ) -> AgreementReport:
        index = {(p.document_id, p.code, p.coder_a, p.coder_b): p for p in pairs}
        return cls(table.coders, table.codes, table.document_ids, tuple(pairs), unitizing, index)

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
        return pair_agreement(
            document_id, code, coder_a, coder_b, row.both, row.only_b, row.only_a, row.neither
        )

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
                out.append(_row(document_id, code, ALL_CODERS, ALL_CODERS, alpha_u=u.alpha, note=u.note))
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
                "note": p.note,
            }
        return {
            "coders": list(self.coders),
            "codes": list(self.codes),
            "document_ids": list(self.document_ids),
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
