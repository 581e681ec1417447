"""The Reports window's Export buttons: the shown report as CSV, its chart, or an HTML report.

Each writes atomically, with the same writers as ``annotator report --csv/--chart/--html``.
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QPushButton, QWidget

from annotator.core.errors import USER_ERRORS, user_message
from annotator.io.atomic import atomic_write_text
from annotator.io.report_charts import write_chart
from annotator.io.report_csv import write_report_csv
from annotator.io.report_html import write_report_html
from annotator.services.report_runs import ReportResult, html_report
from annotator.ui.plain import plain_message_box


class ExportButtons(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: ReportResult | None = None
        self.figure: Figure | None = None
        self.csv = QPushButton("Export &CSV…")
        self.chart = QPushButton("Export c&hart…")
        self.html = QPushButton("Export &HTML…")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.csv, self.chart, self.html):
            layout.addWidget(button)
            button.setEnabled(False)
        self.csv.clicked.connect(lambda: self._ask("CSV (*.csv)", ".csv", self.export_csv))
        self.chart.clicked.connect(
            lambda: self._ask("SVG (*.svg);;PNG (*.png);;PDF (*.pdf)", ".svg", self.export_chart)
        )
        self.html.clicked.connect(lambda: self._ask("HTML (*.html)", ".html", self.export_html))

    def set_result(self, result: ReportResult, figure: Figure | None) -> None:
        self.result, self.figure = result, figure
        self.csv.setEnabled(True)
        self.html.setEnabled(True)
        self.chart.setEnabled(figure is not None)

    def _ask(self, filters: str, suffix: str, export: Callable[[str], None]) -> None:
        path, chosen = QFileDialog.getSaveFileName(self, "Export", "", filters)
        if not path:
            return
        if "." not in path.rsplit("/", 1)[-1]:  # no suffix typed: the chosen filter's
            path += "." + chosen.split("*.")[-1].rstrip(")") if chosen else suffix
        try:
            export(path)
        except USER_ERRORS as exc:
            plain_message_box(self, QMessageBox.Icon.Warning, "Export failed", user_message(exc)).exec()

    def export_csv(self, path: str) -> None:
        if self.result is not None:
            table = self.result.table
            atomic_write_text(path, lambda out: write_report_csv(table, out))

    def export_chart(self, path: str) -> None:
        if self.figure is not None:
            write_chart(self.figure, path)

    def export_html(self, path: str) -> None:
        if self.result is not None:
            page = html_report(self.result)
            atomic_write_text(path, lambda out: write_report_html(page, out), encoding="utf-8")
