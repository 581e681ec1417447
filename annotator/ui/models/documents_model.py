"""The documents list as a Qt table model over ``DocumentSummary`` values, plus its filter proxy.

Columns are the AO3 metadata a fandom researcher sorts by (rating, fandoms, relationships, word
count) and the number of codings. Sorting uses a separate role so "1,200" words sorts as a number.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from annotator.core.types import DocumentSummary
from annotator.ui.plain import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2
# (header, attribute key or a special name)
COLUMNS = (
    ("Title", "title"),
    ("Rating", "rating"),
    ("Fandoms", "fandoms"),
    ("Relationships", "relationships"),
    ("Words", "words"),
    ("Codings", "codings"),
)
COL_TITLE, COL_RATING, COL_FANDOMS, COL_RELATIONSHIPS, COL_WORDS, COL_CODINGS = range(len(COLUMNS))


def word_count(attributes: dict[str, list[str]]) -> int | None:
    """AO3's stated word count when present (it counts the story only), else None."""
    for value in attributes.get("words", []):
        digits = value.replace(",", "").replace(".", "").replace(" ", "")
        if digits.isdigit():
            return int(digits)
    return None


class DocumentsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._docs: list[DocumentSummary] = []
        self._row_of: dict[int, int] = {}

    def set_documents(self, docs: Sequence[DocumentSummary]) -> None:
        """Replace the rows; when the same documents come back (new counts) update in place."""
        if [d.id for d in docs] == [d.id for d in self._docs] and docs:
            self._docs = list(docs)
            self.dataChanged.emit(self.index(0, 0), self.index(len(docs) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._docs = list(docs)
        self._row_of = {d.id: row for row, d in enumerate(self._docs)}
        self.endResetModel()

    def documents(self) -> list[DocumentSummary]:
        return list(self._docs)

    def document_at(self, row: int) -> DocumentSummary | None:
        return self._docs[row] if 0 <= row < len(self._docs) else None

    def row_of(self, document_id: int) -> int:
        return self._row_of.get(document_id, -1)

    def attribute_names(self) -> list[str]:
        names: dict[str, None] = {}
        for doc in self._docs:
            names.update(dict.fromkeys(doc.attributes))
        return sorted(names)

    def attribute_values(self, name: str) -> list[str]:
        values = {v for doc in self._docs for v in doc.attributes.get(name, [])}
        return sorted(values, key=str.casefold)

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._docs)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
                return COLUMNS[section][0]
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._docs):
            return None
        doc = self._docs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(doc, column)
        if role == SORT_ROLE:
            if column == COL_WORDS:
                return word_count(doc.attributes) or 0
            if column == COL_CODINGS:
                return doc.annotation_count
            return (self._display(doc, column) or "").casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [doc.title] + [f"{k}: {', '.join(v)}" for k, v in doc.attributes.items() if k != "title"]
            return plain_tooltip("\n".join(lines)[:1500])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_WORDS, COL_CODINGS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DOCUMENT_ROLE:
            return doc.id
        return None

    @staticmethod
    def _display(doc: DocumentSummary, column: int) -> str:
        if column == COL_TITLE:
            return doc.title
        if column == COL_WORDS:
            words = word_count(doc.attributes)
            return f"{words:,}" if words is not None else ""
        if column == COL_CODINGS:
            return str(doc.annotation_count) if doc.annotation_count else ""
        return ", ".join(doc.attributes.get(COLUMNS[column][1], []))


class DocumentFilterProxy(QSortFilterProxyModel):
    """Filters by free text (title and any metadata) and by one attribute's value."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self._attribute: tuple[str, str] | None = None
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange()

    def set_attribute(self, name: str | None, value: str | None) -> None:
        self.beginFilterChange()
        self._attribute = (name, value) if name and value else None
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, DocumentsModel):
            return True
        doc = model.document_at(source_row)
        if doc is None:
            return False
        if self._attribute is not None:
            name, value = self._attribute
            if value not in doc.attributes.get(name, []):
                return False
        if self._words:
            haystack = " ".join([doc.title, *(v for vs in doc.attributes.values() for v in vs)]).casefold()
            return all(word in haystack for word in self._words)
        return True
