"""The "Team" menu: merge coders' copies, agreement, comparison and adjudication.

The main window calls :func:`add_team_menu` once; the actions act on whatever project is open
and are enabled only while one is (they join the window's project actions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QWidget

from annotator.ui.team.agreement_dialog import AgreementDialog
from annotator.ui.team.comparison_window import ComparisonWindow
from annotator.ui.team.merge_action import MergeAction

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


class TeamMenu:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.merges: list[MergeAction] = []  # kept alive while their workers run
        bar = window.menuBar()
        self.menu = QMenu("&Team", bar)
        help_action = next((a for a in bar.actions() if a.text() == "&Help"), None)
        if help_action is None:
            bar.addMenu(self.menu)
        else:
            bar.insertMenu(help_action, self.menu)
        add = window.add_action
        self.actions = [
            add(self.menu, "&Merge coder projects…", [], self.merge),
            add(self.menu, "&Agreement…", ["Ctrl+Shift+K"], self.agreement),
            add(self.menu, "&Compare and adjudicate…", ["Ctrl+Shift+J"], self.compare),
        ]
        for action in self.actions:
            window.addAction(action)
        window.menus.project_actions.extend(self.actions)

    def _show(self, dialog: QWidget) -> QWidget:
        kept = self.window.dialogs  # the window closes these with the project
        kept.append(dialog)
        dialog.destroyed.connect(lambda *_: kept.remove(dialog) if dialog in kept else None)
        dialog.show()
        return dialog

    def merge(self) -> MergeAction | None:
        if self.window.session is None:
            return None
        action = MergeAction(self.window.session, self.window)
        self.merges = [m for m in self.merges if m.worker is None or not m.worker.done.is_set()] + [action]
        action.ask_and_run()
        return action

    def agreement(self) -> AgreementDialog | None:
        if self.window.session is None:
            return None
        dialog = AgreementDialog(self.window.session, self.window)
        self._show(dialog)
        return dialog

    def compare(self) -> ComparisonWindow | None:
        if self.window.session is None:
            return None
        dialog = ComparisonWindow(self.window.session, parent=self.window)
        self._show(dialog)
        return dialog


def add_team_menu(window: MainWindow) -> TeamMenu:
    return TeamMenu(window)
