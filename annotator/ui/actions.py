"""What the menus ask of the window they sit in, and how a menu action is made.

The menu bar (:mod:`annotator.ui.menus`) and the Team menu (:mod:`annotator.ui.team.menu`) act
through the protocols below rather than through ``MainWindow`` itself, so neither imports the
main window: ``MainWindow`` satisfies them and hands itself over when it builds its menus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from annotator.ui.settings import AppSettings

if TYPE_CHECKING:  # only annotations: the first window imports neither (start-up time)
    from annotator.ui.session import ProjectSession
    from annotator.ui.workspace import Workspace


class ActionHost(Protocol):
    """A window whose menu actions act on the open project (what the Team menu needs)."""

    @property
    def session(self) -> ProjectSession | None:
        """The open project's session, or ``None`` on the start page."""
        ...

    def window(self) -> QWidget:
        """The top-level widget: parents actions and dialogs, and holds the shortcuts."""
        ...

    def menuBar(self) -> QMenuBar: ...

    def keep_dialog(self, dialog: QWidget) -> None:
        """Show a non-modal dialog and keep it alive until it or the project closes."""
        ...


class MenuHost(ActionHost, Protocol):
    """Everything the File, Edit, View and Help menus call (``MainWindow`` provides it)."""

    @property
    def settings(self) -> AppSettings: ...

    @property
    def workspace(self) -> Workspace | None: ...

    def show_message(self, text: str) -> None:
        """Say something in the status bar for a while."""
        ...

    def undo(self) -> None: ...

    def redo(self) -> None: ...

    def ask_new_project(self) -> None: ...

    def ask_open_project(self) -> None: ...

    def ask_server_url(self) -> None: ...

    def open_demo(self) -> None: ...

    def open_location(self, location: str) -> None: ...

    def close_project(self) -> None: ...

    def close(self) -> bool: ...

    def open_import_dialog(self) -> object: ...

    def open_export_dialog(self) -> object: ...

    def open_search_dialog(self) -> object: ...

    def open_shortcuts_dialog(self) -> object: ...

    def set_show_others(self, shown: bool) -> None: ...

    def focus_coder_switcher(self) -> None: ...


def add_menu_action(
    window: QWidget, menu: QMenu, text: str, keys: list[str], slot: Callable[[], object]
) -> QAction:
    """An action in ``menu`` whose shortcuts work in ``window`` even while the menu bar is hidden."""
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    window.addAction(action)
    return action
