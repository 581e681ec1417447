"""View ▸ Works table: every work × every attribute, sortable, filterable and editable in place.

A separate window over the session's documents (plain dataclasses the session keeps current):
click a header to sort (numbers as numbers), type in the filter to keep the works whose cells
contain every word, double-click a cell or press F2 to edit it (several values comma-separated),
select several rows and "Set attribute for selected…" to give them all one value. Each edit is one
undoable action through ``document_commands``; Ctrl+Z here undoes it as in the main window. The
table follows the change stream, so other actions and other users' edits show as they happen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import USER_ERRORS, user_message
from annotator.services import document_attributes as attrs
from annotator.services import document_commands
from annotator.services.changes import Change
from annotator.ui.actions import MenuHost
from annotator.ui.models.works_table_model import (
    TITLE,
    WORDS,
    WorksFilterProxy,
    WorksTableModel,
    rows_of,
    split_values,
)
from annotator.ui.plain import plain_label
from annotator.ui.session import ProjectSession
from annotator.ui.word_counter import WordCounter


class WorksTable(QWidget):
    """A window listing the works; ``undo`` and ``redo`` are the main window's."""

    def __init__(
        self,
        session: ProjectSession,
        undo: Callable[[], object],
        redo: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Works and attributes")
        self.session = session
        self._counted: dict[int, int] = {}  # words counted from the texts of works stating none
        self._counter = WordCounter(self, self._words_counted)
        self.model = WorksTableModel()
        self.proxy = WorksFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter: words any cell of a work contains")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # import order until asked
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.bulk_button = QPushButton("&Set attribute for selected…")
        self.bulk_button.setToolTip("Give every selected work the same value (one undo step)")
        self.count = plain_label()
        self.count.setStyleSheet("color: palette(placeholder-text);")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.bulk_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        for text, keys, slot in (
            ("Undo", ["Ctrl+Z"], undo),  # the main window's Edit menu keys
            ("Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], redo),
        ):
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(lambda _checked=False, step=slot: step())
            self.addAction(action)
        self._stale = False  # a refresh waits for the cell being edited
        self.table.itemDelegate().closeEditor.connect(self._editor_closed)
        self.filter.textChanged.connect(self._filter_changed)
        self.model.editRequested.connect(self._edit_cell)
        self.bulk_button.clicked.connect(self.ask_bulk_edit)
        session.changed.connect(self._on_change)
        session.countsStale.connect(self.refresh)
        self.resize(1000, 560)
        self.refresh()
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):  # long tag lists stay readable in tooltips
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 280))

    # --- showing --------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.table.state() == QAbstractItemView.State.EditingState:
            # Refilling now would put the stored text back into the editor over what is typed.
            self._stale = True
            return
        self._stale = False
        self.model.set_rows(rows_of(self.session.documents, self._counted))
        self._update_count()
        self._count_words()

    def _editor_closed(self) -> None:
        if self._stale:
            self.refresh()

    def _on_change(self, change: Change) -> None:
        if change.touches_documents():
            self.refresh()

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{total:,} works" if shown == total else f"{shown:,} of {total:,} works")

    def _count_words(self) -> None:
        missing = [
            d.id for d in self.session.documents if WORDS not in d.attributes and d.id not in self._counted
        ]
        self._counter.count(self.session.store, missing)

    def _words_counted(self, counts: dict[int, int]) -> None:
        self._counted.update(counts)
        self.refresh()

    # --- editing --------------------------------------------------------------------------
    def selected_documents(self) -> list[int]:
        rows = sorted(
            {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedIndexes()}
        )
        return [work.id for row in rows if (work := self.model.row_at(row)) is not None]

    def _edit_cell(self, document_id: int, key: str, text: str) -> None:
        store = self.session.store
        if key == TITLE:
            self.session.run(lambda: document_commands.rename_document(store, document_id, text), self)
            return
        values = split_values(key, text)
        self.session.run(lambda: document_commands.set_attribute(store, [document_id], key, values), self)

    def ask_bulk_edit(self) -> BulkEditDialog | None:
        ids = self.selected_documents()
        if not ids:
            self.session.failed.emit("select the works to set an attribute for first")
            return None
        dialog = BulkEditDialog(len(ids), self.model.keys()[3:], self)
        store = self.session.store

        def save() -> None:
            key, values = dialog.chosen()
            self.session.run(lambda: document_commands.set_attribute(store, ids, key, values), self)

        dialog.accepted.connect(save)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


class BulkEditDialog(QDialog):
    """One attribute and its values, for every selected work."""

    def __init__(self, count: int, keys: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Set an attribute for {count:,} work{'s' if count != 1 else ''}")
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        labels = [label for _key, label in attrs.AO3_ATTRIBUTES]
        shown = {attrs.attribute_label(k) for k in keys}
        self.name.addItems([*labels, *sorted(shown - set(labels), key=str.casefold)])
        self.values = QLineEdit()
        self.values.setPlaceholderText("Values separated by commas; empty removes the attribute")
        self.status = plain_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout(self)
        form.addRow("&Attribute:", self.name)
        form.addRow("&Values:", self.values)
        form.addRow(self.status)
        form.addRow(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.setMinimumWidth(460)
        self.values.setFocus()

    def chosen(self) -> tuple[str, list[str]]:
        key = attrs.attribute_key(self.name.currentText())
        return key, split_values(key, self.values.text())

    def accept(self) -> None:
        try:
            key, values = self.chosen()
            attrs.clean_values(key, values)
        except USER_ERRORS as exc:
            reason = user_message(exc)
            self.status.setText(f"{reason[:1].upper()}{reason[1:]}.")
            return
        super().accept()


def open_works_table(host: MenuHost) -> WorksTable | None:
    """Open the works table for the host window's project."""
    session = host.session
    if session is None:
        return None
    table = WorksTable(session, host.undo, host.redo, host.window())
    table.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    host.keep_dialog(table)
    return table
