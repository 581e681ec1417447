"""Inter-coder agreement of a project: choose coders, codes, documents and zones; get κ, % and αU.

The statistics are ``annotator.core.agreement``'s; this service only decides what goes in:
spans keyed by code path and coder name, one continuum per document (its length, restricted to
the chosen zones). When a code group is chosen, each of its codes is reported and, in a separate
computation so that the all-codes ``"*"`` rows do not count a character twice, the group pooled
("coded with any code of the group") under the key ``"Group/*"``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from annotator.core.agreement import ALL_CODES, AgreementReport, SpanColumns, compute_agreement
from annotator.core.agreement_report import pair_key
from annotator.core.agreement_table import build_span_table
from annotator.core.assigned_agreement import assignment_mask, compute_assigned_agreement
from annotator.core.bootstrap import (
    DEFAULT_MIN_ALPHA,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    BootstrapResult,
    Interval,
    bootstrap_agreement,
)
from annotator.core.coefficients import CoderSetAgreement
from annotator.core.kappa import PairAgreement
from annotator.core.methods_text import MethodsFacts, family_2016_facts
from annotator.core.methods_text import methods_paragraph as _paragraph
from annotator.core.unitizing import UnitizingAlpha
from annotator.core.unitizing_2016 import MEASURES, UnitizingFamily
from annotator.io.agreement_csv import BOOTSTRAP_COLUMNS, write_agreement_csv
from annotator.services.adjudication import adjudication_progress, list_disagreements
from annotator.services.team_scope import TeamFilter, TeamScope, load_span_columns, resolve_scope
from annotator.store.project import ProjectStore

__all__ = [
    "AgreementResult",
    "BootstrapOptions",
    "TeamFilter",
    "adjudication_counts",
    "export_agreement_csv",
    "measure_agreement",
    "methods_paragraph",
]


@dataclass(frozen=True, slots=True)
class BootstrapOptions:
    """Confidence intervals by resampling documents (``core.bootstrap``): how many, which seed,
    and the minimum α whose probability of failure is reported."""

    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    min_alpha: float = DEFAULT_MIN_ALPHA


@dataclass(frozen=True, eq=False)
class AgreementResult:
    scope: TeamScope
    report: AgreementReport
    group_report: AgreementReport | None = None
    bootstrap: BootstrapResult | None = None
    group_bootstrap: BootstrapResult | None = None

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
        """The scope's notes, then which coders counted where (when assignments decided it)."""
        rule = (self.scope.assignment_rule,) if self.scope.assignments else ()
        return (*self.scope.notes, *rule)

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

    def coder_set(self, code: str = ALL_CODES, document_id: int | None = None) -> CoderSetAgreement:
        """Fleiss' κ and nominal α of all coders together (character level)."""
        return self._report_for(code).coder_set(code, document_id)

    def _bootstrap_for(self, code: str) -> BootstrapResult | None:
        if self.group_report is not None and code == self.scope.group:
            return self.group_bootstrap
        return self.bootstrap

    def alpha_u_interval(self, code: str = ALL_CODES) -> Interval | None:
        """The pooled αU's bootstrap interval, None when intervals were not computed."""
        result = self._bootstrap_for(code)
        return None if result is None else result.alpha_u[code]

    def family_2016(self, code: str = ALL_CODES, document_id: int | None = None) -> UnitizingFamily | None:
        """uα, |uα, cuα and (k)uα (Krippendorff et al. 2016) of ``code``; None when not computed."""
        return self._report_for(code).family_2016(code, document_id)

    def family_interval(self, measure: str, code: str = ALL_CODES) -> Interval | None:
        """The pooled interval of a 2016 measure (``unitizing_2016.MEASURES``) for ``code``; None
        when not computed or when the measure does not apply to it (|uα and cuα: ``"*"`` only)."""
        result = self._bootstrap_for(code)
        return None if result is None else result.unitizing_2016.get((measure, code))

    def kappa_interval(self, code: str, coder_a: str, coder_b: str) -> Interval | None:
        """The pooled κ's bootstrap interval for a pair (either order), None when not computed."""
        result = self._bootstrap_for(code)
        if result is None:
            return None
        return result.kappa.get((code, coder_a, coder_b)) or result.kappa[(code, coder_b, coder_a)]

    def documents_by_alpha(self) -> list[tuple[int, UnitizingAlpha]]:
        """Every document with its all-codes αU, lowest first (undefined ones last): the works
        that pull agreement down come first."""
        values = [(doc_id, self.report.alpha_u(ALL_CODES, doc_id)) for doc_id in self.report.document_ids]
        return sorted(values, key=lambda item: (item[1].alpha is None, item[1].alpha or 0.0, item[0]))

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
            if self.bootstrap is not None and doc_id is None:
                self._add_intervals(row)
        return rows

    def _add_intervals(self, row: dict[str, Any]) -> None:
        assert self.bootstrap is not None
        code = row["code"]
        if row["coder_a"] == "*":
            intervals = {"alpha_u": self.alpha_u_interval(code)}
            intervals |= {measure: self.family_interval(measure, code) for measure in MEASURES}
        else:
            intervals = {"kappa": self.kappa_interval(code, row["coder_a"], row["coder_b"])}
        for prefix, ci in intervals.items():
            if ci is not None:
                row.update(
                    {
                        f"{prefix}_ci_low": ci.low,
                        f"{prefix}_ci_high": ci.high,
                        f"{prefix}_p_below_min": ci.below,
                    }
                )
        row.update(
            bootstrap_resamples=self.bootstrap.resamples,
            bootstrap_seed=self.bootstrap.seed,
            min_alpha=self.bootstrap.min_alpha,
        )

    @property
    def csv_columns(self) -> tuple[str, ...]:
        """Extra CSV columns: the bootstrap's, when intervals were computed."""
        return BOOTSTRAP_COLUMNS if self.bootstrap is not None else ()

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
        data["assignment_rule"] = self.scope.assignment_rule
        if self.bootstrap is not None:
            data["bootstrap"] = self._bootstrap_json(self.bootstrap)
        return data

    def _bootstrap_json(self, result: BootstrapResult) -> dict[str, Any]:
        def interval(ci: Interval | None) -> dict[str, Any] | None:
            if ci is None:
                return None
            return {"low": ci.low, "high": ci.high, "p_below_min": ci.below, "defined_resamples": ci.defined}

        codes: dict[str, Any] = {}
        for code in self.codes:
            codes[code] = {
                "alpha_u": interval(self.alpha_u_interval(code)),
                "kappa": {pair_key(a, b): interval(self.kappa_interval(code, a, b)) for a, b in self.pairs},
            }
            for measure in MEASURES:  # the 2016 family, where the measure applies to the code
                ci = self.family_interval(measure, code)
                if ci is not None:
                    codes[code][measure] = interval(ci)
        return {
            "resampled": "documents, with replacement",
            "resamples": result.resamples,
            "seed": result.seed,
            "confidence": result.confidence,
            "min_alpha": result.min_alpha,
            "documents": result.documents,
            "codes": codes,
        }


