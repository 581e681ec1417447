"""Reports as plain-text tables for the terminal: aligned columns, numbers right, notes in words.

A figure that cannot be computed (a share of no text, a rate over no words) prints as "—".
Every code path, coder name, title, value, quote and memo passes through ``terminal.safe``.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.cli.terminal import safe
from annotator.core.reports.cooccurrence import CooccurrenceReport, Proximity
from annotator.core.reports.crosstab import CrosstabReport
from annotator.core.reports.data import ALL_CODERS
from annotator.core.reports.frequencies import FrequencyReport
from annotator.core.reports.positions import PARTS, DocumentStrip, PositionReport
from annotator.core.reports.retrieval import MemoRow, Retrieved

DASH = "—"
STRIP_WIDTH = 60


def _percent(value: float | None, digits: int = 1) -> str:
    return DASH if value is None else f"{value:.{digits}f}%"


def _number(value: float | None, digits: int) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows (the first a header) aligned: the first column left, the others right."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            [row[0].ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))]
        ).rstrip()
        for row in rows
    ]


def _lines(head: Sequence[str], body: Sequence[Sequence[str]], notes: Sequence[str], empty: str) -> str:
    lines = list(head)
    lines += table(body) if len(body) > 1 else [f"  ({empty})"]
    if notes:
        lines += ["", "Notes:", *(f"  - {safe(note)}" for note in notes)]
    return "\n".join(lines) + "\n"


def format_notes(notes: Sequence[str]) -> str:
    """A list's notes (e.g. annotations left out while they wait for review), as the tables end."""
    if not notes:
        return ""
    return "\n".join(["", "Notes:", *(f"  - {safe(note)}" for note in notes)]) + "\n"


def _code(path: str, depth: int = 0) -> str:
    return "  " * depth + safe(path)


def format_frequencies(report: FrequencyReport) -> str:
    head = [
        f"Code frequencies in {report.works} work(s), {report.characters_in_scope:,} characters in scope. "
        "Groups include their sub-codes; share = coded characters / characters in scope.",
        "",
    ]
    header = ["code"]
    for coder in report.coders:
        label = "all" if coder == ALL_CODERS else safe(coder)
        header += [f"{label}: segments", "works", "characters", "share"]
    body = [header]
    per_code = len(report.coders)
    for i in range(0, len(report.rows), per_code):
        group = report.rows[i : i + per_code]
        row = [_code(group[0].code, group[0].depth)]
        for r in group:
            share = None if r.share is None else 100 * r.share
            row += [str(r.segments), str(r.documents), f"{r.characters:,}", _percent(share, 2)]
        body.append(row)
    return _lines(head, body, report.notes, "no codes in scope")


def format_crosstab(report: CrosstabReport) -> str:
    head = [
        f"Codes by {safe(report.attribute)}: % of works with the code (works with it / works), "
        "and segments per 10,000 words.",
        "",
    ]
    body = [["code", *(safe(value) for value in report.values)]]
    body.append(
        ["works", *(str(report.cell(report.codes[0], v).works) for v in report.values)]
        if report.codes
        else [""]
    )
    for code in report.codes:
        row = [safe(code)]
        for value in report.values:
            cell = report.cell(code, value)
            rate = _number(cell.rate_per_10k_words, 2)
            row.append(f"{_percent(cell.percent_documents, 0)} ({cell.documents}) {rate}")
        body.append(row)
    if not report.values:
        body = body[:1]
    return _lines(head, body, report.notes, "no codes or works in scope")


def format_cooccurrence(report: CooccurrenceReport) -> str:
    head = [
        f"Co-occurrence of codes ({report.proximity.describe()}; same work, same coder): "
        "segment pairs, Jaccard in brackets. Codes are numbered; columns use the numbers.",
        "",
    ]
    numbers = {code: str(i) for i, code in enumerate(report.codes, 1)}
    body = [["code", "segments", *numbers.values()]]
    for code, count in zip(report.codes, report.segments, strict=True):
        row = [f"{numbers[code]} {safe(code)}", str(count)]
        for other in report.codes:
            if other == code:
                row.append(DASH)
                continue
            cell = report.cell(code, other)
            row.append(f"{cell.pairs} ({_number(cell.jaccard, 2)})")
        body.append(row)
    return _lines(head, body, report.notes, "no codes in scope")


