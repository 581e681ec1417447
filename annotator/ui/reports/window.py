"""The Reports window: choose a report and its filters; see its table, its chart, its segments.

Every report runs on a worker thread (:mod:`annotator.ui.workers`) through the same
:func:`~annotator.services.report_runs.run_report` as ``annotator report``, and its chart is drawn
there too (a matplotlib Figure needs no GUI); the window only shows the result, so it never
freezes. A newer request makes an older result stale: it is dropped when it arrives.
Clicking a row lists the segments behind it; double-clicking a segment opens it in the main window.
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
from annotator.services.reports_data import ReportFilter
from annotator.ui.plain import no_mnemonic, plain_label
from annotator.ui.reports.behind import segments_behind
from annotator.ui.reports.exports import ExportButtons
from annotator.ui.reports.table_model import SegmentItem, TableModel, segment_table, sorted_view
from annotator.ui.session import ProjectSession
from annotator.ui.workers import Worker, run_in_background

ALL = ""
PARTS = (("Whole text", ""), ("Story only", "story"), ("Paratext only", "paratext"))
DELAY_MS = 150


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
        self.coder = _combo([("All coders", ALL), *((c.name, c.name) for c in session.coders)])
        self.code = _combo([("All codes", ALL), *((c.path, c.path) for c in session.codes)])
        self.document = _combo(
            [("All works", None), *((f"{d.id}: {d.title}", d.id) for d in session.documents)]
        )
        self.attribute = _combo([(name, name) for name in attribute_names(session.store)])
        self.part = _combo([(text, part) for text, part in PARTS])
        self.search = QLineEdit()
        self.search.setPlaceholderText("Memos holding…")
        self.search.setClearButtonEnabled(True)
        self.run_button = QPushButton("&Run")
        controls = QHBoxLayout()
        for widget in (
            self.kind,
            self.coder,
            self.code,
            self.document,
            self.attribute,
            self.part,
            self.search,
        ):
            controls.addWidget(widget, 1)
        controls.addWidget(self.run_button)
        self.model = TableModel()
        self.proxy = sorted_view(self.model)
        self.table = self._view(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the report's own order until asked
        self.segments_model = TableModel()
        self.segments = self._view(self.segments_model)
        self.segments.horizontalHeader().setStretchLastSection(True)
        self.canvas_box = QVBoxLayout()
        chart = QWidget()
        chart.setLayout(self.canvas_box)
        self.canvas: FigureCanvasQTAgg | None = None
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        left.addWidget(self.segments)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(chart)
        split.setSizes([600, 600])
        self.status = plain_label()
        self.exports = ExportButtons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.exports)
        layout.addLayout(bottom)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        for combo in (self.kind, self.coder, self.code, self.document, self.attribute, self.part):
            combo.currentIndexChanged.connect(self._timer.start)
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
        code: str = self.code.currentData()
        document: int | None = self.document.currentData()
        # The code choice is the retrieved code for "retrieve", a filter otherwise.
        flt = ReportFilter(
            coders=(self.coder.currentData(),) if self.coder.currentData() else (),
            code_paths=(code,) if code and kind != "retrieve" else (),
            document_ids=(document,) if document is not None and kind != "document" else (),
            part=self.part.currentData(),
        )
        return ReportRequest(
            kind,
            flt,
            by=self.attribute.currentData() or "",
            code=code,
            search=self.search.text(),
            document=document,
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
        self.search.setEnabled(request.kind == "memos")
        missing = self._missing(request)
        if missing:
            self.status.setText(missing)
            return
        self.status.setText("Computing…")
        store = self.session.store

        def compute(_worker: Worker) -> Shown:
            result = run_report(store, request)
            return Shown(result, chart_figure(result) if request.kind in CHARTED else None)

        run_in_background(
            compute, lambda shown: self._show(generation, shown), lambda m: self._failed(generation, m)
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
        notes = " ".join(shown.result.notes)
        self.status.setText(f"{self.model.rowCount()} row(s). {notes}".strip())
        self.exports.set_result(shown.result, shown.figure)

    def _set_figure(self, figure: Figure | None) -> None:
        if self.canvas is not None:
            self.canvas_box.removeWidget(self.canvas)
            self.canvas.deleteLater()
            self.canvas = None
        if figure is not None:
            # The canvas resizes the figure to the pane: let the layout engine refit the margins
            # the export sized for the figure's own size.
            figure.set_layout_engine("constrained")
            self.canvas = FigureCanvasQTAgg(figure)
            self.canvas_box.addWidget(self.canvas)

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
            lambda _w: segments_behind(store, request, row), on_done, lambda m: self._failed(generation, m)
        )

    def _segment_activated(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.items):
            self.jump(self.items[index.row()])
