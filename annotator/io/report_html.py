"""A report as one self-contained HTML file: tables, inline SVG charts, segments, a coded work.

Nothing is fetched from elsewhere (styles inline, charts as ``<svg>``), so the file can be mailed,
archived and printed as is (a print stylesheet keeps tables and charts whole). Every piece of user
data — titles, code paths, coder names, values, quotes, memos — goes through :func:`html.escape`;
the markup is well-formed XML too (self-closed void elements, no named entities), so a strict
parser reads it. Callers write it with :func:`annotator.io.atomic.atomic_write_text`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from annotator.core.reports.data import Table
from annotator.core.reports.reading import CodedWork, paragraphs
from annotator.core.reports.retrieval import MemoRow, Retrieved

_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 62em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; vertical-align: top; }
th { background: #f0f0f0; text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
.notes { color: #555; } .hit { margin: 0.6em 0; padding-left: 0.8em; border-left: 3px solid #999; }
.ctx { color: #666; } mark { background: #fff3a8; } .memo { color: #335; font-style: italic; }
.work { display: grid; grid-template-columns: 12em 1fr 16em; gap: 0 1em; }
.margin { font-size: 0.75em; } .bar { border-left: 4px solid; padding-left: 0.3em; margin: 0.1em 0; }
.text p { margin: 0 0 0.5em 0; white-space: pre-wrap; } .memos { font-size: 0.8em; color: #335; }
sup { font-size: 0.7em; color: #335; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  table, figure, .hit { break-inside: avoid; } h2 { break-after: avoid; }
  mark, .bar, td, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class HtmlReport:
    """What one report file shows; any part may be empty."""

    title: str
    description: str = ""
    table: Table | None = None
    chart_svg: str = ""  # an <svg> element from report_charts.figure_svg (trusted: our own drawing)
    notes: Sequence[str] = ()
    groups: Sequence[tuple[str, Sequence[Retrieved]]] = ()
    pairs: Sequence[tuple[Retrieved, Retrieved]] = ()
    memos: Sequence[MemoRow] = ()
    work: CodedWork | None = None
    extra: Sequence[str] = field(default_factory=tuple)


def _cell(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return f"<td>{esc('' if value is None else value)}</td>"
    if isinstance(value, float):
        return f'<td class="n">{value:.4g}</td>'
    if isinstance(value, int):
        return f'<td class="n">{value}</td>'
    return f"<td>{esc(value)}</td>"


def table_html(table: Table) -> str:
    head = "".join(f"<th>{esc(name)}</th>" for name in table.header)
    body = "\n".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in table.rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _hit(h: Retrieved) -> str:
    where = f", ch {h.chapter}" if h.chapter is not None else ""
    memo = f'<div class="memo">memo: {esc(h.memo)}</div>' if h.memo else ""
    return (
        f'<div class="hit"><div><strong>{esc(h.code)}</strong> by {esc(h.coder)} — '
        f"{h.document_id}: {esc(h.title)} ({h.start}–{h.end}{where})</div>"
        f'<div><span class="ctx">…{esc(h.before)}</span><mark>{esc(h.text)}</mark>'
        f'<span class="ctx">{esc(h.after)}…</span></div>{memo}</div>'
    )


def _memo(row: MemoRow) -> str:
    if row.kind == "document":
        head = f"{row.document_id}: {esc(row.title)} — document memo by {esc(row.coder)}"
    else:
        head = (
            f"{row.document_id}: {esc(row.title)} — {esc(row.code)} by {esc(row.coder)} "
            f"({row.start}–{row.end}): <mark>{esc(row.quote)}</mark>"
        )
    return f'<div class="hit"><div>{head}</div><div class="memo">{esc(row.memo)}</div></div>'


def _colour(value: str) -> str:
    # Colours come from the project (user data): only "#rgb"/"#rrggbb" reach the style attribute.
    hexdigits = value[1:]
    ok = (
        value.startswith("#")
        and len(hexdigits) in (3, 6)
        and all(c in "0123456789abcdefABCDEF" for c in hexdigits)
    )
    if not ok:
        return "#888888"
    return "#" + "".join(c * 2 for c in hexdigits) if len(hexdigits) == 3 else value


def work_html(work: CodedWork) -> str:
    """The work's text with its highlights, a margin bar per code on each paragraph, memos beside."""
    spans = work.spans
    number = {i: n for n, i in enumerate((i for i, s in enumerate(spans) if s.memo), 1)}
    rows = []
    for para in paragraphs(work):
        if para.start == para.end and not para.memos_ending:
            continue  # a blank line between paragraphs: the paragraph spacing shows it
        codes = dict.fromkeys(spans[i].code for i in para.spans)
        bars = "".join(
            f'<div class="bar" style="border-color: {_colour(work.colours.get(c, "#888888"))}">{esc(c)}</div>'
            for c in codes
        )
        text = []
        position = para.start
        for last, piece in enumerate(para.pieces, 1 - len(para.pieces)):
            if piece.spans:
                top = spans[piece.spans[-1]]
                names = "; ".join(f"{spans[i].code} ({spans[i].coder})" for i in piece.spans)
                colour = _colour(work.colours.get(top.code, "#888888"))
                style = f"background: {colour}40; border-bottom: 2px solid {colour}"
                text.append(f'<mark style="{style}" title="{esc(names)}">{esc(piece.text)}</mark>')
            else:
                text.append(esc(piece.text))
            position += len(piece.text)
            ends = (position, position + 1) if last == 0 else (position,)  # the line's "\n" too
            text += [f"<sup>[{number[i]}]</sup>" for i in para.memos_ending if spans[i].end in ends]
        memos = "".join(
            f"<div>[{number[i]}] {esc(spans[i].code)} ({esc(spans[i].coder)}): {esc(spans[i].memo)}</div>"
            for i in para.memos_ending
        )
        rows.append(
            f'<div class="margin">{bars}</div><div class="text"><p>{"".join(text)}</p></div>'
            f'<div class="memos">{memos}</div>'
        )
    memos = "".join(
        f'<div class="memo">{esc(coder)}: {esc(memo)}</div>' for coder, memo in work.document_memos
    )
    attributes = "; ".join(f"{esc(k)}: {esc(', '.join(v))}" for k, v in work.attributes.items())
    return (
        f'<h2>{work.document_id}: {esc(work.title)}</h2>\n<p class="notes">{attributes}</p>\n'
        + (f"<h3>Document memos</h3>{memos}\n" if memos else "")
        + '<div class="work">\n'
        + "\n".join(rows)
        + "\n</div>"
    )


def render_report_html(report: HtmlReport) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"/>',
        f"<title>{esc(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
    ]
    if report.description:
        parts.append(f"<p>{esc(report.description)}</p>")
    if report.chart_svg:
        parts.append(f"<figure>{report.chart_svg}</figure>")
    if report.table is not None:
        parts.append(table_html(report.table))
    if report.notes:
        parts.append('<ul class="notes">' + "".join(f"<li>{esc(n)}</li>" for n in report.notes) + "</ul>")
    for key, hits in report.groups:
        parts.append(f"<h2>{esc(key)} ({len(hits)})</h2>")
        parts += [_hit(h) for h in hits]
    if report.pairs:
        parts.append(f"<h2>{len(report.pairs)} segment pair(s)</h2>")
        parts += [f"<div>{_hit(a)}{_hit(b)}</div>" for a, b in report.pairs]
    if report.memos:
        parts.append(f"<h2>{len(report.memos)} memo(s)</h2>")
        parts += [_memo(row) for row in report.memos]
    if report.work is not None:
        parts.append(work_html(report.work))
    parts += ["</body></html>", ""]
    return "\n".join(parts)


def write_report_html(report: HtmlReport, out: TextIO) -> None:
    out.write(render_report_html(report))
