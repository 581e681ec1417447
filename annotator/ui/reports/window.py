"""The Reports window: choose a report and its filters; see its table, its chart, its segments.

The filters (:mod:`.filters`) take several coders, codes, works, attribute values and zones, as
``annotator report`` does. The chart is the figure a file gets, shrunk to fit the pane's width
(to 60% at least; it scrolls beyond), with no layout pass per draw.

Every report runs on a worker thread (:mod:`annotator.ui.workers`) through the same
:func:`~annotator.services.report_runs.run_report` as ``annotator report``, and its chart is drawn
there too (a matplotlib Figure needs no GUI); the window only shows the result, so it never
freezes. A newer request makes an older result stale: it is dropped when it arrives.
Clicking a row lists the segments behind it; double-clicking a segment opens it in the main window.
The report's notes (e.g. how many annotations waiting for review after an update were left out)
show in a plain-text label under the tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.reports.reading import wide
from annotator.services.report_output import attribute_names
from annotator.services.report_runs import (
    CHARTED,
    KINDS,
    ReportRequest,
    ReportResult,
    chart_figure,
    run_report,
)
from annotator.ui.plain import no_mnemonic, plain_label, set_plain
from annotator.ui.reports.behind import segments_behind
from annotator.ui.reports.exports import ExportButtons
from annotator.ui.reports.filters import FilterPanel
from annotator.ui.reports.table_model import SegmentItem, TableModel, segment_table, sorted_view
from annotator.ui.session import ProjectSession
from annotator.ui.workers import Worker, run_in_background

DELAY_MS = 150
MIN_SCALE = 0.6  # a chart shown smaller than this would have unreadable labels: it scrolls instead


@dataclass(frozen=True)
class Shown:
    """A finished run: the result, its chart (None for lists) and the table as the window shows it."""

    result: ReportResult
    figure: Figure | None


def _combo(items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    for text, data in items:
        combo.addItem(no_mnemonic(text), data)
    return combo


class ReportsWindow(QWidget):
    def __init__(
        self, session: ProjectSession, jump: Callable[[SegmentItem], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Reports")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1200, 720)
        self.session, self.jump = session, jump
        self.shown: Shown | None = None
        self.items: list[SegmentItem] = []
        self._generation = 0
        self.kind = _combo([(kind.capitalize(), kind) for kind in KINDS])
        # The choices one kind needs: the attribute of a crosstab, the code retrieved, the work drawn.
        self.attribute = _combo(
            [("By attribute…", ""), *((name, name) for name in attribute_names(session.store))]
        )
        self.code = _combo([("Segments of code…", ""), *((c.path, c.path) for c in session.codes)])
        self.document = _combo(
            [("Work to draw…", None), *((f"{d.id}: {d.title}", d.id) for d in session.documents)]
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText("Memos holding…")
        self.search.setClearButtonEnabled(True)
        self.run_button = QPushButton("&Run")
        controls = QHBoxLayout()
        for widget in (self.kind, self.attribute, self.code, self.document, self.search):
            controls.addWidget(widget, 1)
        controls.addWidget(self.run_button)
        self.filters = FilterPanel(session)
        self.model = TableModel()
        self.proxy = sorted_view(self.model)
        self.table = self._view(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the report's own order until asked
        self.segments_model = TableModel()
        self.segments = self._view(self.segments_model)
        self.segments.horizontalHeader().setStretchLastSection(True)
        self.chart = QScrollArea()
        self.chart.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.canvas: FigureCanvasQTAgg | None = None
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        left.addWidget(self.segments)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.filters)
        split.addWidget(left)
        split.addWidget(self.chart)
        split.setSizes([210, 470, 600])
        self.status = plain_label()
        self.notes = plain_label()
        self.notes.setWordWrap(True)
        self.notes.hide()
        self.exports = ExportButtons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(split, 1)
        layout.addWidget(self.notes)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.exports)
        layout.addLayout(bottom)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        for combo in (self.kind, self.code, self.document, self.attribute):
            combo.currentIndexChanged.connect(self._timer.start)
        self.filters.filtersChanged.connect(self._timer.start)
        self.search.textChanged.connect(self._timer.start)
        self.run_button.clicked.connect(self.refresh)
        self.table.clicked.connect(self._row_clicked)
        self.segments.doubleClicked.connect(self._segment_activated)
        self.segments.activated.connect(self._segment_activated)  # Enter on a segment, too
        self.refresh()

    @staticmethod
    def _view(model: Any) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        return view

    # --- the request ------------------------------------------------------------------------
    def request(self) -> ReportRequest:
        kind: str = self.kind.currentData()
        return ReportRequest(
            kind,
            self.filters.report_filter(with_codes=kind != "retrieve"),  # a retrieval names its code
            by=self.attribute.currentData() or "",
            code=self.code.currentData() or "",
            search=self.search.text(),
            document=self.document.currentData(),
        )

    def _missing(self, request: ReportRequest) -> str:
        if request.kind == "retrieve" and not request.code:
            return "Choose the code whose segments to list."
        if request.kind == "document" and request.document is None:
            return "Choose the work to draw."
        if request.kind == "crosstab" and not request.by:
            return "Choose the attribute to cross the codes with."
        return ""

    def refresh(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation, request = self._generation, self.request()
        self.attribute.setEnabled(request.kind == "crosstab")
        self.code.setEnabled(request.kind == "retrieve")
        self.document.setEnabled(request.kind == "document")
        self.search.setEnabled(request.kind == "memos")
        missing = self._missing(request)
        if missing:
            self.status.setText(missing)
            self._set_notes(())
            return
        self.status.setText("Computing…")
        store = self.session.store

        def compute(_worker: Worker) -> Shown:
            result = run_report(store, request)
            return Shown(result, chart_figure(result) if request.kind in CHARTED else None)

        run_in_background(
            compute,
            lambda shown: self._show(generation, shown),
            lambda m: self._failed(generation, m),
            owner=self,
        )

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.status.setText(message)

    def _show(self, generation: int, shown: Shown) -> None:
        if generation != self._generation:
            return  # a newer request is on its way
        self.shown = shown
        self.model.set_table(wide(shown.result.table))
        self.table.resizeColumnsToContents()
        self.segments_model.set_table(segment_table([]))
        self.items = []
        self._set_figure(shown.figure)
        self.status.setText(f"{self.model.rowCount()} row(s).")
        self._set_notes(shown.result.notes)
        self.exports.set_result(shown.result, shown.figure)

    def _set_notes(self, notes: tuple[str, ...]) -> None:
        set_plain(self.notes, "\n".join(f"Note: {note}" for note in notes))
        self.notes.setVisible(bool(notes))

    def _set_figure(self, figure: Figure | None) -> None:
        if self.canvas is not None:
            self.chart.takeWidget()
            self.canvas.deleteLater()
            self.canvas = None
        if figure is not None:
            # The figure as exported (its margins were set for its size: no layout engine), shrunk
            # to the pane's width down to MIN_SCALE (the export passes its own dpi), then scrolled.
            inches_wide, inches_tall = figure.get_size_inches()
            room = self.chart.viewport().width() - 4
            figure.set_dpi(figure.dpi * max(MIN_SCALE, min(1.0, room / (inches_wide * figure.dpi))))
            self.canvas = FigureCanvasQTAgg(figure)
            self.canvas.setFixedSize(round(inches_wide * figure.dpi), round(inches_tall * figure.dpi))
            self.chart.setWidget(self.canvas)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._generation += 1  # results still on their way are stale: dropped, never shown
        self._timer.stop()
        super().closeEvent(event)

    # --- the segments behind a row -------------------------------------------------------------
    def _row_clicked(self, index: QModelIndex) -> None:
        if self.shown is None:
            return
        row = self.model.row(self.proxy.mapToSource(index).row())
        request, store, generation = self.shown.result.request, self.session.store, self._generation
        self.status.setText("Listing the segments…")

        def on_done(items: list[SegmentItem]) -> None:
            if generation == self._generation:
                self.items = items
                self.segments_model.set_table(segment_table(items))
                for column in range(self.segments_model.columnCount() - 1):  # the text stretches
                    self.segments.resizeColumnToContents(column)
                self.status.setText(f"{len(items)} segment(s) behind this row; double-click one to open it.")

        run_in_background(
            lambda _w: segments_behind(store, request, row),
            on_done,
            lambda m: self._failed(generation, m),
            owner=self,
        )

    def _segment_activated(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.items):
            self.jump(self.items[index.row()])
