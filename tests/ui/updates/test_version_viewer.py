"""View ▸ Versions of this work…: every version listed, an old one opened read-only by keyboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.services.version_commands import UpdateWork
from annotator.services.work_updates import update_document
from annotator.ui.main_window import MainWindow
from annotator.ui.updates.version_viewer import VersionsDialog
from tests.ui.popups import choose_in_menu, right_click
from tests.ui.updates.edited_work import coded_and_edited


def test_an_old_version_opens_read_only_from_the_view_menu(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    store = ws.session.store
    work = coded_and_edited(store, tmp_path)
    report = update_document(store, work.path, document_id=work.document_id)
    ws.session.record(UpdateWork.of(store, report), report.change)
    ws.open_document(work.document_id)
    [action] = [
        a for a in window.menus.view.actions() if a.text().replace("&", "") == "Versions of this work…"
    ]
    action.trigger()
    [dialog] = [d for d in window.dialogs if isinstance(d, VersionsDialog)]
    qtbot.waitExposed(dialog)
    rows = [
        [dialog.table.item(r, c).text() for c in (0, 2)]  # type: ignore[union-attr]
        for r in range(dialog.table.rowCount())
    ]
    assert rows == [["1", f"{len(work.old_text):,}"], ["2 (current)", f"{len(work.new_text):,}"]]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up)  # the current version is selected first
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(dialog.viewers))
    [shown] = dialog.viewers
    assert shown.viewer.text() == work.old_text
    assert shown.viewer.isReadOnly()
    assert shown.windowTitle() == f"{work.title} — version 1 (read-only)"
    # Typing into it changes nothing: it is a viewer.
    shown.viewer.setFocus()
    qtbot.keyClicks(shown.viewer, "xyz")
    assert shown.viewer.text() == work.old_text
    assert shown.viewer.toPlainText().count("xyz") == work.old_text.count("xyz")


def test_a_works_right_click_menu_lists_its_versions(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    store = ws.session.store
    work = coded_and_edited(store, tmp_path)
    report = update_document(store, work.path, document_id=work.document_id)
    ws.session.record(UpdateWork.of(store, report), report.change)
    row = ws.documents.proxy.mapFromSource(
        ws.documents.model.index(ws.documents.model.row_of(work.document_id), 0)
    )
    choose_in_menu("Versions…")
    right_click(qtbot, ws.documents.table.viewport(), ws.documents.table.visualRect(row).center())
    qtbot.waitUntil(lambda: any(isinstance(d, VersionsDialog) for d in window.dialogs))
    [dialog] = [d for d in window.dialogs if isinstance(d, VersionsDialog)]
    assert dialog.document_id == work.document_id
    assert dialog.table.rowCount() == 2
