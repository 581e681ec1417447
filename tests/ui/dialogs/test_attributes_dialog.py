"""Edit ▸ Document title and attributes…: typed into, OK'd, shown everywhere, undone with Ctrl+Z."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from annotator.services.documents import load_document
from annotator.ui.dialogs.attributes_dialog import AttributesDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.models.documents_model import COL_TITLE

HOSTILE = "<img src=/dev/zero>"


def _open_editor(window: MainWindow, qtbot: QtBot, row: int) -> tuple[AttributesDialog, int]:
    """Click a work in the Documents dock and press the menu's shortcut, as a researcher would."""
    ws = window.workspace
    assert ws is not None
    table = ws.documents.table
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(table.model().index(row, 0)).center(),
    )
    document_id = ws.documents.current_document_id()
    assert document_id is not None
    qtbot.keyClick(
        table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialogs = [d for d in window.dialogs if isinstance(d, AttributesDialog)]
    assert len(dialogs) == 1
    qtbot.waitExposed(dialogs[0])
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialogs[0])
    return dialogs[0], document_id


def _type_in_cell(qtbot: QtBot, dialog: AttributesDialog, row: int, column: int, text: str) -> None:
    table = dialog.table
    rect = table.visualItemRect(table.item(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.item(row, column).text() == text)  # the view commits queued


def _click_ok(qtbot: QtBot, dialog: AttributesDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_a_plain_text_work_gets_a_title_and_a_rating_and_ctrl_z_takes_them_back(
    window: MainWindow, qtbot: QtBot
) -> None:
    store = window.session.store  # type: ignore[union-attr]
    dialog, document_id = _open_editor(window, qtbot, 0)
    old = load_document(store, document_id)
    assert dialog.title_edit.text() == old.title  # a demo title: the file's hash
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.title_edit, f"Foxes {HOSTILE}")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()  # the new row's attribute name, being edited
    assert isinstance(editor, QComboBox)
    assert editor.findText("Archive Warnings") >= 0  # AO3's names are offered
    qtbot.keyClicks(editor, "Rating")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.item(0, 0).text() == "Rating")  # the view commits queued
    _type_in_cell(qtbot, dialog, 0, 1, "Teen And Up Audiences")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)  # another value of the same
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    _type_in_cell(qtbot, dialog, 1, 1, "Fluff, with a comma")
    _click_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    stored = load_document(store, document_id)
    assert stored.title == f"Foxes {HOSTILE}"  # stored as typed, shown as text
    assert stored.attributes == {"rating": ["Teen And Up Audiences", "Fluff, with a comma"]}
    assert stored.text == old.text
    ws = window.workspace
    assert ws is not None
    row = ws.documents.model.row_of(document_id)
    assert ws.documents.model.index(row, COL_TITLE).data() == f"Foxes {HOSTILE}"
    assert ws.pane.document is not None and ws.pane.document.title == f"Foxes {HOSTILE}"
    assert window.menus.undo.text() == "&Undo Edit title and attributes"

    window.activateWindow()  # the dialog closed: the main window has the keyboard again
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(ws.documents.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert load_document(store, document_id).title == old.title
    assert load_document(store, document_id).attributes == {}
    assert ws.documents.model.index(row, COL_TITLE).data() == old.title


def test_a_bad_title_is_refused_in_the_dialog_and_nothing_is_saved(window: MainWindow, qtbot: QtBot) -> None:
    store = window.session.store  # type: ignore[union-attr]
    dialog, document_id = _open_editor(window, qtbot, 1)
    before = load_document(store, document_id)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Delete)
    _click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.status.text() == "The title is empty."
    assert dialog.status.textFormat() == Qt.TextFormat.PlainText
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert load_document(store, document_id) == before
    assert not window.session.undo_stack.can_undo  # type: ignore[union-attr]


def test_removing_a_value_row_removes_it_from_the_work(ao3_window: MainWindow, qtbot: QtBot) -> None:
    store = ao3_window.session.store  # type: ignore[union-attr]
    dialog, document_id = _open_editor(ao3_window, qtbot, 5)  # the first AO3 download
    fandoms = load_document(store, document_id).attributes["fandoms"]
    assert len(fandoms) >= 2
    table = dialog.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == fandoms[0])
    assert table.item(row, 0).text() == "Fandoms"  # AO3's label for the importer's key
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(row, 0)).center()
    )
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    _click_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    after = load_document(store, document_id).attributes
    assert after["fandoms"] == fandoms[1:]
    assert after["rating"] == ["Teen And Up Audiences"]  # the rest is as it was
