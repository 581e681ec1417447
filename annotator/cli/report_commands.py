"""``annotator report PROJECT KIND``: every report of the Reports window, as a table or a CSV file.

KIND is ``frequencies``, ``crosstab --by ATTRIBUTE``, ``cooccurrence``, ``positions``,
``retrieve --code PATH``, ``memos`` or ``document --document ID``. The filters (coders, codes,
documents, attributes, zones) apply to every kind. ``--csv FILE`` writes the report in long form,
``--chart FILE`` its chart (SVG, PNG or PDF, drawn headless by matplotlib) and ``--html FILE`` a
self-contained HTML report, each atomically; the readable table goes to stdout either way. Figures come from
:mod:`annotator.services.reports`, the same as the app's.
"""

from __future__ import annotations

import argparse
import sys

from annotator.cli.arguments import require_text
from annotator.cli.report_format import (
    format_cell_pairs,
    format_cooccurrence,
    format_crosstab,
    format_document,
    format_frequencies,
    format_memos,
    format_notes,
    format_positions,
    format_retrieved,
)
from annotator.cli.team_commands import split_list
from annotator.cli.terminal import safe
from annotator.core.reports.cooccurrence import MODES, CooccurrenceReport, Proximity
from annotator.core.reports.crosstab import CrosstabReport
from annotator.core.reports.frequencies import FrequencyReport
from annotator.core.reports.positions import DocumentStrip, PositionReport
from annotator.core.reports.retrieval import GROUPINGS
from annotator.core.validation import InvalidInputError
from annotator.io.atomic import atomic_write_text
from annotator.io.report_csv import write_report_csv
from annotator.io.report_html import write_report_html
from annotator.services import reports, reports_lists
from annotator.services.report_runs import (
    CHARTED,
    KINDS,
    ReportRequest,
    ReportResult,
    chart_figure,
    html_report,
    run_report,
)
from annotator.store.project import open_project

# Options that belong to one kind only: using them with another is a mistake worth a message.
_OWN_OPTIONS = {
    "by": "crosstab",
    "proximity": "cooccurrence",
    "distance": "cooccurrence",
    "cell": "cooccurrence",
    "code": "retrieve",
    "within": "retrieve",
    "without": "retrieve",
    "context": "retrieve",
    "group_by": "retrieve",
    "search": "memos",
    "document": "document",
}


def _ids(values: list[str] | None) -> tuple[int, ...]:
    items = split_list(values)
    bad = next((item for item in items if not item.isdigit()), None)
    if bad is not None:
        raise InvalidInputError(f"document ids are whole numbers, not {bad!r}")
    return tuple(int(item) for item in items)


def report_filter(args: argparse.Namespace) -> reports.ReportFilter:
    require_text(args, "coders", "codes", "attribute", "zones")
    pairs = []
    for item in args.attribute or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(f"--attribute wants NAME=VALUE, e.g. rating=Explicit, not {item!r}")
        pairs.append((name.strip(), value.strip()))
    part = "story" if args.story_only else "paratext" if args.paratext_only else ""
    return reports.ReportFilter(
        coders=split_list(args.coders),
        code_paths=split_list(args.codes),
        document_ids=_ids(args.documents),
        attributes=tuple(pairs),
        zones=split_list(args.zones),
        part=part,
    )


def _check_options(args: argparse.Namespace) -> None:
    for option, kind in _OWN_OPTIONS.items():
        value = getattr(args, option)
        if value not in (None, False) and args.kind != kind:
            flag = "--not" if option == "without" else "--" + option.replace("_", "-")
            raise InvalidInputError(f"{flag} is an option of 'report {kind}', not of 'report {args.kind}'")
    required = {"crosstab": "by", "retrieve": "code", "document": "document"}
    needed = required.get(args.kind)
    if needed and getattr(args, needed) is None:
        raise InvalidInputError(f"'report {args.kind}' needs --{needed}")
    if args.distance is not None and args.proximity not in (None, "distance"):
        raise InvalidInputError("--distance goes with --proximity distance")


def _proximity(args: argparse.Namespace) -> Proximity:
    mode = args.proximity or ("distance" if args.distance is not None else "overlap")
    return Proximity(mode, args.distance or 0)


def _request(args: argparse.Namespace, flt: reports.ReportFilter) -> ReportRequest:
    context = reports_lists.DEFAULT_CONTEXT if args.context is None else args.context
    return ReportRequest(
        args.kind,
        flt,
        by=args.by or "",
        proximity=_proximity(args),
        cell=tuple(args.cell) if args.cell else None,
        code=args.code or "",
        within=args.within or "",
        without=args.without or "",
        context=context,
        group_by=args.group_by or "code",
        search=args.search or "",
        document=args.document,
    )


