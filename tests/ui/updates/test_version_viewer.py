"""View ▸ Versions of this work…: every version listed, an old one opened read-only by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from annotator.services.version_commands import UpdateWork
from annotator.services.work_updates import update_document
from annotator.ui.main_window import MainWindow
from annotator.ui.updates.version_viewer import VersionsDialog
from tests.ui.popups import choose_in_menu, right_click
from tests.ui.updates.edited_work import EditedWork, coded_and_edited


def _versions_dialog(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> tuple[EditedWork, VersionsDialog]:
    """A coded work updated once, open, and its versions dialog opened from the View menu."""
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
    return work, dialog


def test_an_old_version_opens_read_only_from_the_view_menu(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    work, dialog = _versions_dialog(window, qtbot, tmp_path)
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


def test_export_writes_the_selected_old_version_to_the_chosen_file(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, dialog = _versions_dialog(window, qtbot, tmp_path)
    target = tmp_path / "chosen" / "the old one.txt"
    target.parent.mkdir()
    asked: list[str] = []

    def choose(_parent: object, _caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), "Text files (*.txt)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up)  # from the current version to version 1
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert asked == [f"{work.title} - version 1.txt"]
    assert target.read_bytes() == work.old_text.encode("utf-8")
    assert dialog.status.textFormat() == Qt.TextFormat.PlainText
    assert dialog.status.text() == f"Wrote version 1 ({len(work.old_text):,} characters) to {target}."
    assert [p.name for p in target.parent.iterdir()] == ["the old one.txt"]
    # The current version exports the current text; cancelling the dialog writes nothing.
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    current = tmp_path / "chosen" / "current.txt"
    target = current
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert current.read_text(encoding="utf-8") == work.new_text
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_args: ("", "")))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert sorted(p.name for p in current.parent.iterdir()) == ["current.txt", "the old one.txt"]
