"""Two views of one agreement result beside the per-code table: coder pairs and works.

``PairsTable`` lists all coders' αU and then every pair's own αU and κ over all codes, with the
bootstrap interval and the share of resamples under the minimum when intervals were computed.
``WorksTable`` lists every work's all-codes αU, lowest first: the works that pull agreement down.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from annotator.core.agreement import ALL_CODES
from annotator.core.bootstrap import Interval
from annotator.services.agreement import AgreementResult
from annotator.ui.team.agreement_table import DASH, format_percent, format_statistic, wrapped_tooltip
from annotator.ui.team.bands import THRESHOLDS_TOOLTIP, band_colour

PAIR_COLUMNS = ("Coders", "αU", "αU 95% CI", "κ (all codes)", "κ 95% CI", "% agreement", "Notes")
INTERVAL_TOOLTIP = (
    "95% percentile interval from resampling works, then the share of resamples below the chosen "
    "minimum: the estimated chance that the true value fails it."
)
WORK_COLUMNS = ("Work", "αU (all codes)", "Characters", "Notes")


def format_interval(ci: Interval | None, min_alpha: float) -> str:
    """``0.712–0.845 · 3.1% < 0.667`` (with the share of resamples under the minimum), or "—" when
    not computed or undefined in every resample."""
    if ci is None or ci.low is None or ci.high is None:
        return DASH
    below = f" · {ci.below:.1%} < {min_alpha:.3f}" if ci.below is not None else ""
    return f"{format_statistic(ci.low)}–{format_statistic(ci.high)}{below}"


class ResultTable(QTableWidget):
    def __init__(self, columns: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.setHorizontalHeaderLabels(columns)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def _put(self, row: int, column: int, text: str, value: float | None = None, tip: str = "") -> None:
        item = QTableWidgetItem(text)
        colour = band_colour(value)
        if colour is not None:
            item.setBackground(QBrush(QColor(colour)))
            item.setForeground(QBrush(QColor("#1a1a1a")))
        if tip:
            item.setToolTip(wrapped_tooltip(tip))
        self.setItem(row, column, item)

    def text_at(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""


class PairsTable(ResultTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(PAIR_COLUMNS, parent)
        for column in (2, 4):
            header_item = self.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(wrapped_tooltip(INTERVAL_TOOLTIP))

    def show_result(self, result: AgreementResult | None) -> None:
        self.setRowCount(0)
        if result is None:
            return
        everyone = result.alpha_u(ALL_CODES)
        minimum = result.bootstrap.min_alpha if result.bootstrap is not None else 0.0
        self.insertRow(0)
        self._put(0, 0, f"All {len(result.coders)} coders")
        self._put(0, 1, format_statistic(everyone.alpha), everyone.alpha, THRESHOLDS_TOOLTIP)
        self._put(0, 2, format_interval(result.alpha_u_interval(), minimum))
        self._put(0, 6, f"αU {everyone.note}" if everyone.note else "")
        for a, b in result.pairs:
            p = result.pair(ALL_CODES, a, b)
            row = self.rowCount()
            self.insertRow(row)
            self._put(row, 0, f"{a} | {b}")
            self._put(row, 1, format_statistic(p.alpha_u), p.alpha_u, THRESHOLDS_TOOLTIP)
            self._put(row, 3, format_statistic(p.kappa), p.kappa, THRESHOLDS_TOOLTIP)
            self._put(row, 4, format_interval(result.kappa_interval(ALL_CODES, a, b), minimum))
            self._put(row, 5, format_percent(p.percent_agreement))
            notes = [
                f"αU {p.alpha_u_note}" if p.alpha_u_note else "",
                f"κ {p.kappa_note}" if p.kappa_note else "",
            ]
            self._put(row, 6, "; ".join(n for n in notes if n))


class WorksTable(ResultTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(WORK_COLUMNS, parent)

    def show_result(self, result: AgreementResult | None) -> None:
        self.setRowCount(0)
        if result is None:
            return
        lengths = {c.document_id: c for c in result.scope.continua}
        for doc_id, alpha in result.documents_by_alpha():
            row = self.rowCount()
            self.insertRow(row)
            title = result.scope.documents.get(doc_id, "")
            self._put(row, 0, f"{doc_id}: {title}")
            self._put(row, 1, format_statistic(alpha.alpha), alpha.alpha, THRESHOLDS_TOOLTIP)
            continuum = lengths.get(doc_id)
            characters = 0
            if continuum is not None:
                characters = (
                    continuum.length
                    if continuum.included is None
                    else sum(e - s for s, e in continuum.included)
                )
            self._put(row, 2, f"{characters:,}")
            self._put(row, 3, f"αU {alpha.note}" if alpha.note else "")
