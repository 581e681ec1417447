"""One report run from one request: what the CLI and the Reports window both ask for.

A :class:`ReportRequest` names the kind and its options; :func:`run_report` computes it with
:mod:`.reports` / :mod:`.reports_lists` and returns a :class:`ReportResult` holding the tidy table
(for CSV), the report object (for the chart) and the lists (for HTML and the window), so every
output of a run shows the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.reports.cooccurrence import CooccurrenceReport, Proximity
from annotator.core.reports.crosstab import CrosstabReport
from annotator.core.reports.data import Table
from annotator.core.reports.frequencies import FrequencyReport
from annotator.core.reports.positions import DocumentStrip, PositionReport
from annotator.core.reports.reading import CodedWork, wide
from annotator.core.reports.retrieval import MemoRow, Retrieved, memo_table, retrieved_table
from annotator.io.report_html import HtmlReport
from annotator.services import reports, reports_lists
from annotator.services.report_output import code_colours, coded_work
from annotator.services.reports_data import ReportFilter
from annotator.store.project import ProjectStore

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Chartable = FrequencyReport | CrosstabReport | CooccurrenceReport | PositionReport | DocumentStrip
KINDS = ("frequencies", "crosstab", "cooccurrence", "positions", "retrieve", "memos", "document")
CHARTED = ("frequencies", "crosstab", "cooccurrence", "positions", "document")


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    flt: ReportFilter = field(default_factory=ReportFilter)
    by: str = ""  # crosstab
    proximity: Proximity = field(default_factory=Proximity)  # cooccurrence
    cell: tuple[str, str] | None = None  # cooccurrence: list one cell's pairs
    code: str = ""  # retrieve
    within: str = ""
    without: str = ""
    context: int = reports_lists.DEFAULT_CONTEXT
    group_by: str = "code"
    search: str = ""  # memos
    document: int | None = None  # document


@dataclass(frozen=True)
class ReportResult:
    request: ReportRequest
    table: Table  # long form, as the CSV writes it
    report: Chartable | None = None  # what the chart draws
    groups: Sequence[tuple[str, Sequence[Retrieved]]] = ()
    pairs: Sequence[tuple[Retrieved, Retrieved]] = ()
    memos: Sequence[MemoRow] = ()
    work: CodedWork | None = None
    colours: dict[str, str] = field(default_factory=dict)  # code path -> colour
    # The notes of a list or a drawn work (the counting reports carry theirs): e.g. how many
    # annotations waiting for review after an update were left out.
    list_notes: tuple[str, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        own = tuple(getattr(self.report, "notes", ()))
        return own + tuple(note for note in self.list_notes if note not in own)


def run_report(store: ProjectStore, request: ReportRequest) -> ReportResult:
    kind, flt = request.kind, request.flt
    notes: list[str] = []  # what the lists' data says (the counting reports carry their notes)
    if kind == "frequencies":
        frequencies = reports.frequencies_report(store, flt)
        return ReportResult(request, frequencies.tidy(), frequencies)
    if kind == "crosstab":
        crosstab = reports.crosstab_report(store, request.by, flt)
        return ReportResult(request, crosstab.tidy(), crosstab)
    if kind == "cooccurrence":
        if request.cell:
            code_a, code_b = request.cell
            pairs = reports_lists.cooccurrence_cell(
                store, code_a, code_b, request.proximity, flt, notes=notes
            )
            return ReportResult(request, pairs_table(pairs), pairs=pairs, list_notes=tuple(notes))
        cooccurrence = reports.cooccurrence_report(store, request.proximity, flt)
        return ReportResult(request, cooccurrence.tidy(), cooccurrence)
    if kind == "positions":
        positions = reports.positions_report(store, flt)
        return ReportResult(request, positions.tidy(), positions)
    if kind == "document":
        if request.document is None:
            raise reports.ServiceError("choose the work to draw")
        strip = reports.document_report(store, request.document, flt)
        work = coded_work(store, request.document, flt, notes)
        return ReportResult(
            request, strip.tidy(), strip, work=work, colours=code_colours(store), list_notes=tuple(notes)
        )
    if kind == "retrieve":
        groups = reports_lists.retrieve_segments(
            store,
            request.code,
            within=request.within,
            without=request.without,
            context=request.context,
            group_by=request.group_by,
            flt=flt,
            notes=notes,
        )
        names = sorted({name for _, hits in groups for hit in hits for name in hit.attributes})
        return ReportResult(request, retrieved_table(groups, names), groups=groups, list_notes=tuple(notes))
    if kind == "memos":
        memos = reports_lists.list_memos(store, request.search, flt, notes)
        return ReportResult(request, memo_table(memos), memos=memos, list_notes=tuple(notes))
    raise reports.ServiceError(f"no report called {kind!r}; reports: {', '.join(KINDS)}")


def pairs_table(pairs: Sequence[tuple[Retrieved, Retrieved]]) -> Table:
    header: tuple[str, ...] = ("document_id", "document", "coder", "code_a", "start_a", "end_a", "text_a")
    header += ("code_b", "start_b", "end_b", "text_b")
    rows = tuple(
        (a.document_id, a.title, a.coder, a.code, a.start, a.end, a.text, b.code, b.start, b.end, b.text)
        for a, b in pairs
    )
    return Table(header, rows)


def title_of(request: ReportRequest) -> str:
    titles = {
        "frequencies": "Code frequencies",
        "crosstab": f"Codes by {request.by}",
        "cooccurrence": f"Co-occurrence of codes ({request.proximity.describe()})",
        "positions": "Where codes fall",
        "retrieve": f"Segments of {request.code}"
        + (f" within {request.within}" if request.within else "")
        + (f" not {request.without}" if request.without else ""),
        "memos": "Memos" + (f" holding {request.search!r}" if request.search else ""),
        "document": "A coded work",
    }
    if request.kind == "cooccurrence" and request.cell:
        return f"Segment pairs of {request.cell[0]} and {request.cell[1]} ({request.proximity.describe()})"
    return titles.get(request.kind, request.kind)


def chart_figure(result: ReportResult) -> Figure | None:
    """The result's chart, or None for the lists; imports matplotlib (only when called)."""
    if result.report is None:
        return None
    from annotator.io.report_charts import report_figure

    return report_figure(result.report, result.colours)


def html_report(result: ReportResult, *, with_chart: bool = True) -> HtmlReport:
    """The result as an HTML report: its chart inline (SVG), its table wide, its lists, the work."""
    svg = ""
    figure = chart_figure(result) if with_chart else None
    if figure is not None:
        from annotator.io.report_charts import figure_svg

        svg = figure_svg(figure)
    table = None if result.groups or result.memos or result.pairs else wide(result.table)
    if result.work is not None:
        table = None
    return HtmlReport(
        title_of(result.request),
        table=table,
        chart_svg=svg,
        notes=result.notes,
        groups=result.groups,
        pairs=result.pairs,
        memos=result.memos,
        work=result.work,
    )
