"""Plain-text agreement tables for the terminal: one aligned table per code, notes in words.

An undefined statistic prints as "—" and its reason ("κ undefined: neither coder used this code
in scope (pe = 1)") goes in the notes column, so a reader never meets a bare NaN. Coder names,
code paths and titles pass through ``terminal.safe``.
"""

from __future__ import annotations

from annotator.cli.terminal import safe
from annotator.core.agreement import ALL_CODES
from annotator.core.agreement_report import LABELS
from annotator.core.bootstrap import Interval
from annotator.core.kappa import PairAgreement
from annotator.services.agreement import AgreementResult

DASH = "—"
HEADER = ("pair", "both", "only A", "only B", "neither", "%", "κ", "αU", "PSA", "PABAK", "AC1", "notes")
LEGEND = (
    "κ Cohen's kappa; αU the pair's unitizing alpha; PSA positive specific agreement (F1 on coded "
    "characters); PABAK prevalence- and bias-adjusted κ; AC1 Gwet's AC1. See docs/agreement.md.\n"
    "Headings: αU (2004) is Krippendorff 2004, §11.6; uα, |uα (coded vs not), cuα (codes where units "
    "overlap) and (k)uα (one code within cuα) are Krippendorff, Mathet, Bouvry & Widlöcher 2016 / "
    "Krippendorff 2019, §12.6; on a code's heading uα is that code alone against the uncoded text."
)
ALL_CODES_MEASURES = ("u_alpha_2016", "bar_u_alpha_2016", "cu_alpha_2016")
CODE_MEASURES = ("u_alpha_2016", "k_u_alpha_2016")
WORST_DOCUMENTS = 10  # how many of the lowest per-document αU values the summary lists


def _number(value: float | None, digits: int, scale: float = 1.0, suffix: str = "") -> str:
    return DASH if value is None else f"{value * scale:.{digits}f}{suffix}"


def pair_note(row: PairAgreement) -> str:
    """The reasons a pair's statistics are undefined, each named after its statistic."""
    if row.percent_agreement is None:
        return "% and κ " + row.percent_note
    notes = [f"κ {row.kappa_note}"] if row.kappa_note else []
    if row.alpha_u_note and row.alpha_u is None:
        notes.append(f"αU {row.alpha_u_note}")
    return "; ".join(notes)


def interval_text(ci: Interval | None, min_alpha: float) -> str:
    """ "95% CI [0.812, 0.861], p(< 0.667) 0.000" or, undefined in every resample, a dash."""
    if ci is None or ci.below is None:
        return f"95% CI {DASH}"
    return f"95% CI {_bracket(ci)}, p(< {min_alpha:.3f}) {ci.below:.3f}"


def _bracket(ci: Interval | None) -> str:
    if ci is None or ci.low is None or ci.high is None:
        return DASH
    return f"[{ci.low:.3f}, {ci.high:.3f}]"


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        numbers = zip(row[1:-1], widths[1:], strict=True)
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in numbers]
        lines.append(("  " + "  ".join(cells) + ("  " + row[-1] if row[-1] else "")).rstrip())
    return lines


