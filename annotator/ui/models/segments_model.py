"""Coded segments as a Qt table model over ``SegmentRow`` values (document, code, coder, text, memo).

The model holds the pages read so far, in the segments' order; Qt asks for the next page as the
table scrolls to the end (``canFetchMore`` / ``fetchMore``, answered by the ``fetch`` the panel
gives). A change inserts or removes single rows in place, so the table keeps its scroll position.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.codebook import display_path
from annotator.services.segments import SegmentKey, SegmentRow, segment_key
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


# The next page after a key (None: from the start): the rows, and whether more follow them.
Fetch = Callable[[SegmentKey | None], tuple[list[SegmentRow], bool]]


class SegmentsModel(QAbstractTableModel):
    def __init__(
        self, colour_of: Callable[[int], str | None] | None = None, fetch: Fetch | None = None
    ) -> None:
        super().__init__()
        self._rows: list[SegmentRow] = []
        self._keys: list[SegmentKey] = []
        self._colour_of = colour_of
        self._fetch = fetch
        self._more = False

    def set_rows(self, rows: Sequence[SegmentRow], more: bool = False) -> None:
        """Show ``rows`` (the first page); ``more``: further rows can be fetched after them."""
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = [segment_key(row) for row in self._rows]
        self._more = more and self._fetch is not None
        self.endResetModel()

    @property
    def complete(self) -> bool:
        """Whether every row of the list is loaded (no page is left to fetch)."""
        return not self._more

    def canFetchMore(self, parent: Index = ROOT) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = ROOT) -> None:
        if parent.isValid() or not self._more or self._fetch is None:
            return
        rows, self._more = self._fetch(self._keys[-1] if self._keys else None)
        if rows:
            first = len(self._rows)
            self.beginInsertRows(ROOT, first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._keys.extend(segment_key(row) for row in rows)
            self.endInsertRows()

    def covers(self, row: SegmentRow) -> bool:
        """Whether ``row`` falls inside the loaded part of the list (else a later page holds it)."""
        return self.complete or (bool(self._keys) and segment_key(row) < self._keys[-1])

    def insert_row(self, row: SegmentRow) -> None:
        """Put one new row in its place in the order."""
        key = segment_key(row)
        at = bisect_left(self._keys, key)
        self.beginInsertRows(ROOT, at, at)
        self._rows.insert(at, row)
        self._keys.insert(at, key)
        self.endInsertRows()

    def remove_ids(self, annotation_ids: Iterable[int]) -> int:
        """Remove the rows of these annotations (those loaded); return how many were removed."""
        wanted = set(annotation_ids)
        removed = 0
        for at in sorted((i for i, r in enumerate(self._rows) if r.annotation_id in wanted), reverse=True):
            self.beginRemoveRows(ROOT, at, at)
            del self._rows[at]
            del self._keys[at]
            self.endRemoveRows()
            removed += 1
        return removed

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