def format_cell_pairs(pairs: Sequence[tuple[Retrieved, Retrieved]], proximity: Proximity) -> str:
    lines = [f"{len(pairs)} segment pair(s) {proximity.describe()}:"]
    for a, b in pairs:
        lines += [
            f"{a.document_id}: {safe(a.title)} ({safe(a.coder)})",
            f"  {safe(a.code)} [{a.start}-{a.end}] {safe(a.text)}",
            f"  {safe(b.code)} [{b.start}-{b.end}] {safe(b.text)}",
        ]
    return "\n".join(lines) + "\n"


def format_positions(report: PositionReport) -> str:
    head = ["Where codes fall: segments by the third of the work they start in, and by chapter.", ""]
    body = [["code", *PARTS, *(f"ch {c}" for c in report.chapters)]]
    for code, parts, chapters in zip(report.codes, report.by_part, report.by_chapter, strict=True):
        body.append([safe(code), *map(str, parts), *map(str, chapters)])
    return _lines(head, body, report.notes, "no codes in scope")


def _strip(spans: Sequence[tuple[int, int]], length: int) -> str:
    cells = ["·"] * STRIP_WIDTH
    for start, end in spans:
        first = start * STRIP_WIDTH // max(length, 1)
        last = max(first, (max(end, start + 1) - 1) * STRIP_WIDTH // max(length, 1))
        for i in range(first, min(last, STRIP_WIDTH - 1) + 1):
            cells[i] = "█"
    return "".join(cells)


def format_document(strip: DocumentStrip) -> str:
    ruler = [" "] * STRIP_WIDTH
    for _, start, _ in strip.chapters:
        ruler[min(STRIP_WIDTH - 1, start * STRIP_WIDTH // max(strip.length, 1))] = "|"
    lines = [
        f"{strip.document_id}: {safe(strip.title)} ({strip.length:,} characters; | marks a chapter start)"
    ]
    width = max([len(safe(code)) for code in strip.codes] + [8])
    lines.append(f"{'chapters'.ljust(width)}  {''.join(ruler).rstrip()}")
    for code in strip.codes:
        spans = [(s.start, s.end) for s in strip.spans if s.code == code]
        lines.append(f"{safe(code).ljust(width)}  {_strip(spans, strip.length)}  {len(spans)}")
    if not strip.codes:
        lines.append("  (no segments in scope)")
    return "\n".join(lines) + "\n"


def format_retrieved(groups: Sequence[tuple[str, Sequence[Retrieved]]]) -> str:
    total = sum(len(hits) for _, hits in groups)
    lines = [f"{total} segment(s)"]
    for key, hits in groups:
        lines += ["", f"== {safe(key)} ({len(hits)})"]
        for h in hits:
            where = f"ch {h.chapter}, " if h.chapter is not None else ""
            who = f"{safe(h.code)} by {safe(h.coder)}"
            lines.append(f"- {h.document_id}: {safe(h.title)} ({where}{h.start}-{h.end}) {who}")
            lines.append(f"    …{safe(h.before)}[{safe(h.text)}]{safe(h.after)}…")
            if h.memo:
                lines.append(f"    memo: {safe(h.memo)}")
    return "\n".join(lines) + "\n"


def format_memos(rows: Sequence[MemoRow]) -> str:
    lines = [f"{len(rows)} memo(s)"]
    for r in rows:
        if r.kind == "document":
            lines.append(f"- {r.document_id}: {safe(r.title)} — document memo by {safe(r.coder)}")
        else:
            lines.append(
                f"- {r.document_id}: {safe(r.title)} — {safe(r.code)} by {safe(r.coder)} "
                f"({r.start}-{r.end}): {safe(r.quote)}"
            )
        lines.append(f"    {safe(r.memo)}")
    return "\n".join(lines) + "\n"
