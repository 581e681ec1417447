"""The works × attributes table as a Qt model over plain ``WorkRow`` values, and its filter proxy.

One row per work; columns Title, Words, Codings and then every attribute the project's works
carry (AO3's in AO3's order, others by name). Cells show an attribute's values comma-separated
and are edited the same way; an edit is not written here but asked for (``editRequested``), so it
goes through a service as one undoable action and comes back through the change stream.
``data()`` reads only these dataclasses, never the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from annotator.core.types import DocumentSummary
from annotator.services.document_attributes import AO3_ATTRIBUTES, attribute_label
from annotator.ui.plain import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2
TITLE, WORDS, CODINGS = "title", "words", "codings"  # the fixed columns' keys
FIXED = (TITLE, WORDS, CODINGS)
# Not columns of their own: the title is the Title column; words the Words column.
_NOT_COLUMNS = frozenset({TITLE, WORDS})
_AO3_ORDER = {key: rank for rank, (key, _label) in enumerate(AO3_ATTRIBUTES)}
EDIT_TIP = "Double-click or press F2 to edit; separate several values with commas."


@dataclass(frozen=True)
class WorkRow:
    id: int
    title: str
    attributes: dict[str, list[str]]
    codings: int
    counted_words: int | None = None  # from the text, for works that state no word count

    @property
    def words(self) -> int | None:
        for value in self.attributes.get(WORDS, []):
            digits = value.replace(",", "").replace(".", "").replace(" ", "")
            if digits.isdigit():
                return int(digits)
        return self.counted_words


def rows_of(documents: Sequence[DocumentSummary], counted: dict[int, int]) -> list[WorkRow]:
    return [WorkRow(d.id, d.title, d.attributes, d.annotation_count, counted.get(d.id)) for d in documents]


def split_values(key: str, text: str) -> list[str]:
    """A cell's text as values: comma-separated, except Words (one figure, "1,234" included)."""
    if key == WORDS:
        return [text.strip()] if text.strip() else []
    return [part.strip() for part in text.split(",") if part.strip()]


class WorksTableModel(QAbstractTableModel):
    # (document id, column key, typed text): a cell was edited
    editRequested = Signal(int, str, str)

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[WorkRow] = []
        self._keys: list[str] = list(FIXED)

    def set_rows(self, rows: Sequence[WorkRow]) -> None:
        names = {name for row in rows for name in row.attributes if name not in _NOT_COLUMNS}
        ordered = sorted(names, key=lambda n: (_AO3_ORDER.get(n, len(_AO3_ORDER)), n.casefold()))
        keys = [*FIXED, *ordered]
        if keys == self._keys and [r.id for r in rows] == [r.id for r in self._rows]:
            # Same shape: repaint the rows that differ, keeping the selection and the sort.
            old, self._rows = self._rows, list(rows)
            for row, (before, after) in enumerate(zip(old, self._rows, strict=True)):
                if before != after:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(keys) - 1))
            return
        self.beginResetModel()
        self._rows, self._keys = list(rows), keys
        self.endResetModel()

    def key(self, column: int) -> str:
        return self._keys[column] if 0 <= column < len(self._keys) else ""

    def keys(self) -> list[str]:
        return list(self._keys)

    def row_at(self, row: int) -> WorkRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._keys)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._keys):
            return None
        key = self._keys[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return {TITLE: "Title", CODINGS: "Codings"}.get(key, attribute_label(key))
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{key}: click to sort" if key not in FIXED else "Click to sort")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.key(index.column()) != CODINGS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        work = self.row_at(index.row()) if index.isValid() else None
        if work is None:
            return None
        key = self.key(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(work, key, editing=role == Qt.ItemDataRole.EditRole)
        if role == SORT_ROLE:
            if key == WORDS:
                return work.words if work.words is not None else -1
            if key == CODINGS:
                return work.codings
            return self._text(work, key).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._text(work, key)
            return plain_tooltip(f"{text[:1500]}\n\n{EDIT_TIP}" if text and key != CODINGS else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and key in (WORDS, CODINGS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DOCUMENT_ROLE:
            return work.id
        return None

    def _text(self, work: WorkRow, key: str, *, editing: bool = False) -> str:
        if key == TITLE:
            return work.title
        if key == CODINGS:
            return f"{work.codings:,}" if work.codings else ""
        if key == WORDS and not (editing and WORDS in work.attributes):
            # Shown: AO3's figure or the counted one. Edited: only a stated figure.
            return f"{work.words:,}" if work.words is not None and not editing else ""
        return ", ".join(work.attributes.get(key, []))

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        work = self.row_at(index.row()) if index.isValid() else None
        key = self.key(index.column())
        if work is None or role != Qt.ItemDataRole.EditRole or key == CODINGS:
            return False
        text = str(value)
        if text == self._text(work, key, editing=True):
            return False  # unchanged: no undo step
        self.editRequested.emit(work.id, key, text)
        return True


class WorksFilterProxy(QSortFilterProxyModel):
    """Keeps the works whose cells, together, contain every word typed (case-insensitive)."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not self._words or not isinstance(model, WorksTableModel):
            return True
        work = model.row_at(source_row)
        if work is None:
            return False
        haystack = " ".join([work.title, *(v for vs in work.attributes.values() for v in vs)]).casefold()
        return all(word in haystack for word in self._words)
