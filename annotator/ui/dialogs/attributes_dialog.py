"""Document ▸ Edit title and attributes…: one work's title and its AO3-style attributes.

Attributes are listed one value a row (a work has several fandoms, many tags), so a value may hold
a comma (AO3's "1,234" words). The names AO3 uses are offered as suggestions under AO3's labels
and stored under the importer's keys, so a plain-text work given a Rating shows it in the same
column as a downloaded one. OK is one action and one undo step (``document_commands.edit_document``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import USER_ERRORS, user_message
from annotator.services import document_attributes as attrs
from annotator.services import document_commands
from annotator.services.documents import load_document
from annotator.ui.actions import ActionHost, MenuHost
from annotator.ui.plain import plain_label, window_title

SUGGESTED_NAMES = [label for _key, label in attrs.AO3_ATTRIBUTES]
COL_NAME, COL_VALUE = range(2)


class _NameDelegate(QStyledItemDelegate):
    """Attribute names are typed, or picked from AO3's names in the editor's drop-down."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = QComboBox(parent)
        editor.setEditable(True)
        editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        editor.addItems(SUGGESTED_NAMES)
        line = editor.lineEdit()
        assert line is not None  # an editable combo has one
        line.setMaxLength(attrs.NAME_LENGTH)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setEditText(str(index.data() or ""))

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())


class AttributesDialog(QDialog):
    """Edit a work's title and attributes; ``title()`` and ``attributes()`` read what is typed."""

    def __init__(self, title: str, attributes: dict[str, list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title(f"Title and attributes of “{title}”"))
        self.title_edit = QLineEdit(title)
        self.title_edit.setMaxLength(attrs.TITLE_LENGTH)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Attribute", "Value"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegateForColumn(COL_NAME, _NameDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_VALUE, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(COL_NAME, 180)
        for name, values in attributes.items():
            for value in values:
                self._append(attrs.attribute_label(name), value)
        self.add_button = QPushButton("&Add value")
        self.add_button.setToolTip("A new row: pick or type the attribute, then its value")
        self.remove_button = QPushButton("&Remove value")
        self.remove_button.setToolTip("Remove the selected rows")
        self.status = plain_label()  # why OK did nothing
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.add_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.resize(620, 460)
        self.title_edit.setFocus()
        self.title_edit.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        # Opened from a menu or the Documents list: the keyboard goes to the title at once.
        super().showEvent(event)
        self.activateWindow()
        self.title_edit.setFocus()

    def _append(self, name: str, value: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, COL_NAME, QTableWidgetItem(name))
        self.table.setItem(row, COL_VALUE, QTableWidgetItem(value))
        return row

    def add_row(self) -> None:
        """A new row under the selected one's attribute (another fandom), or an empty name."""
        current = self.table.currentRow()
        name_item = self.table.item(current, COL_NAME) if current >= 0 else None
        row = self._append(name_item.text() if name_item is not None else "", "")
        column = COL_VALUE if name_item is not None else COL_NAME
        self.table.setCurrentCell(row, column)
        item = self.table.item(row, column)
        if item is not None:
            self.table.editItem(item)

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def title(self) -> str:
        return self.title_edit.text()

    def attributes(self) -> dict[str, list[str]]:
        """The rows as attribute name → values; rows without a value are left out."""
        result: dict[str, list[str]] = {}
        for row in range(self.table.rowCount()):
            name, value = (self._text(row, column) for column in (COL_NAME, COL_VALUE))
            if value.strip():
                result.setdefault(name, []).append(value)
        return result

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def accept(self) -> None:
        """Check what was typed first: a refusal is shown here and the dialog stays open."""
        try:
            attrs.clean_title(self.title())
            for name, values in self.attributes().items():
                attrs.clean_values(attrs.attribute_key(name), values)
        except USER_ERRORS as exc:
            reason = user_message(exc)
            self.status.setText(f"{reason[:1].upper()}{reason[1:]}.")
            return
        super().accept()


def edit_document_attributes(host: ActionHost, document_id: int) -> AttributesDialog | None:
    """Open the editor on a work; OK saves title and attributes as one undoable action."""
    session = host.session
    if session is None:
        return None
    try:
        view = load_document(session.store, document_id)
    except USER_ERRORS as exc:
        session.failed.emit(user_message(exc))
        return None
    dialog = AttributesDialog(view.title, view.attributes, host.window())
    store = session.store
    original = (view.title, _keyed(view.attributes))

    def save() -> None:
        title, attributes = dialog.title(), dialog.attributes()
        if (" ".join(title.split()), _keyed(attributes)) == original:
            return  # nothing changed: no undo step
        session.run(lambda: document_commands.edit_document(store, document_id, title, attributes))

    dialog.accepted.connect(save)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    host.keep_dialog(dialog)
    return dialog


def _keyed(attributes: dict[str, list[str]]) -> dict[str, Sequence[str]]:
    """Attributes as the store would keep them, to tell whether anything was changed."""
    try:
        return {attrs.attribute_key(k): attrs.clean_values(k, v) for k, v in attributes.items() if v}
    except USER_ERRORS:
        return {}


def edit_current_document_attributes(host: MenuHost) -> AttributesDialog | None:
    """The menu's entry: edit the work chosen in the Documents dock, else the one open."""
    workspace = host.workspace
    if workspace is None:
        return None
    document_id = workspace.documents.current_document_id()
    if document_id is None and workspace.pane.document is not None:
        document_id = workspace.pane.document.id
    if document_id is None:
        if host.session is not None:
            host.session.failed.emit("choose a work in the Documents list first")
        return None
    return edit_document_attributes(host, document_id)
