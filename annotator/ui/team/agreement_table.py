"""``AgreementTable``: κ, % and αU per code and coder pair, colour-scaled, counts on hover.

Rows are grouped by code (the code's cell spans its pair rows), so each code reads as its own
small table. Values come from an ``AgreementResult``; undefined ones show "—" with the reason.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from annotator.core.agreement import ALL_CODES
from annotator.core.kappa import PairAgreement
from annotator.services.agreement import AgreementResult
from annotator.ui.plain import plain_tooltip
from annotator.ui.team.bands import THRESHOLDS_TOOLTIP, band_colour

COLUMNS = ("Code", "Coders", "% agreement", "κ", "αU", "Notes")
CODE, PAIR, PERCENT, KAPPA, ALPHA, NOTES = range(len(COLUMNS))
DASH = "—"


def _counts(p: PairAgreement) -> str:
    return (
        f"{p.coder_a} and {p.coder_b}, characters:\n"
        f"both coded {p.both}\nonly {p.coder_a} {p.only_a}\nonly {p.coder_b} {p.only_b}\n"
        f"neither {p.neither}\nin scope {p.n}"
    )


class AgreementTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for column in (KAPPA, ALPHA):
            header_item = self.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(plain_tooltip(THRESHOLDS_TOOLTIP))

    def show_result(self, result: AgreementResult | None) -> None:
        self.clearSpans()
        self.setRowCount(0)
        if result is None:
            return
        pairs = result.pairs
        for code in result.codes:
            first = self.rowCount()
            alpha = result.alpha_u(code)
            label = "All codes (*)" if code == ALL_CODES else code
            for a, b in pairs or [("", "")]:
                row = self.rowCount()
                self.insertRow(row)
                self.setItem(row, CODE, QTableWidgetItem(label))
                about = f"αU over {len(result.coders)} coders. {alpha.note}".strip()
                self._value(row, ALPHA, alpha.alpha, about)
                if not a:
                    self.setItem(row, PAIR, QTableWidgetItem("(fewer than two coders)"))
                    self.setItem(row, NOTES, QTableWidgetItem(f"αU {alpha.note}" if alpha.note else ""))
                    continue
                p = result.pair(code, a, b)
                self.setItem(row, PAIR, QTableWidgetItem(f"{a} | {b}"))
                shown = DASH if p.percent_agreement is None else f"{p.percent_agreement:.2%}"
                percent = QTableWidgetItem(shown)
                percent.setToolTip(plain_tooltip(_counts(p)))
                self.setItem(row, PERCENT, percent)
                self._value(row, KAPPA, p.kappa, _counts(p))
                notes = [f"κ {p.kappa_note}" if p.kappa_note else ""]
                notes.append(f"αU {alpha.note}" if alpha.note else "")
                self.setItem(row, NOTES, QTableWidgetItem("; ".join(n for n in notes if n)))
            if self.rowCount() - first > 1:
                self.setSpan(first, CODE, self.rowCount() - first, 1)
                self.setSpan(first, ALPHA, self.rowCount() - first, 1)

    def _value(self, row: int, column: int, value: float | None, tooltip: str) -> None:
        item = QTableWidgetItem(DASH if value is None else f"{value:.3f}")
        colour = band_colour(value)
        if colour is not None:
            item.setBackground(QBrush(QColor(colour)))
            item.setForeground(QBrush(QColor("#1a1a1a")))  # readable on the light band colours in dark themes
        item.setToolTip(plain_tooltip(f"{tooltip}\n\n{THRESHOLDS_TOOLTIP}"))
        self.setItem(row, column, item)

    def cell_text(self, code: str, pair: str, column: int) -> str:
        """The text shown for one code and pair ("alice | bob"), for tests and screen readers."""
        current_code = ""
        for row in range(self.rowCount()):
            item = self.item(row, CODE)
            if item is not None and item.text():
                current_code = item.text()
            pair_item = self.item(row, PAIR)
            if current_code == code and pair_item is not None and pair_item.text() == pair:
                cell = self.item(row, column)
                return cell.text() if cell else ""
        raise KeyError((code, pair))
