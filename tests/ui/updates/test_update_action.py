"""File ▸ Update work…: the new download chosen in the real file dialog, the update run in a worker
as one undo step, the counts shown as plain text, and Ctrl+Z bringing the old text back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.services.documents import document_text
from annotator.services.work_updates import versions_of
from annotator.ui.main_window import MainWindow
from annotator.ui.models.segments_model import code_label
from annotator.ui.updates.review_window import ReviewWindow
from annotator.ui.updates.update_action import BY_WORK_ID, UpdateWorkDialog
from tests.ui.popups import pick_file, when_modal
from tests.ui.updates.edited_work import coded_and_edited


def _menu_dialog(window: MainWindow) -> UpdateWorkDialog:
    [action] = [a for a in window.menus.file.actions() if a.text().replace("&", "") == "Update work…"]
    action.trigger()
    [dialog] = [d for d in window.dialogs if isinstance(d, UpdateWorkDialog)]
    return dialog


def test_an_update_from_the_file_menu_counts_what_moved_and_undoes(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    store = ws.session.store
    work = coded_and_edited(store, tmp_path)
    ws.open_document(work.document_id)
    dialog = _menu_dialog(window)
    assert not dialog.update_button.isEnabled()  # nothing chosen yet
    when_modal(pick_file(qtbot, work.path))
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.path == work.path)
    # A text file carries no AO3 work id: the open work is the one it updates.
    assert dialog.document.currentData() == work.document_id
    with qtbot.waitSignal(dialog.updated, timeout=20_000):
        qtbot.mouseClick(dialog.update_button, Qt.MouseButton.LeftButton)
    assert dialog.status.textFormat() == Qt.TextFormat.PlainText
    assert dialog.status.text() == (
        f"“{work.title}” is now version 2: 1 annotation re-attached exactly, 1 on edited text, 1 orphaned."
    )
    rows = {cells[0]: cells[1:] for cells in dialog.counts.cell_texts()}
    assert rows["All annotations"] == ["1", "1", "1", "3"]
    assert rows["Coder alice"] == ["1", "1", "0", "2"]
    assert rows["Coder <b>bob</b>"] == ["0", "0", "1", "1"]  # as typed, never as markup
    assert rows[f"Code {code_label(work.code_names['kept'])}"] == ["1", "0", "1", "2"]
    assert dialog.review_button.isVisible() and dialog.review_button.text() == "&Review 2…"
    # The open work now shows the new version; the old one is kept.
    assert ws.pane.viewer.text() == work.new_text
    assert [v.number for v in versions_of(store, work.document_id)] == [1, 2]
    dialog.grab().save(str(tmp_path / "update-result.png"))
    # Review… opens the queue of this work's two moved annotations.
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    [review] = [d for d in window.dialogs if isinstance(d, ReviewWindow)]
    assert [item.kind for item in review.model.items()] == ["changed", "orphaned"]
    review.close()
    # One undo step puts the old text back, in the store and on screen.
    assert ws.session.undo_stack.undo_text == f"Update “{work.title}”"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(ws.documents.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: document_text(store, work.document_id) == work.old_text)
    assert ws.pane.viewer.text() == work.old_text
    assert [v.number for v in versions_of(store, work.document_id)] == [1]


def test_a_refused_update_says_why_and_changes_nothing(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    store = ws.session.store
    work = coded_and_edited(store, tmp_path)
    dialog = _menu_dialog(window)
    dialog.set_path(work.path)
    # Matching by AO3 work id: a text file has none, so the update is refused with the reason.
    dialog.document.setCurrentIndex(dialog.document.findData(BY_WORK_ID))
    qtbot.mouseClick(dialog.update_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Not updated:"), timeout=20_000)
    assert "no AO3 work id" in dialog.status.text()
    assert dialog.update_button.isEnabled()  # the researcher can choose the document and try again
    assert document_text(store, work.document_id) == work.old_text
    assert not ws.session.undo_stack.can_undo


def test_the_project_file_itself_is_refused_before_it_is_read(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    store = ws.session.store
    if not store.is_sqlite:
        pytest.skip("a server project has no file to pick")
    dialog = _menu_dialog(window)
    dialog.set_path(Path(store.location))
    qtbot.mouseClick(dialog.update_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text().endswith("is this project's own file, not a work.")
    assert dialog.worker is None
