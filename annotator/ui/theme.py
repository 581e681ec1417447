"""View ▸ Theme: follow the system's light or dark setting, or keep the app light or dark.

The choice is remembered in the settings and applied at once to every window (the app's palette;
the viewer derives its highlight colours from the palette as it paints, so they stay readable:
see ``annotator.ui.viewer.colours``). While a fixed theme is chosen, a change of the system's
scheme does not override it.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from annotator.ui.palette import apply_palette
from annotator.ui.settings import AppSettings

SYSTEM, LIGHT, DARK = "system", "light", "dark"
THEMES = {SYSTEM: "&System", LIGHT: "&Light", DARK: "&Dark"}

_chosen = {"theme": SYSTEM}  # what the scheme-change handler re-applies
_following: set[int] = set()  # applications whose scheme changes this module listens to


def _reapply(app: QApplication) -> None:
    apply_palette(app, None if _chosen["theme"] == SYSTEM else _chosen["theme"] == DARK)


def apply_theme(theme: str) -> None:
    """Make the running app light, dark or (``system``) as the system is; unknown names mean system."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    _chosen["theme"] = theme if theme in THEMES else SYSTEM
    if id(app) not in _following:
        _following.add(id(app))
        # Connected after the app's own handler (which follows the system): this one runs last.
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _reapply(app))
    _reapply(app)


class ThemeMenu:
    """View ▸ Theme with one checked choice; picking one applies and remembers it."""

    def __init__(self, parent_menu: QMenu, settings: AppSettings, window: QWidget) -> None:
        self.settings = settings
        self.menu = parent_menu.addMenu("&Theme")
        self.group = QActionGroup(window)
        self.actions: dict[str, QAction] = {}
        current = settings.theme()
        for theme, text in THEMES.items():
            action = QAction(text, window)
            action.setCheckable(True)
            action.setChecked(theme == current)
            action.triggered.connect(lambda _checked=False, t=theme: self.choose(t))
            self.group.addAction(action)
            self.menu.addAction(action)
            self.actions[theme] = action
        if current != SYSTEM:  # the app starts following the system (``app.configure_application``)
            apply_theme(current)

    def choose(self, theme: str) -> None:
        self.settings.set_theme(theme)
        self.actions[theme].setChecked(True)
        apply_theme(theme)
