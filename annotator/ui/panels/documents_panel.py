"""The Documents panel: the works in the project with their AO3 metadata, searchable and filterable.

Selecting a row opens the work in the viewer; filtering never does (the row that was current may
go, and another become current, without the researcher choosing it). Which columns show is the
researcher's choice (``documents_columns``); metadata columns no work has (plain-text imports
carry no rating or fandom) are hidden rather than shown empty. Every work's words are counted,
those without AO3's figure in the background; codings count the coders whose annotations show.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.services.changes import Change
from annotator.ui.counts import VisibleCounts
from annotator.ui.models.documents_model import COL_CODINGS, COL_TITLE, DocumentFilterProxy, DocumentsModel
from annotator.ui.panels.documents_columns import DocumentColumns
from annotator.ui.session import ProjectSession
from annotator.ui.word_counter import WordCounter

ANY = "Any attribute"


class DocumentsPanel(QWidget):
    documentActivated = Signal(int)

    def __init__(
        self, session: ProjectSession, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._quiet = False  # set while the panel itself moves the selection
        self._open_id: int | None = None  # the work the pane shows, kept current when visible
        self._counter = WordCounter(self, self._words_counted)  # words of works without AO3's figure
        self._counts: VisibleCounts | None = None
        self.model = DocumentsModel()
        self.proxy = DocumentFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles and metadata")
        self.search.setClearButtonEnabled(True)
        self.attribute_name = QComboBox()
        self.attribute_value = QComboBox()
        self.attribute_value.setEnabled(False)
        for combo in (self.attribute_name, self.attribute_value):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: palette(placeholder-text);")
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep import order until asked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.columns = DocumentColumns(self.table, self.model, settings or QSettings())
        filters = QHBoxLayout()
        filters.addWidget(self.attribute_name, 1)
        filters.addWidget(self.attribute_value, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.search.textChanged.connect(self._filter_changed)
        self.attribute_name.currentIndexChanged.connect(self._attribute_name_changed)
        self.attribute_value.currentIndexChanged.connect(self._filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        session.changed.connect(self._on_change)
        session.countsStale.connect(self._recounted)
        self.refresh()

    def refresh(self) -> None:
        current = self.current_document_id()
        self.model.set_documents(self.session.documents)  # the session keeps them current
        self._fill_attribute_names()
        self.columns.update()
        if current is not None and self.current_document_id() != current:
            self.select_document(current, emit=False)
        self._update_count()
        self._count_words()

    def _recounted(self) -> None:
        """The session's counts moved: repaint and measure only the rows whose figures changed."""
        rows = self.model.set_documents(self.session.documents)
        if rows is None:  # other works than before: everything is read afresh
            self.refresh()
        elif rows:
            self.columns.measure_rows(rows)

    def follow_counts(self, counts: VisibleCounts) -> None:
        """Count codings as ``counts`` does (the coders whose annotations are shown)."""
        self._counts = counts
        counts.recounted.connect(self._counts_changed)
        self._counts_changed()

    def _counts_changed(self) -> None:
        if self._counts is not None:
            rows = self.model.set_codings(
                self._counts.of_document,
                self._counts.scope_tip("Annotations in each work"),
                self._counts.moved_documents,
            )
            self.columns.measure_rows(rows, (COL_CODINGS,))  # only that column's figures moved

    def _count_words(self) -> None:
        """Count, off the GUI thread, the words of works that state no word count."""
        self._counter.count(self.session.store, self.model.uncounted())

    def _words_counted(self, counts: dict[int, int]) -> None:
        self.model.set_word_counts(counts)
        self.columns.update()
        self._count_words()  # works imported meanwhile

    def _on_change(self, change: Change) -> None:
        if change.touches_documents():
            self.refresh()

    def _fill_attribute_names(self) -> None:
        chosen = self.attribute_name.currentText()
        names = [n for n in self.model.attribute_names() if n not in ("title", "url")]
        self.attribute_name.blockSignals(True)
        self.attribute_name.clear()
        self.attribute_name.addItem(ANY)
        self.attribute_name.addItems(names)
        self.attribute_name.setCurrentIndex(max(0, self.attribute_name.findText(chosen)))
        self.attribute_name.setEnabled(bool(names))
        self.attribute_name.blockSignals(False)
        self._attribute_name_changed()

    def _attribute_name_changed(self) -> None:
        name = self.attribute_name.currentText()
        chosen = self.attribute_value.currentText()
        self.attribute_value.blockSignals(True)
        self.attribute_value.clear()
        if name and name != ANY:
            self.attribute_value.addItem("Any value")
            self.attribute_value.addItems(self.model.attribute_values(name))
            self.attribute_value.setCurrentIndex(max(0, self.attribute_value.findText(chosen)))
        self.attribute_value.setEnabled(name not in ("", ANY))
        self.attribute_value.blockSignals(False)
        self._filter_changed()

    def set_attribute_filter(self, name: str, value: str) -> None:
        self.attribute_name.setCurrentText(name)
        self.attribute_value.setCurrentText(value)

    def _filter_changed(self) -> None:
        # Filtering moves the current row (to a neighbour when the open work is filtered out):
        # that must not open anything. The open work stays current while it is listed.
        self._quiet = True
        try:
            self.proxy.set_text(self.search.text())
            name = self.attribute_name.currentText()
            value = self.attribute_value.currentText() if self.attribute_value.currentIndex() > 0 else None
            self.proxy.set_attribute(name if name != ANY else None, value)
            if self._open_id is None or not self._show_current(self._open_id):
                self.table.selectionModel().clear()
        finally:
            self._quiet = False
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{total} works" if shown == total else f"{shown} of {total} works")

    # --- selection ------------------------------------------------------------------------
    def current_document_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        doc = self.model.document_at(self.proxy.mapToSource(index).row())
        return doc.id if doc else None

    def select_document(self, document_id: int, *, emit: bool = True) -> None:
        self._open_id = document_id
        quiet, self._quiet = self._quiet, not emit
        try:
            self._show_current(document_id)
        finally:
            self._quiet = quiet

    def _show_current(self, document_id: int) -> bool:
        """Make ``document_id``'s row current and visible; False if it is filtered out."""
        row = self.model.row_of(document_id)
        index = self.proxy.mapFromSource(self.model.index(row, COL_TITLE)) if row >= 0 else QModelIndex()
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._quiet:
            doc = self.model.document_at(self.proxy.mapToSource(current).row())
            if doc is not None:
                self._open_id = doc.id
                self.documentActivated.emit(doc.id)

    def step(self, delta: int) -> None:
        """Open the next (+1) or previous (-1) work in the list's current order."""
        rows = self.proxy.rowCount()
        if rows == 0:
            return
        row = self.table.currentIndex().row()
        target = 0 if row < 0 else max(0, min(rows - 1, row + delta))
        self.table.selectRow(target)
