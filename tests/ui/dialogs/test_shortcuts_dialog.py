"""Help ▸ Keyboard shortcuts: built from the window's own actions, grouped by menu and sub-menu, each
action once, menu accelerators and trailing dots dropped, and shortcuts outside the menus under
"Other"; the dialog shows the groups as bold headings over their rows."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from annotator.ui.dialogs.shortcuts_dialog import ShortcutsDialog, shortcut_table


def _action(window: QMainWindow, text: str, *keys: str) -> QAction:
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(k) for k in keys])
    return action


def _window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    file = window.menuBar().addMenu("&File")
    new = _action(window, "&New project…", "Ctrl+N")
    file.addAction(new)
    file.addAction(_action(window, "Save && &quit", "Ctrl+Q"))
    file.addAction(_action(window, "&About"))  # no shortcut: not listed
    coding = window.menuBar().addMenu("&Coding")
    apply = coding.addMenu("&Apply code")
    apply.addAction(_action(window, "Apply “Trope”", "1"))
    apply.addAction(_action(window, "Apply “Pining”", "2"))
    coding.addAction(new)  # the same action in a second menu is listed once
    coding.addAction(_action(window, "Quick pick a code…", "Ctrl+K", "Q"))
    window.addAction(_action(window, "Next work", "Ctrl+PgDown"))  # a window shortcut, in no menu
    return window


def test_the_table_groups_every_shortcut_by_menu_once_with_readable_labels(qtbot: QtBot) -> None:
    window = _window(qtbot)
    table = shortcut_table(window)
    assert table == [
        ("File", [("New project", "Ctrl+N"), ("Save & quit", "Ctrl+Q")]),
        ("Coding ▸ Apply code", [("Apply “Trope”", "1"), ("Apply “Pining”", "2")]),
        ("Coding", [("Quick pick a code", "Ctrl+K, Q")]),
        ("Other", [("Next work", "Ctrl+PgDown")]),
    ]


def test_a_shortcut_added_later_is_listed_without_editing_any_list(qtbot: QtBot) -> None:
    window = _window(qtbot)
    about = next(a for a in window.findChildren(QAction) if a.text() == "&About")
    about.setShortcut(QKeySequence("F1"))
    assert dict(dict(shortcut_table(window))["File"])["About"] == "F1"


def test_the_dialog_shows_each_group_as_a_bold_heading_over_its_shortcuts(qtbot: QtBot) -> None:
    window = _window(qtbot)
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tree = dialog.tree
    headings = [h for i in range(tree.topLevelItemCount()) if (h := tree.topLevelItem(i)) is not None]
    assert [h.text(0) for h in headings] == ["File", "Coding ▸ Apply code", "Coding", "Other"]
    assert all(h.font(0).bold() and h.isExpanded() for h in headings)
    file = headings[0]
    rows = [(r.text(0), r.text(1)) for i in range(file.childCount()) if (r := file.child(i)) is not None]
    assert rows == [("New project", "Ctrl+N"), ("Save & quit", "Ctrl+Q")]
