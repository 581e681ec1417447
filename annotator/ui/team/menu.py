"""The "Team" menu: merge coders' copies, agreement, comparison and adjudication.

The main window calls :func:`add_team_menu` once, naming the menu it goes before; the actions act
on whatever project is open, and the window enables them only while one is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from annotator.ui.actions import ActionHost, add_menu_action

if TYPE_CHECKING:
    from annotator.ui.team.agreement_dialog import AgreementDialog
    from annotator.ui.team.comparison_window import ComparisonWindow
    from annotator.ui.team.merge_action import MergeAction

# Each action imports what it opens when it runs: the statistics and adjudication behind them
# (numpy among them) are not needed to show the first window.


class TeamMenu:
    def __init__(self, host: ActionHost, before: QMenu | None = None) -> None:
        self.host = host
        self.merges: list[MergeAction] = []  # kept alive while their workers run
        bar = host.menuBar()
        self.menu = QMenu("&Team", bar)
        if before is None:
            bar.addMenu(self.menu)
        else:
            bar.insertMenu(before.menuAction(), self.menu)
        window = host.window()
        self.actions = [
            add_menu_action(window, self.menu, "&Merge coder projects…", [], self.merge),
            add_menu_action(window, self.menu, "&Agreement…", ["Ctrl+Shift+K"], self.agreement),
            add_menu_action(window, self.menu, "&Compare and adjudicate…", ["Ctrl+Shift+J"], self.compare),
        ]

    def merge(self) -> MergeAction | None:
        from annotator.ui.team.merge_action import MergeAction

        session = self.host.session
        if session is None:
            return None
        action = MergeAction(session, self.host.window())
        self.merges = [m for m in self.merges if m.worker is None or not m.worker.done.is_set()] + [action]
        action.ask_and_run()
        return action

    def agreement(self) -> AgreementDialog | None:
        from annotator.ui.team.agreement_dialog import AgreementDialog

        session = self.host.session
        if session is None:
            return None
        dialog = AgreementDialog(session, self.host.window())
        self.host.keep_dialog(dialog)  # the window closes it with the project
        return dialog

    def compare(self) -> ComparisonWindow | None:
        from annotator.ui.team.comparison_window import ComparisonWindow

        session = self.host.session
        if session is None:
            return None
        dialog = ComparisonWindow(session, parent=self.host.window())
        self.host.keep_dialog(dialog)
        return dialog


def add_team_menu(host: ActionHost, before: QMenu | None = None) -> TeamMenu:
    """Add the Team menu to ``host``'s menu bar, before ``before`` (the Help menu) or at the end."""
    return TeamMenu(host, before)
