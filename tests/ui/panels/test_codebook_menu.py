"""Right-click on a code: its menu applies it, assigns it a number key (kept for this project and
this user across restarts), and offers the panel's own rename, colour, sub-code and delete."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from annotator.services.annotations import list_annotations
from annotator.services.codebook import list_codes
from annotator.store.project import open_project
from annotator.ui.main_window import MainWindow
from annotator.ui.models.codebook_model import COL_KEY
from annotator.ui.settings import AppSettings
from annotator.ui.workspace import Workspace
from tests.ui.popups import choose_in_menu, click_button, right_click, when_modal

SHIFT = Qt.KeyboardModifier.ShiftModifier


def _workspace(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _code_point(ws: Workspace, code_id: int) -> QPoint:
    tree = ws.codebook.tree
    index = ws.codebook.model.index_of(code_id)
    tree.scrollTo(index)
    return tree.visualRect(index).center()


def _key_shown(ws: Workspace, code_id: int) -> str:
    return str(ws.codebook.model.index_of(code_id, COL_KEY).data())


def _select(qtbot: QtBot, ws: Workspace, length: int) -> None:
    viewer = ws.pane.viewer
    ws.window.activateWindow()  # back from a menu: the window has the keyboard again
    qtbot.waitUntil(ws.window.isActiveWindow)
    viewer.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(length):
        qtbot.keyClick(viewer, Qt.Key.Key_Right, SHIFT)


def _right_click_code(qtbot: QtBot, ws: Workspace, code_id: int) -> None:
    right_click(qtbot, ws.codebook.tree.viewport(), _code_point(ws, code_id))


def test_a_key_assigned_from_the_menu_applies_its_code_and_survives_a_restart(
    window: MainWindow, qtbot: QtBot, app_settings: AppSettings
) -> None:
    ws = _workspace(window)
    codes = ws.session.codes
    first, late = codes[0], codes[12]  # "Trope" has key 1 by default; the thirteenth has none
    assert _key_shown(ws, first.id) == "1" and _key_shown(ws, late.id) == ""
    seen: list[list[str]] = []
    choose_in_menu("Assign key", f"1  ({first.name})", seen=seen)
    _right_click_code(qtbot, ws, late.id)
    assert seen[0][:2] == ["Apply to selection", "Assign key"]
    assert "Rename code" in seen[0] and "Delete code…" in seen[0]
    keys = [text.split("  (")[0] for text in seen[1]]  # each key, and the code that has it now
    assert keys == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "None"]
    assert seen[1][0] == f"1  ({first.name})" and seen[1][9] == "0"
    assert _key_shown(ws, late.id) == "1" and _key_shown(ws, first.id) == ""  # the key moved
    assert _key_shown(ws, codes[1].id) == "2"  # the other defaults stay

    _select(qtbot, ws, 6)
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_1)
    [annotation] = list_annotations(ws.session.store)
    assert annotation.code_id == late.id
    location = ws.session.store.location

    window.close()  # quitting and starting again on the same project
    store = open_project(location)
    again = MainWindow(app_settings)
    qtbot.addWidget(again)
    again.show()
    assert again.open_store(store)
    ws = _workspace(again)
    assert _key_shown(ws, late.id) == "1" and _key_shown(ws, first.id) == ""
    assert again.menus.coding.actions()[0].menu().actions()[0].text() == f"Apply “{late.name}”"
    again.close()


def test_key_zero_and_none_from_the_menu(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    first, second = ws.session.codes[0], ws.session.codes[1]
    choose_in_menu("Assign key", "0")
    _right_click_code(qtbot, ws, second.id)
    assert _key_shown(ws, second.id) == "0" and _key_shown(ws, first.id) == "1"
    choose_in_menu("Assign key", "None")
    _right_click_code(qtbot, ws, first.id)
    assert _key_shown(ws, first.id) == ""

    _select(qtbot, ws, 5)
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_1)  # no code has key 1 now: nothing is coded
    assert list_annotations(ws.session.store) == []
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_0)
    [annotation] = list_annotations(ws.session.store)
    assert annotation.code_id == second.id


def test_apply_and_delete_from_the_menu_use_the_panel_actions(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    code = ws.session.codes[3]
    _select(qtbot, ws, 8)
    choose_in_menu("Apply to selection")
    _right_click_code(qtbot, ws, code.id)
    [annotation] = list_annotations(ws.session.store)
    assert annotation.code_id == code.id and ws.pane.viewer.highlight(annotation.id) is not None

    asked: list[str] = []
    when_modal(click_button(qtbot, asked, QMessageBox.StandardButton.Yes))
    choose_in_menu("Delete code…")
    _right_click_code(qtbot, ws, code.id)
    assert asked and asked[0].startswith(f"Delete “{code.name}”?")
    assert code.id not in {c.id for c in list_codes(ws.session.store)}
    assert list_annotations(ws.session.store) == []


def test_right_click_on_no_code_offers_only_a_new_code(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    tree = ws.codebook.tree
    below = QPoint(20, tree.viewport().height() - 3)
    tree.collapseAll()
    assert not tree.indexAt(below).isValid()
    seen: list[list[str]] = []
    choose_in_menu("(nothing)", seen=seen)  # look, then close the menu
    right_click(qtbot, tree.viewport(), below)
    assert seen == [["Add code…"]]
