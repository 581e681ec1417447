"""Plain-text agreement tables for the terminal: one aligned table per code, notes in words.

An undefined statistic prints as "—" and its reason ("κ undefined: neither coder used this code
in scope (pe = 1)") goes in the notes column, so a reader never meets a bare NaN. Coder names,
code paths and titles pass through ``terminal.safe``.
"""

from __future__ import annotations

from annotator.cli.terminal import safe
from annotator.core.agreement import ALL_CODES
from annotator.core.kappa import PairAgreement
from annotator.services.agreement import AgreementResult

DASH = "—"
HEADER = ("pair", "both", "only A", "only B", "neither", "%", "κ", "notes")


def _number(value: float | None, digits: int, scale: float = 1.0, suffix: str = "") -> str:
    return DASH if value is None else f"{value * scale:.{digits}f}{suffix}"


def pair_note(row: PairAgreement) -> str:
    """The reasons a pair's statistics are undefined, each named after its statistic."""
    if row.percent_agreement is None:
        return "% and κ " + row.percent_note
    return f"κ {row.kappa_note}" if row.kappa_note else ""


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER) - 1)]
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
    heading = f"{safe(title)}    αU {_number(alpha.alpha, 3)}"
    if alpha.note:
        heading += f"    (αU {safe(alpha.note)})"
    rows: list[tuple[str, ...]] = [HEADER]
    for a, b in result.pairs:
        p = result.pair(code, a, b, document_id)
        rows.append(
            (
                f"{safe(a)} | {safe(b)}",
                str(p.both),
                str(p.only_a),
                str(p.only_b),
                str(p.neither),
                _number(p.percent_agreement, 2, 100, "%"),
                _number(p.kappa, 3),
                safe(pair_note(p)),
            )
        )
    if len(rows) == 1:
        return [heading, "  (no coder pairs to compare)"]
    return [heading, *_table(rows)]


def format_agreement(result: AgreementResult, *, by_document: bool = False) -> str:
    scope = result.scope
    coders = ", ".join(safe(coder) for coder in result.coders) or "none"
    lines = [
        f"Agreement of {len(result.coders)} coder(s) ({coders}) on {len(scope.documents)} document(s), "
        f"{scope.characters_in_scope} characters in scope; counts are characters, pooled over documents.",
    ]
    if result.notes:
        lines += ["Notes:", *(f"  - {safe(note)}" for note in result.notes)]
    scopes: list[tuple[int | None, str]] = [(None, "")]
    if by_document:
        scopes += [(doc_id, f"Document {doc_id}: {safe(title)}") for doc_id, title in scope.documents.items()]
    for document_id, heading in scopes:
        if heading:
            lines += ["", "=" * len(heading), heading]
        for code in result.codes:
            lines += ["", *code_table(result, code, document_id)]
    return "\n".join(lines) + "\n"
