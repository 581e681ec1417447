"""How an update moved the annotations, as one table: all of them, then per coder, then per code.

Columns are the classes (exact, changed, orphaned) and the total; the first column names the
group ("All", "Coder alice", "Code Trope / Slow burn"). Cells are ``QTableWidgetItem`` text,
which Qt never reads as markup, so names show as typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

KINDS = ("exact", "changed", "orphaned")
HEADERS = ("", "Exact", "Changed", "Orphaned", "Total")

CountRows = Sequence[tuple[str, Mapping[str, int]]]  # (group label, {kind: count})


class CountsTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(list(HEADERS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def set_counts(self, rows: CountRows) -> None:
        self.setRowCount(len(rows))
        for row, (label, counts) in enumerate(rows):
            values = [counts.get(kind, 0) for kind in KINDS]
            self.setItem(row, 0, QTableWidgetItem(label))
            for column, value in enumerate([*values, sum(values)], start=1):
                cell = QTableWidgetItem(f"{value:,}")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, cell)

    def cell_texts(self) -> list[list[str]]:
        """What the table shows, row by row (for a copy, and for tests)."""
        return [
            [(item.text() if (item := self.item(r, c)) else "") for c in range(self.columnCount())]
            for r in range(self.rowCount())
        ]
