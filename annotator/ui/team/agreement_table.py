"""``AgreementTable``: κ, % and αU per code and coder pair, colour-scaled, counts on hover.

Rows are grouped by code (the code's cell spans its pair rows), so each code reads as its own
small table. Values come from an ``AgreementResult``; undefined ones show "—" with the reason.
"""

from __future__ import annotations

import textwrap

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from annotator.core.agreement import ALL_CODES
from annotator.core.agreement_report import explain_chance
from annotator.core.codebook import display_path
from annotator.core.kappa import PairAgreement
from annotator.services.agreement import AgreementResult
from annotator.ui.plain import plain_tooltip
from annotator.ui.team.bands import THRESHOLDS_TOOLTIP, band_colour

COLUMNS = ("Code", "Coders", "% agreement", "κ", "αU", "Notes")
CODE, PAIR, PERCENT, KAPPA, ALPHA, NOTES = range(len(COLUMNS))
DASH = "—"
TOOLTIP_COLUMNS = 64  # characters per tooltip line: one long line would run across the screen


def format_statistic(value: float | None) -> str:
    """κ or α to three decimals, "—" when undefined; what rounds to zero is "0.000", never "-0.000"."""
    if value is None:
        return DASH
    shown = f"{value:.3f}"
    return "0.000" if shown == "-0.000" else shown


def format_percent(value: float | None) -> str:
    """Two decimals, but never "100.00%" short of full agreement, nor "0.00%" above none."""
    if value is None:
        return DASH
    shown = f"{value:.2%}"
    if shown == "100.00%" and value < 1:
        return "> 99.99%"
    if shown == "0.00%" and value > 0:
        return "< 0.01%"
    return shown


def wrapped_tooltip(text: str) -> str:
    """``text`` as a plain-text tooltip, each paragraph wrapped to ``TOOLTIP_COLUMNS``."""
    lines = [textwrap.fill(line, TOOLTIP_COLUMNS) if line else "" for line in text.split("\n")]
    return plain_tooltip("\n".join(lines))


def _counts(p: PairAgreement) -> str:
    return (
        f"{p.coder_a} and {p.coder_b}, characters:\n"
        f"both coded {p.both}\nonly {p.coder_a} {p.only_a}\nonly {p.coder_b} {p.only_b}\n"
        f"neither {p.neither}\nin scope {p.n}"
    )


CODE_ROLE = Qt.ItemDataRole.UserRole + 1  # the code's path behind its heading


def code_heading(code: str) -> str:
    """A row heading as people read it: "Trope › Captor/captive", "Trope › all sub-codes, pooled"."""
    if code == ALL_CODES:
        return "All codes (*)"
    if code.endswith("/*"):
        return f"{display_path(code[:-2])} › all sub-codes, pooled"
    return display_path(code)


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
                header_item.setToolTip(wrapped_tooltip(THRESHOLDS_TOOLTIP))

    def show_result(self, result: AgreementResult | None) -> None:
        self.clearSpans()
        self.setRowCount(0)
        if result is None:
            return
        pairs = result.pairs
        for code in result.codes:
            first = self.rowCount()
            alpha = result.alpha_u(code)
            label = code_heading(code)
            for a, b in pairs or [("", "")]:
                row = self.rowCount()
                self.insertRow(row)
                heading = QTableWidgetItem(label)
                heading.setData(CODE_ROLE, code)
                self.setItem(row, CODE, heading)
                about = f"αU over {len(result.coders)} coders. {alpha.note}".strip()
                self._value(row, ALPHA, alpha.alpha, about)
                if not a:
                    self.setItem(row, PAIR, QTableWidgetItem("(fewer than two coders)"))
                    self.setItem(row, NOTES, QTableWidgetItem(f"αU {alpha.note}" if alpha.note else ""))
                    continue
                p = result.pair(code, a, b)
                self.setItem(row, PAIR, QTableWidgetItem(f"{a} | {b}"))
                why = explain_chance(p)
                about = f"{_counts(p)}\n\n{why}" if why else _counts(p)
                percent = QTableWidgetItem(format_percent(p.percent_agreement))
                percent.setToolTip(wrapped_tooltip(about))
                self.setItem(row, PERCENT, percent)
                self._value(row, KAPPA, p.kappa, about)
                # The chance note replaces κ's shorter note, which it says again in more words.
                notes = [why or (f"κ {p.kappa_note}" if p.kappa_note else "")]
                notes.append(f"αU {alpha.note}" if alpha.note else "")
                note = QTableWidgetItem("; ".join(n for n in notes if n))
                note.setToolTip(wrapped_tooltip(note.text()))
                self.setItem(row, NOTES, note)
            if self.rowCount() - first > 1:
                self.setSpan(first, CODE, self.rowCount() - first, 1)
                self.setSpan(first, ALPHA, self.rowCount() - first, 1)

    def _value(self, row: int, column: int, value: float | None, tooltip: str) -> None:
        item = QTableWidgetItem(format_statistic(value))
        colour = band_colour(value)
        if colour is not None:
            item.setBackground(QBrush(QColor(colour)))
            item.setForeground(QBrush(QColor("#1a1a1a")))  # readable on the light band colours in dark themes
        item.setToolTip(wrapped_tooltip(f"{tooltip}\n\n{THRESHOLDS_TOOLTIP}"))
        self.setItem(row, column, item)

    def cell_text(self, code: str, pair: str, column: int) -> str:
        """The text shown for one code (its path, "Trope/Slow burn") and pair ("alice | bob")."""
        current_code = ""
        for row in range(self.rowCount()):
            item = self.item(row, CODE)
            if item is not None and item.text():
                current_code = str(item.data(CODE_ROLE))
            pair_item = self.item(row, PAIR)
            if current_code == code and pair_item is not None and pair_item.text() == pair:
                cell = self.item(row, column)
                return cell.text() if cell else ""
        raise KeyError((code, pair))
