"""File ▸ Import REFI-QDA project…: chosen in the real file dialog, problems listed in plain text,
and Ctrl+Z takes the whole import back (documents, codings, codes and coders)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from annotator.services.codebook import list_codes
from annotator.services.coders import list_coders
from annotator.services.documents import list_documents
from annotator.ui.main_window import MainWindow
from tests.io.refi_builders import nvivo_project, selection
from tests.ui.popups import pick_file, when_modal


def test_a_qdpx_comes_in_lists_what_it_could_not_place_and_undoes(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    assert window.workspace is not None
    store = window.workspace.session.store
    before = len(list_documents(store))
    codes_before, coders_before = list_codes(store), list_coders(store)
    source = tmp_path / "<b>team.qdpx"
    source.write_bytes(nvivo_project("Na mi van?\r\nNem <img src=x>", selection(0, 2) + selection(5, 999)))
    shown: list[QMessageBox] = []

    def close(box: QWidget) -> None:
        if not isinstance(box, QMessageBox):  # still the file dialog: wait for the report
            QTimer.singleShot(20, lambda: when_modal(close))
            return
        shown.append(box)
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    when_modal(pick_file(qtbot, source))
    QTimer.singleShot(50, lambda: when_modal(close))
    [action] = [
        a for a in window.menus.file.actions() if a.text().replace("&", "") == "Import REFI-QDA project…"
    ]
    action.trigger()
    qtbot.waitUntil(lambda: bool(shown))
    assert window.statusBar().currentMessage().startswith("Imported 1 document and 1 coding")
    [box] = shown
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "Not placed: videos_selection: selection 5–999" in box.text()
    assert len(list_documents(store)) == before + 1
    assert len(list_codes(store)) == len(codes_before) + 2 and len(list_coders(store)) > len(coders_before)
    assert window.workspace.session.undo_stack.undo_text == "Import REFI-QDA project"
    window.activateWindow()  # back from the dialogs: offscreen Qt does not hand the keyboard back
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.workspace.documents.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(list_documents(store)) == before)
    assert list_codes(store) == codes_before and list_coders(store) == coders_before  # one step took all
