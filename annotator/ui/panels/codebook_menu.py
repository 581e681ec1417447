"""The codebook's right-click menu: apply, assign a number key, rename, colour, add a sub-code, delete.

It holds the panel's own ``QAction`` objects (the toolbar's and the Codes menu's), so shortcuts and
enabled states are the same wherever an action is shown; only "Assign key" is its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from annotator.ui.key_assignments import KEYS
from annotator.ui.plain import no_mnemonic

if TYPE_CHECKING:
    from annotator.ui.panels.codebook_panel import CodebookPanel

NO_KEY = "None"


def build_codebook_menu(panel: CodebookPanel) -> QMenu:
    """The menu for the current code (only "Add code…" when the click was on no code)."""
    menu = QMenu(panel)
    code = panel.current_code()
    if code is None:
        menu.addAction(panel.add_action)
        return menu
    menu.addAction(panel.apply_action)
    keys = menu.addMenu("Assign &key")
    current = panel.keys.key_of(code.id)
    holders = {
        key: other
        for other_id, key in panel.keys.keys_by_code().items()
        if (other := panel.session.code(other_id))
    }
    group = QActionGroup(keys)
    for key in (*KEYS, None):
        text = NO_KEY if key is None else str(key)
        holder = holders.get(key) if key is not None else None
        if holder is not None and holder.id != code.id:  # the code that would give the key up
            text += f"  ({no_mnemonic(holder.name)})"
        action = QAction(text, keys)
        action.setCheckable(True)
        action.setChecked(key == current)
        action.triggered.connect(lambda _c=False, k=key, cid=code.id: panel.keys.assign(cid, k))
        group.addAction(action)
        keys.addAction(action)
    menu.addSeparator()
    menu.addActions([panel.rename_action, panel.recolour_action, panel.add_child_action])
    menu.addSeparator()
    menu.addActions([panel.merge_action, panel.delete_action])
    return menu


def show_codebook_menu(panel: CodebookPanel, pos: QPoint) -> None:
    """Right-click at ``pos`` (tree viewport coordinates): the clicked code becomes current first."""
    tree = panel.tree
    index = tree.indexAt(pos)
    code = panel.model.code_at(index)
    panel.select_code(code.id if code is not None else None)
    menu = build_codebook_menu(panel)
    menu.exec(tree.viewport().mapToGlobal(pos))
    menu.deleteLater()