def code_table(result: AgreementResult, code: str, document_id: int | None = None) -> list[str]:
    """The lines for one code: a heading with αU, then one row per coder pair."""
    alpha = result.alpha_u(code, document_id)
    title = "All codes (*)" if code == ALL_CODES else code
    if code == result.scope.group and result.group_report is not None:
        title = f"{code} (the group and its sub-codes pooled)"
    heading = f"{safe(title)}    αU (2004) {_number(alpha.alpha, 3)}"
    boot = result.bootstrap
    if boot is not None and document_id is None:
        heading += f" ({interval_text(result.alpha_u_interval(code), boot.min_alpha)})"
    if alpha.note:
        heading += f"    (αU {safe(alpha.note)})"
    heading += family_text(result, code, document_id)
    if len(result.coders) >= 2:
        group = result.coder_set(code, document_id)
        heading += (
            f"    Fleiss κ {_number(group.fleiss_kappa, 3)}    nominal α {_number(group.nominal_alpha, 3)}"
        )
    with_ci = boot is not None and document_id is None
    header = (*HEADER[:7], "κ 95% CI", "p(κ < min)", *HEADER[7:]) if with_ci else HEADER
    rows: list[tuple[str, ...]] = [header]
    for a, b in result.pairs:
        p = result.pair(code, a, b, document_id)
        ci = result.kappa_interval(code, a, b) if with_ci else None
        ci_cells = (_bracket(ci), _number(ci.below if ci else None, 3)) if with_ci else ()
        rows.append(
            (
                f"{safe(a)} | {safe(b)}",
                str(p.both),
                str(p.only_a),
                str(p.only_b),
                str(p.neither),
                _number(p.percent_agreement, 2, 100, "%"),
                _number(p.kappa, 3),
                *ci_cells,
                _number(p.alpha_u, 3),
                _number(p.positive_agreement, 3),
                _number(p.pabak, 3),
                _number(p.ac1, 3),
                safe(pair_note(p)),
            )
        )
    if len(rows) == 1:
        return [heading, "  (no coder pairs to compare)"]
    return [heading, *_table(rows)]


def family_text(result: AgreementResult, code: str, document_id: int | None = None) -> str:
    """The 2016 family for a code's heading: uα and (k)uα, or for ``"*"`` uα, |uα and cuα."""
    report = result.group_report if code == result.scope.group and result.group_report else result.report
    values = report.family_2016_values(code, document_id)
    if not values:
        return ""
    shown = ALL_CODES_MEASURES if code == ALL_CODES else CODE_MEASURES
    boot = result.group_bootstrap if report is result.group_report else result.bootstrap
    cells = []
    for name in shown:
        cell = f"{LABELS[name].removesuffix(' (2016)')} {_number(values[name], 3)}"
        ci = boot.unitizing_2016.get((name, code)) if boot is not None and document_id is None else None
        cells.append(cell + (f" {_bracket(ci)}" if ci is not None and ci.low is not None else ""))
    text = "    2016: " + "  ".join(cells)
    return text + (f"    ({safe(values['note'])})" if values["note"] else "")


def format_agreement(result: AgreementResult, *, by_document: bool = False) -> str:
    scope = result.scope
    coders = ", ".join(safe(coder) for coder in result.coders) or "none"
    lines = [
        f"Agreement of {len(result.coders)} coder(s) ({coders}) on {len(scope.documents)} document(s), "
        f"{scope.characters_in_scope} characters in scope; counts are characters, pooled over documents.",
    ]
    if result.notes:
        lines += ["Notes:", *(f"  - {safe(note)}" for note in result.notes)]
    lines.append(LEGEND)
    if result.bootstrap is not None:
        boot = result.bootstrap
        lines.append(
            f"Bootstrap: {boot.resamples} resamples of the {boot.documents} document(s) with replacement "
            f"(seed {boot.seed}); 95% percentile intervals of the pooled figures; p(< {boot.min_alpha:.3f}) "
            "is the share of resamples below that minimum."
        )
    lines += _worst_documents(result)
    scopes: list[tuple[int | None, str]] = [(None, "")]
    if by_document:
        scopes += [(doc_id, f"Document {doc_id}: {safe(title)}") for doc_id, title in scope.documents.items()]
    for document_id, heading in scopes:
        if heading:
            lines += ["", "=" * len(heading), heading]
        for code in result.codes:
            lines += ["", *code_table(result, code, document_id)]
    return "\n".join(lines) + "\n"


def _worst_documents(result: AgreementResult) -> list[str]:
    """The documents with the lowest αU over all codes: which works pull agreement down."""
    ranked = [(doc_id, u) for doc_id, u in result.documents_by_alpha() if u.alpha is not None]
    if len(result.scope.documents) < 2 or not ranked:
        return []
    shown = ranked[:WORST_DOCUMENTS]
    lines = ["", f"Lowest αU (all codes) per document, {len(shown)} of {len(ranked)}:"]
    for doc_id, u in shown:
        lines.append(f"  {_number(u.alpha, 3):>6}  document {doc_id}: {safe(result.scope.documents[doc_id])}")
    return lines