def _restricts(scope: TeamScope) -> bool:
    """Whether assignments leave some chosen coder out of some document in scope."""
    everyone = frozenset(scope.coders)
    return any(coders != everyone for coders in scope.assignments.values())


def _report(spans: SpanColumns, scope: TeamScope, codes: Sequence[str]) -> AgreementReport:
    if _restricts(scope):
        return compute_assigned_agreement(
            spans, scope.continua, scope.assignments, coders=scope.coders, codes=codes
        )
    return compute_agreement(spans, scope.continua, coders=scope.coders, codes=codes)


def measure_agreement(
    store: ProjectStore,
    flt: TeamFilter | None = None,
    bootstrap: BootstrapOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AgreementResult:
    """Agreement of the chosen coders on the chosen codes, documents and zones (read-only);
    with ``bootstrap``, also the pooled figures' confidence intervals over documents.

    Where a document has coder assignments, only its assigned coders count there (the others are
    missing, ``core.assigned_agreement``). ``progress(done, total)`` follows the resamples and may
    raise to stop the computation (a cancelled dialog).
    """
    with store.reading() as session:
        scope = resolve_scope(session, flt or TeamFilter())
        spans = load_span_columns(session, scope)  # columns, not objects: ~300k spans in well under 1 s
    report = _report(spans, scope, scope.codes)
    group_report = _report(spans.relabelled(scope.group), scope, [scope.group]) if scope.group else None
    if bootstrap is None:
        return AgreementResult(scope, report, group_report)
    options = (bootstrap.resamples, bootstrap.seed, bootstrap.min_alpha)
    runs = 2 if scope.group else 1

    def step(offset: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        report_progress = progress
        return lambda done, total: report_progress(offset + done, runs * total)

    def intervals(columns: SpanColumns, codes: Sequence[str], offset: int) -> BootstrapResult:
        table = build_span_table(columns, scope.continua, coders=scope.coders, codes=codes)
        counted = assignment_mask(table, scope.assignments) if _restricts(scope) else None
        return bootstrap_agreement(table, *options, progress=step(offset), counted=counted)

    main = intervals(spans, scope.codes, 0)
    group_bootstrap = None
    if scope.group:
        group_bootstrap = intervals(spans.relabelled(scope.group), [scope.group], bootstrap.resamples)
    return AgreementResult(scope, report, group_report, main, group_bootstrap)


def adjudication_counts(store: ProjectStore, flt: TeamFilter | None = None) -> tuple[int, int]:
    """(resolved, total) disagreements in the same scope, for the methods paragraph."""
    return adjudication_progress(list_disagreements(store, flt=flt))


def methods_paragraph(result: AgreementResult, adjudication: tuple[int, int] = (0, 0)) -> str:
    """The paragraph of ``core.methods_text`` for this result and (resolved, total) disagreements."""
    kappas = [result.pair(ALL_CODES, a, b).kappa for a, b in result.pairs]
    defined = [k for k in kappas if k is not None]
    ci = result.alpha_u_interval()
    boot = result.bootstrap
    facts = MethodsFacts(
        coders=len(result.coders),
        documents=len(result.scope.documents),
        characters=result.scope.characters_in_scope,
        codes=len(result.scope.codes),
        alpha_u=result.alpha_u().alpha,
        kappa_low=min(defined) if defined else None,
        kappa_high=max(defined) if defined else None,
        fleiss_kappa=result.coder_set().fleiss_kappa if len(result.coders) >= 2 else None,
        alpha_u_ci=(ci.low, ci.high)
        if ci is not None and ci.low is not None and ci.high is not None
        else None,
        min_alpha=boot.min_alpha if boot else None,
        p_below=ci.below if ci is not None else None,
        resamples=boot.resamples if boot else None,
        seed=boot.seed if boot else None,
        disagreements=adjudication[1],
        resolved=adjudication[0],
        **family_2016_facts(result.report),
    )
    return f"{_paragraph(facts)} {result.scope.assignment_rule}"


def export_agreement_csv(result: AgreementResult, out: TextIO) -> int:
    """Write the agreement CSV (per scope × code × pair, with counts); return the row count."""
    return write_agreement_csv(result.rows(), out, result.csv_columns)
