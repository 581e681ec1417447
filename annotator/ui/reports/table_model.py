"""Qt models of the Reports window: a report table and a list of segments, holding plain rows.

Both hold tuples only (``data()`` never touches the project); :data:`SORT_ROLE` gives the raw value
so the sort proxy orders numbers as numbers. User text is returned as plain display strings
(item views never render it as HTML).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from annotator.core.reports.data import Table

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


class TableModel(QAbstractTableModel):
    """A :class:`Table` (header and rows of plain values)."""

    def __init__(self) -> None:
        super().__init__()
        self.table = Table((), ())

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.header)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        value = self.table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(shown(value).split())  # one line per cell, even for a memo
        if role == SORT_ROLE:
            return (
                -1e300
                if value is None
                else value
                if isinstance(value, int | float)
                else str(value).casefold()
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.table.header[section].replace("_", " ")
        return None

    def row(self, row: int) -> dict[str, object]:
        return dict(zip(self.table.header, self.table.rows[row], strict=True))


def sorted_view(model: TableModel) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


@dataclass(frozen=True)
class SegmentItem:
    """One segment behind a figure, enough to show it and to open it in the main window."""

    document_id: int
    title: str
    code: str
    coder: str
    start: int
    end: int
    text: str
    annotation_id: int | None = None


SEGMENT_HEADER = ("work", "code", "coder", "where", "text")


def segment_table(items: Sequence[SegmentItem]) -> Table:
    rows = tuple(
        (f"{s.document_id}: {s.title}", s.code, s.coder, f"{s.start}–{s.end}", s.text) for s in items
    )
    return Table(SEGMENT_HEADER, rows)
