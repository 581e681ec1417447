"""Coded segments as a Qt table model over ``SegmentRow`` values (document, code, coder, text, memo)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.codebook import display_path
from annotator.services.segments import SegmentRow
from annotator.ui.plain import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument
SEGMENT_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Document", "Code", "Coder", "Text", "Memo")
COL_DOCUMENT, COL_CODE, COL_CODER, COL_TEXT, COL_MEMO = range(len(HEADERS))
MAX_CELL = 300  # a segment can be a whole chapter; a table cell shows the start of it


def _cell_text(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_CELL else flat[: MAX_CELL - 1] + "…"


def code_label(path: str) -> str:
    return display_path(path)


class SegmentsModel(QAbstractTableModel):
    def __init__(self, colour_of: Callable[[int], str | None] | None = None) -> None:
        super().__init__()
        self._rows: list[SegmentRow] = []
        self._colour_of = colour_of

    def set_rows(self, rows: Sequence[SegmentRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[SegmentRow]:
        return list(self._rows)

    def row_at(self, row: int) -> SegmentRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, annotation_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.annotation_id == annotation_id), -1)

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
                return HEADERS[section]
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltip(row, column)) or None
        if role == Qt.ItemDataRole.DecorationRole and column == COL_CODE and self._colour_of is not None:
            colour = self._colour_of(row.code_id)
            return QColor(colour) if colour else None
        if role == SEGMENT_ROLE:
            return row.annotation_id
        return None

    def _tooltip(self, row: SegmentRow, column: int) -> str:
        if column == COL_TEXT:
            return row.text[:2000]
        if column == COL_MEMO:
            return row.memo[:2000]
        if column == COL_DOCUMENT:
            where = f"{row.zone}, " if row.zone else ""
            chapter = f"chapter {row.chapter}, " if row.chapter is not None else ""
            return f"{row.document}\n{where}{chapter}characters {row.start}–{row.end}"
        return self._display(row, column)

    @staticmethod
    def _display(row: SegmentRow, column: int) -> str:
        if column == COL_DOCUMENT:
            return row.document
        if column == COL_CODE:
            return code_label(row.code_path)
        if column == COL_CODER:
            return row.coder
        if column == COL_TEXT:
            return _cell_text(row.text)
        return _cell_text(row.memo)
