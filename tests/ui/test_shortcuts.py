"""Help ▸ Keyboard shortcuts lists the window's real actions and keys; undo menu texts follow the stack."""

from __future__ import annotations

from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog, shortcut_table
from annotator.ui.main_window import MainWindow


def test_shortcuts_dialog_is_generated_from_the_actions(window: MainWindow) -> None:
    table = dict(shortcut_table(window))
    edit = dict(table["Edit"])
    assert edit["Undo"] == "Ctrl+Z"
    assert edit["Redo"] == "Ctrl+Shift+Z, Ctrl+Y"
    assert edit["Search project"] == "Ctrl+Shift+F"
    coding = dict(table["Coding"])
    assert coding["Quick pick a code"] == "Ctrl+K, Q"
    assert coding["In-vivo code"] == "Ctrl+I"
    applies = dict(table["Coding ▸ Apply code"])
    assert applies["Apply “Trope”"] == "1" and len(applies) == 10  # keys 1–9 and 0
    # A new shortcut on any menu action shows up without editing a list.
    window.menus.show_others.setShortcut("Ctrl+Alt+H")
    assert dict(dict(shortcut_table(window))["View"])["Show other coders' annotations"] == "Ctrl+Alt+H"
    dialog = ShortcutsDialog(window)
    assert dialog.tree.topLevelItemCount() == len(shortcut_table(window))


def test_undo_and_redo_menu_texts_name_the_action(window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None
    assert not window.menus.undo.isEnabled()
    ws.pane.viewer.select_span(0, 10)
    assert ws.coding.apply_shortcut(2)
    assert window.menus.undo.isEnabled() and window.menus.undo.text() == "&Undo Apply “Enemies to lovers”"
    window.menus.undo.trigger()
    assert window.menus.redo.text() == "&Redo Apply “Enemies to lovers”" and not window.menus.undo.isEnabled()
