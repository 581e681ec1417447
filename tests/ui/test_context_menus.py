"""Right-click menus on a work in the Documents dock and on an annotation in the text, chosen with
the keyboard after a real right-click, answered in the dialogs they open."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QInputDialog, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from annotator.services.annotations import list_annotations
from annotator.services.documents import list_documents
from annotator.ui.dialogs.export_dialog import ExportDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace
from tests.ui.popups import choose_in_menu, click_button, right_click, when_modal

SHIFT = Qt.KeyboardModifier.ShiftModifier


def _workspace(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _activate(qtbot: QtBot, window: MainWindow) -> None:
    """Back from a menu or a dialog, the window has the keyboard (offscreen Qt does not hand it back)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _right_click_work(qtbot: QtBot, ws: Workspace, row: int) -> None:
    table = ws.documents.table
    right_click(qtbot, table.viewport(), table.visualRect(ws.documents.proxy.index(row, 0)).center())


def _code_the_start(qtbot: QtBot, window: MainWindow, length: int) -> int:
    """Select the first ``length`` characters with the keyboard, press 1; the new annotation's id."""
    ws = _workspace(window)
    _activate(qtbot, window)
    viewer = ws.pane.viewer
    viewer.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(length):
        qtbot.keyClick(viewer, Qt.Key.Key_Right, SHIFT)
    qtbot.keyClick(viewer, Qt.Key.Key_1)
    [annotation] = list_annotations(ws.session.store)
    qtbot.keyClick(viewer, Qt.Key.Key_End)  # no selection left: the menu is about the highlight
    return annotation.id


def _right_click_highlight(qtbot: QtBot, ws: Workspace, annotation_id: int) -> None:
    viewer = ws.pane.viewer
    highlight = viewer.highlight(annotation_id)
    assert highlight is not None
    rect = viewer.span_rects(highlight.start, highlight.end)[0]
    right_click(qtbot, viewer.viewport(), rect.center().toPoint())


def _type_and_ok(qtbot: QtBot, text: str) -> object:
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog), type(dialog)
        edit = dialog.findChild(QPlainTextEdit)
        assert edit is not None
        qtbot.keyClicks(edit, text)
        dialog.accept()  # the OK button, as Ctrl+Enter is not bound in a multi-line QInputDialog

    return answer


def test_delete_a_work_from_its_menu_and_undo(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    before = [d.id for d in list_documents(ws.session.store)]
    doc = ws.documents.model.document_at(1)
    assert doc is not None
    seen: list[list[str]] = []
    asked: list[str] = []
    when_modal(click_button(qtbot, asked, QMessageBox.StandardButton.Yes))
    choose_in_menu("Delete work…", seen=seen)
    _right_click_work(qtbot, ws, 1)
    assert seen[0] == [
        "Open",
        "Document memo…",
        "Export segments of this work…",
        "Edit title and attributes…",
        "Versions…",
        "Delete work…",
    ]
    assert asked[0].startswith(f"Delete “{doc.title}”?")
    assert [d.id for d in list_documents(ws.session.store)] == [i for i in before if i != doc.id]
    assert ws.documents.model.row_of(doc.id) < 0
    assert window.statusBar().currentMessage() == f"Deleted “{doc.title}”. Ctrl+Z undoes."
    _activate(qtbot, window)
    qtbot.keyClick(ws.documents.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [d.id for d in list_documents(ws.session.store)] == before
    assert ws.documents.model.row_of(doc.id) >= 0


def test_declining_the_deletion_keeps_the_work(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    before = list_documents(ws.session.store)
    when_modal(click_button(qtbot, [], QMessageBox.StandardButton.No))
    choose_in_menu("Delete work…")
    _right_click_work(qtbot, ws, 0)
    assert list_documents(ws.session.store) == before


def test_export_segments_of_one_work_opens_the_export_filtered_to_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = _workspace(window)
    doc = ws.documents.model.document_at(2)
    assert doc is not None
    choose_in_menu("Export segments of this work…")
    _right_click_work(qtbot, ws, 2)
    [dialog] = [d for d in window.dialogs if isinstance(d, ExportDialog)]
    assert dialog.isVisible() and dialog.document.currentData() == doc.id
    dialog.close()


def test_document_memo_from_the_menu_opens_the_work_and_saves_the_memo(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = _workspace(window)
    doc = ws.documents.model.document_at(3)
    assert doc is not None
    when_modal(_type_and_ok(qtbot, "Read for the pining arc"))  # type: ignore[arg-type]
    choose_in_menu("Document memo…")
    _right_click_work(qtbot, ws, 3)
    assert ws.pane.document is not None and ws.pane.document.id == doc.id
    assert ws.pane.document.memo == "Read for the pining arc"


def test_recode_an_annotation_from_the_text(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    annotation_id = _code_the_start(qtbot, window, 9)
    target = ws.session.codes[2]

    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog), type(dialog)
        combo = dialog.findChild(QComboBox)
        assert combo is not None
        combo.setFocus()
        index = next(i for i in range(combo.count()) if combo.itemText(i).endswith(target.name))
        for _ in range(index - combo.currentIndex()):
            qtbot.keyClick(combo, Qt.Key.Key_Down)
        qtbot.keyClick(combo, Qt.Key.Key_Return)

    seen: list[list[str]] = []
    when_modal(pick)
    choose_in_menu("Change code…", seen=seen)
    _right_click_highlight(qtbot, ws, annotation_id)
    assert seen[0][:5] == [
        "Annotation: Trope",
        "Change code…",
        "Edit memo…",
        "Copy quote",
        "Remove annotation",
    ]
    [annotation] = list_annotations(ws.session.store)
    assert annotation.code_id == target.id


def test_memo_copy_and_remove_from_the_text(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    annotation_id = _code_the_start(qtbot, window, 12)
    [annotation] = list_annotations(ws.session.store)

    when_modal(_type_and_ok(qtbot, "first impression"))  # type: ignore[arg-type]
    choose_in_menu("Edit memo…")
    _right_click_highlight(qtbot, ws, annotation_id)
    assert list_annotations(ws.session.store)[0].memo == "first impression"

    QGuiApplication.clipboard().clear()
    choose_in_menu("Copy quote")
    _right_click_highlight(qtbot, ws, annotation_id)
    assert QGuiApplication.clipboard().text() == annotation.quote

    choose_in_menu("Remove annotation")
    _right_click_highlight(qtbot, ws, annotation_id)
    assert list_annotations(ws.session.store) == []
    assert ws.pane.viewer.highlight(annotation_id) is None


def test_right_click_on_plain_text_keeps_copy_and_select_all(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    seen: list[list[str]] = []
    choose_in_menu("(look only)", seen=seen)
    right_click(qtbot, ws.pane.viewer.viewport(), QPoint(40, 12))
    texts = [t.split("\t")[0] for t in seen[0]]
    assert "Copy" in texts and "Select All" in texts
    assert not any(t.startswith("Annotation:") for t in texts)