def _report(args: argparse.Namespace) -> int:
    _check_options(args)
    require_text(args, "by", "cell", "code", "within", "without", "search")
    if args.chart:
        from annotator.io.report_charts import chart_format  # matplotlib: only for --chart

        chart_format(args.chart)
        if args.kind not in CHARTED or args.cell:
            raise InvalidInputError(f"'report {args.kind}' is a list and has no chart; use --csv or --html")
    flt = report_filter(args)
    store = open_project(args.project)
    try:
        result = run_report(store, _request(args, flt))
    finally:
        store.close()
    if args.csv:
        rows = atomic_write_text(args.csv, lambda out: write_report_csv(result.table, out))
        print(f"wrote {rows} rows to {safe(args.csv)}", file=sys.stderr)
    if args.chart:
        from annotator.io.report_charts import write_chart

        figure = chart_figure(result)
        assert figure is not None  # every charted kind has a report object
        fmt = write_chart(figure, args.chart)
        print(f"wrote the chart ({fmt.upper()}) to {safe(args.chart)}", file=sys.stderr)
    if args.html:
        page = html_report(result)
        atomic_write_text(args.html, lambda out: write_report_html(page, out), encoding="utf-8")
        print(f"wrote the HTML report to {safe(args.html)}", file=sys.stderr)
    sys.stdout.write(_text(result))
    return 0


def _text(result: ReportResult) -> str:
    # The counting tables print their own notes; lists and a drawn work end with theirs.
    return _body(result) + format_notes(result.list_notes)


def _body(result: ReportResult) -> str:
    report, request = result.report, result.request
    if isinstance(report, FrequencyReport):
        return format_frequencies(report)
    if isinstance(report, CrosstabReport):
        return format_crosstab(report)
    if isinstance(report, CooccurrenceReport):
        return format_cooccurrence(report)
    if isinstance(report, PositionReport):
        return format_positions(report)
    if isinstance(report, DocumentStrip):
        return format_document(report)
    if request.kind == "cooccurrence":
        return format_cell_pairs(result.pairs, request.proximity)
    if request.kind == "retrieve":
        return format_retrieved(result.groups)
    return format_memos(result.memos)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--coders", action="append", metavar="A,B,…", help="only these coders (default: all)")
    parser.add_argument(
        "--codes",
        action="append",
        metavar="PATH,…",
        help="only these codes, each with its sub-codes (a group)",
    )
    parser.add_argument("--documents", action="append", metavar="ID,…", help="only these document ids")
    parser.add_argument(
        "--attribute",
        action="append",
        metavar="NAME=VALUE",
        help="only works with this value, e.g. rating=Explicit, fandom=…, words_band=1k-5k, "
        "published_year=2020",
    )
    zones = parser.add_mutually_exclusive_group()
    zones.add_argument(
        "--zones", action="append", metavar="KIND,…", help="only segments starting in these zones"
    )
    zones.add_argument(
        "--story-only", action="store_true", help="leave out summaries and notes (the paratext)"
    )
    zones.add_argument("--paratext-only", action="store_true", help="only summaries and notes")
    parser.add_argument("--csv", metavar="FILE", help="also write the report as CSV (long form) to FILE")
    parser.add_argument(
        "--chart", metavar="FILE", help="also draw the report's chart to FILE (.svg, .png or .pdf)"
    )
    parser.add_argument(
        "--html", metavar="FILE", help="also write a self-contained HTML report (tables, chart, segments)"
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="reports on the coding: frequencies, crosstabs, co-occurrence, positions, retrieval, memos",
        description="Print a report as a table (and write it as CSV with --csv). KIND: frequencies; "
        "crosstab --by ATTRIBUTE; cooccurrence [--proximity …] [--cell A B]; positions; "
        "retrieve --code PATH [--within PATH | --not PATH]; memos [--search TEXT]; document --document ID.",
    )
    parser.add_argument("project", metavar="PROJECT", help="a project file (.annotator) or a PostgreSQL URL")
    parser.add_argument("kind", metavar="KIND", choices=KINDS, help=", ".join(KINDS))
    _add_filters(parser)
    parser.add_argument(
        "--by",
        metavar="ATTRIBUTE",
        help="crosstab: rating, warnings, category, fandom, "
        "relationship, character, freeform, language, words_band, published_year, or any attribute",
    )
    parser.add_argument(
        "--proximity", choices=MODES, help="cooccurrence: when two codes co-occur (default overlap)"
    )
    parser.add_argument("--distance", type=int, metavar="N", help="cooccurrence: within N characters")
    parser.add_argument(
        "--cell", nargs=2, metavar=("CODE_A", "CODE_B"), help="cooccurrence: list one cell's pairs"
    )
    parser.add_argument("--code", metavar="PATH", help="retrieve: the code whose segments to list")
    within = parser.add_mutually_exclusive_group()
    within.add_argument("--within", metavar="PATH", help="retrieve: only segments inside a segment of PATH")
    within.add_argument(
        "--not", dest="without", metavar="PATH", help="retrieve: only segments overlapping no PATH"
    )
    parser.add_argument(
        "--context", type=int, metavar="N", help="retrieve: characters of context (default 80)"
    )
    parser.add_argument("--group-by", choices=GROUPINGS, help="retrieve: group by code (default) or work")
    parser.add_argument("--search", metavar="TEXT", help="memos: only memos holding TEXT")
    parser.add_argument("--document", type=int, metavar="ID", help="document: the work to draw")
    parser.set_defaults(handler=_report)
