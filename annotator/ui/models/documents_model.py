"""The documents list as a Qt table model over ``DocumentSummary`` values, plus its filter proxy.

Columns are the AO3 metadata a fandom researcher sorts by (rating, fandoms, relationships, word
count) and the number of codings. Sorting uses a separate role so "1,200" words sorts as a number.
Every work has a word count: AO3's where the work states one, else one counted from its text
(``set_word_counts``, filled in the background); codings are counted as the panel is told
(``set_codings``: the shown coders' annotations).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import compress
from operator import is_not

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
    ("Authors", "authors"),
    ("Characters", "characters"),
    ("Tags", "additional_tags"),
    ("Published", "published"),
)
COL_TITLE, COL_RATING, COL_FANDOMS, COL_RELATIONSHIPS, COL_WORDS, COL_CODINGS = range(6)
NUMBER_COLUMNS = (COL_WORDS, COL_CODINGS)
# AO3's ratings are long; the list shows the word readers use (the tooltip has the full one).
SHORT_RATINGS = {
    "General Audiences": "General",
    "Teen And Up Audiences": "Teen",
    "Not Rated": "Not rated",
}
WORDS_TIP = (
    "Words in each work: AO3's count where the work states one (its story only), else counted from the text."
)
CodingsOf = Callable[[DocumentSummary], int]


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
        self._counted_words: dict[int, int] = {}  # works without AO3's figure, counted
        self._codings: CodingsOf = lambda doc: doc.annotation_count
        self._codings_tip = "Annotations in each work."
        self._codings_shown: list[int] = []  # per row, what the Codings column last said

    def set_documents(self, docs: Sequence[DocumentSummary]) -> list[int] | None:
        """Replace the rows; when the same documents come back (new counts) update in place.

        Returns the rows that changed in place (only they are repainted), or None after a reset.
        """
        # Counts moved by deltas keep every other row's object: only those rows are compared
        # (10,000 works: a scan in C, not a comparison of every row in Python).
        replaced = (
            list(compress(range(len(docs)), map(is_not, self._docs, docs)))
            if docs and len(docs) == len(self._docs)
            else None
        )
        if replaced is not None and all(self._docs[row].id == docs[row].id for row in replaced):
            old, self._docs = self._docs, list(docs)
            rows = [row for row in replaced if old[row] != self._docs[row]]
            for row in rows:
                self._codings_shown[row] = self._codings(self._docs[row])
            self._rows_changed(rows, 0, len(COLUMNS) - 1)
            return rows
        self.beginResetModel()
        self._docs = list(docs)
        self._row_of = {d.id: row for row, d in enumerate(self._docs)}
        self._codings_shown = [self._codings(d) for d in self._docs]
        self.endResetModel()
        return None

    def _rows_changed(self, rows: Sequence[int], first: int, last: int) -> None:
        for row in rows:
            self.dataChanged.emit(self.index(row, first), self.index(row, last))

    def documents(self) -> list[DocumentSummary]:
        return list(self._docs)

    def set_word_counts(self, counts: dict[int, int]) -> None:
        """Words counted from the texts of works with no word count of their own."""
        self._counted_words.update(counts)
        self._column_changed(COL_WORDS)

    def words_of(self, doc: DocumentSummary) -> int | None:
        stated = word_count(doc.attributes)
        return stated if stated is not None else self._counted_words.get(doc.id)

    def uncounted(self) -> list[int]:
        """Works whose words are neither stated nor counted yet."""
        return [d.id for d in self._docs if self.words_of(d) is None]

    def set_codings(self, codings_of: CodingsOf, tip: str, only: Collection[int] | None = None) -> list[int]:
        """How the Codings column counts (whose annotations), and its header tooltip saying so.

        ``only``: the works whose figures may have moved (None: any). Returns the rows whose
        figure changed: only they are repainted.
        """
        self._codings = codings_of
        if only is None:
            candidates: Iterable[int] = range(len(self._docs))
        else:
            candidates = sorted(r for r in map(self.row_of, only) if r >= 0)
        rows = []
        for row in candidates:
            figure = codings_of(self._docs[row])
            if figure != self._codings_shown[row]:
                self._codings_shown[row] = figure
                rows.append(row)
        self._rows_changed(rows, COL_CODINGS, COL_CODINGS)
        if tip != self._codings_tip:
            self._codings_tip = tip
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_CODINGS, COL_CODINGS)
        return rows

    def _column_changed(self, column: int) -> None:
        if self._docs:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._docs) - 1, column))

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
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            if section == COL_WORDS:
                return WORDS_TIP
            if section == COL_CODINGS:
                return self._codings_tip
            if 0 <= section < len(COLUMNS):
                return "Right-click a column header to choose the columns."
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
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
                return self.words_of(doc) or 0
            if column == COL_CODINGS:
                return self._codings(doc)
            return (self._display(doc, column) or "").casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [doc.title] + [f"{k}: {', '.join(v)}" for k, v in doc.attributes.items() if k != "title"]
            return plain_tooltip("\n".join(lines)[:1500])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DOCUMENT_ROLE:
            return doc.id
        return None

    def _display(self, doc: DocumentSummary, column: int) -> str:
        if column == COL_TITLE:
            return doc.title
        if column == COL_WORDS:
            words = self.words_of(doc)
            return f"{words:,}" if words is not None else ""
        if column == COL_CODINGS:
            codings = self._codings(doc)
            return f"{codings:,}" if codings else ""
        values = doc.attributes.get(COLUMNS[column][1], [])
        if column == COL_RATING:
            values = [SHORT_RATINGS.get(v, v) for v in values]
        return ", ".join(values)


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
