"""Help ▸ Keyboard shortcuts: a list generated from the window's actions, so it is never stale."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _keys(action: QAction) -> str:
    return ", ".join(
        s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts() if not s.isEmpty()
    )


def _label(action: QAction) -> str:
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")


def shortcut_table(window: QMainWindow) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(menu title, [(action, keys)])]`` for every action with a shortcut, menus first."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    seen: set[int] = set()

    def collect(menu: QMenu, title: str) -> None:
        rows: list[tuple[str, str]] = []
        for action in menu.actions():
            if action.menu() is not None:
                collect(action.menu(), f"{title} ▸ {_label(action)}")  # type: ignore[arg-type]
                continue
            keys = _keys(action)
            if keys and id(action) not in seen:
                seen.add(id(action))
                rows.append((_label(action), keys))
        if rows:
            groups.append((title, rows))

    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            collect(menu, _label(action))
    others = [
        (_label(a), _keys(a))
        for a in window.findChildren(QAction)
        if _keys(a) and id(a) not in seen and a.text()
    ]
    if others:
        groups.append(("Other", sorted(set(others))))
    return groups


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard shortcuts")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        for title, rows in shortcut_table(window):
            group = QTreeWidgetItem([title, ""])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(group)
            for label, keys in rows:
                group.addChild(QTreeWidgetItem([label, keys]))
        self.tree.expandAll()
        self.tree.setColumnWidth(0, 300)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(520, 600)
