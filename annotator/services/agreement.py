"""Inter-coder agreement of a project: choose coders, codes, documents and zones; get κ, % and αU.

The statistics are ``annotator.core.agreement``'s; this service only decides what goes in:
spans keyed by code path and coder name, one continuum per document (its length, restricted to
the chosen zones). When a code group is chosen, each of its codes is reported and, in a separate
computation so that the all-codes ``"*"`` rows do not count a character twice, the group pooled
("coded with any code of the group") under the key ``"Group/*"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from annotator.core.agreement import ALL_CODES, AgreementReport, compute_agreement
from annotator.core.kappa import PairAgreement
from annotator.core.unitizing import UnitizingAlpha
from annotator.io.agreement_csv import write_agreement_csv
from annotator.services.team_scope import TeamFilter, TeamScope, load_span_columns, resolve_scope
from annotator.store.project import ProjectStore

__all__ = ["AgreementResult", "TeamFilter", "export_agreement_csv", "measure_agreement"]


@dataclass(frozen=True, eq=False)
class AgreementResult:
    scope: TeamScope
    report: AgreementReport
    group_report: AgreementReport | None = None

    @property
    def coders(self) -> tuple[str, ...]:
        return self.scope.coders

    @property
    def codes(self) -> tuple[str, ...]:
        """Reported codes in codebook order, then the pooled group (if any), then ``"*"``."""
        group = (self.scope.group,) if self.group_report is not None else ()
        return (*self.scope.codes, *group, ALL_CODES)

    @property
    def notes(self) -> tuple[str, ...]:
        return self.scope.notes

    @property
    def pairs(self) -> list[tuple[str, str]]:
        coders = self.report.coders
        return [(a, b) for i, a in enumerate(coders) for b in coders[i + 1 :]]

    def _report_for(self, code: str) -> AgreementReport:
        if self.group_report is not None and code == self.scope.group:
            return self.group_report
        return self.report

    def pair(self, code: str, coder_a: str, coder_b: str, document_id: int | None = None) -> PairAgreement:
        return self._report_for(code).pair(code, coder_a, coder_b, document_id)

    def alpha_u(self, code: str = ALL_CODES, document_id: int | None = None) -> UnitizingAlpha:
        return self._report_for(code).alpha_u(code, document_id)

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows for the agreement CSV: per scope and code, αU then every pair, with titles."""
        rows = self.report.rows()
        if self.group_report is not None:
            rows += [r for r in self.group_report.rows() if r["code"] == self.scope.group]
            order = {code: i for i, code in enumerate(self.codes)}
            scopes = {doc_id: i for i, doc_id in enumerate(self.report.scopes)}
            rows.sort(key=lambda r: (scopes[r["document_id"]], order[r["code"]]))  # stable: αU row first
        for row in rows:
            doc_id = row["document_id"]
            row["document"] = "" if doc_id is None else self.scope.documents.get(doc_id, "")
        return rows

    def to_json_dict(self) -> dict[str, Any]:
        """The core report's JSON, keyed by scope, code path and ``"alice|bob"``, plus notes."""
        data = self.report.to_json_dict()
        if self.group_report is not None:
            group = self.group_report.to_json_dict()
            for key, scope in data["scopes"].items():
                scope["codes"][self.scope.group] = group["scopes"][key]["codes"][self.scope.group]
            data["group"] = self.scope.group
        data["documents"] = {str(doc_id): title for doc_id, title in self.scope.documents.items()}
        data["characters_in_scope"] = self.scope.characters_in_scope
        data["notes"] = list(self.notes)
        return data


def measure_agreement(store: ProjectStore, flt: TeamFilter | None = None) -> AgreementResult:
    """Agreement of the chosen coders on the chosen codes, documents and zones (read-only)."""
    with store.reading() as session:
        scope = resolve_scope(session, flt or TeamFilter())
        spans = load_span_columns(session, scope)  # columns, not objects: ~300k spans in well under 1 s
    report = compute_agreement(spans, scope.continua, coders=scope.coders, codes=scope.codes)
    group_report = None
    if scope.group:
        group_report = compute_agreement(
            spans.relabelled(scope.group), scope.continua, coders=scope.coders, codes=[scope.group]
        )
    return AgreementResult(scope, report, group_report)


def export_agreement_csv(result: AgreementResult, out: TextIO) -> int:
    """Write the agreement CSV (per scope × code × pair, with counts); return the row count."""
    return write_agreement_csv(result.rows(), out)
