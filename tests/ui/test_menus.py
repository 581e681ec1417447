"""The menu bar on a real window: its menus in order, the Team menu before Help, project actions
that follow the open project, and Edit ▸ Undo/Redo stepping the project by action and by key, each
step named in the menu and said in the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.services.annotations import list_annotations
from annotator.ui.main_window import MainWindow
from annotator.ui.viewer import DocumentViewer

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _select_with_keys(qtbot: QtBot, viewer: DocumentViewer, start: int, end: int) -> None:
    """Select ``[start, end)`` of an ASCII text as a researcher does with the keyboard."""
    viewer.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_Home, CTRL)
    for _ in range(start):
        qtbot.keyClick(viewer, Qt.Key.Key_Right)
    for _ in range(end - start):
        qtbot.keyClick(viewer, Qt.Key.Key_Right, SHIFT)
    assert viewer.selected_span() == (start, end)


def test_the_menus_are_built_in_order_with_team_just_before_help(window: MainWindow) -> None:
    bar = window.menuBar()
    assert [a.text() for a in bar.actions()] == [
        "&File",
        "&Edit",
        "&Coding",
        "Co&des",
        "&View",
        "&Team",
        "&Help",
    ]
    menus = window.menus
    made = [menus.file, menus.edit, menus.coding, menus.codes, menus.view, menus.help]
    assert [m.menuAction() for m in made] == [a for a in bar.actions() if a.text() != "&Team"]
    assert bar.actions()[-2:] == [window.team_menu.menu.menuAction(), menus.help.menuAction()]
    assert [a.text() for a in menus.help.actions()] == ["&Keyboard shortcuts", "&About Annotator"]
    assert menus.undo in menus.edit.actions() and menus.redo in menus.edit.actions()


def test_project_actions_including_the_team_menus_follow_the_open_project(window: MainWindow) -> None:
    team = window.team_menu.actions
    assert all(a in window.menus.project_actions for a in team)
    undo_redo = {window.menus.undo, window.menus.redo}  # enabled by the undo stack, not the project
    assert all(a.isEnabled() for a in window.menus.project_actions if a not in undo_redo)
    assert window.menus.coding.isEnabled() and not window.menus.coding.isEmpty()
    window.close_project()
    assert not any(a.isEnabled() for a in window.menus.project_actions)
    assert not window.menus.coding.isEnabled() and window.menus.coding.isEmpty()
    assert not window.menus.undo.isEnabled() and not window.menus.redo.isEnabled()


def test_undo_and_redo_by_action_and_by_key_step_the_open_project(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    store, doc_id, viewer = ws.session.store, ws.pane.document.id, ws.pane.viewer
    undo, redo = window.menus.undo, window.menus.redo
    assert not undo.isEnabled() and not redo.isEnabled()

    _select_with_keys(qtbot, viewer, 4, 20)
    qtbot.keyClick(viewer, Qt.Key.Key_1)
    [annotation] = list_annotations(store, doc_id)
    assert undo.isEnabled() and undo.text() == "&Undo Apply “Trope”" and not redo.isEnabled()
    status = window.statusBar()
    assert status.currentMessage() == "Coded 16 characters as “Trope”."

    undo.trigger()
    assert list_annotations(store, doc_id) == [] and viewer.highlight(annotation.id) is None
    assert redo.isEnabled() and redo.text() == "&Redo Apply “Trope”" and not undo.isEnabled()
    assert status.currentMessage() == "Undid: Apply “Trope”"
    redo.trigger()
    assert [a.id for a in list_annotations(store, doc_id)] == [annotation.id]
    assert viewer.highlight(annotation.id) is not None
    assert status.currentMessage() == "Redid: Apply “Trope”"

    qtbot.keyClick(viewer, Qt.Key.Key_Z, CTRL)
    assert list_annotations(store, doc_id) == []
    assert status.currentMessage() == "Undid: Apply “Trope”"
    qtbot.keyClick(viewer, Qt.Key.Key_Y, CTRL)  # the second Redo key
    assert [a.id for a in list_annotations(store, doc_id)] == [annotation.id]
    assert status.currentMessage() == "Redid: Apply “Trope”"
    qtbot.keyClick(viewer, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(viewer, Qt.Key.Key_Z, CTRL | SHIFT)
    assert [a.id for a in list_annotations(store, doc_id)] == [annotation.id]
    assert undo.isEnabled() and not redo.isEnabled()


def test_undo_and_redo_keys_do_nothing_on_the_start_page(window: MainWindow, qtbot: QtBot) -> None:
    window.close_project()
    assert window.session is None
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_Y, CTRL)
    window.undo()
    window.redo()
    assert window.last_error == "" and not window.menus.undo.isEnabled()
