"""What the app remembers between runs: recent projects, the current coder, folders, the layout.

Everything goes through one ``QSettings`` so tests can point it at a temporary file
(``QSettings.setPath`` with the INI format) and never touch the researcher's own settings.
"""

from __future__ import annotations

import getpass

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from annotator.ui.screen_fit import on_a_screen

ORGANIZATION = "annotator"
APPLICATION = "Annotator"
MAX_RECENT = 10


def _as_list(value: object) -> list[str]:
    # QSettings returns a str for a one-element list in the INI format, and None when unset.
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if str(v)]
    return []


def default_coder_name() -> str:
    try:
        name = getpass.getuser().strip()
    except Exception:  # getuser raises various errors when no login name is known
        name = ""
    return name or "coder"


class AppSettings:
    """Typed access to the app's ``QSettings``."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings if settings is not None else QSettings()

    # --- recent projects ------------------------------------------------------------------
    def recent_projects(self) -> list[str]:
        return _as_list(self.qsettings.value("recent_projects"))

    def add_recent_project(self, location: str) -> None:
        recent = [location, *(p for p in self.recent_projects() if p != location)]
        self.qsettings.setValue("recent_projects", recent[:MAX_RECENT])
        self.qsettings.sync()

    def remove_recent_project(self, location: str) -> None:
        self.qsettings.setValue("recent_projects", [p for p in self.recent_projects() if p != location])
        self.qsettings.sync()

    # --- coder ----------------------------------------------------------------------------
    def coder_name(self) -> str:
        return self.chosen_coder_name() or default_coder_name()

    def chosen_coder_name(self) -> str:
        """The coder the researcher chose (asked at the first project opened); "" before that."""
        value = self.qsettings.value("coder_name")
        return str(value) if value else ""

    def set_coder_name(self, name: str) -> None:
        self.qsettings.setValue("coder_name", name)
        self.qsettings.sync()

    # --- folders --------------------------------------------------------------------------
    def last_folder(self) -> str:
        value = self.qsettings.value("last_folder")
        return str(value) if value else ""

    def set_last_folder(self, folder: str) -> None:
        self.qsettings.setValue("last_folder", folder)

    def last_export_folder(self) -> str:
        """Where the last export was written ("" before the first): exports go there again."""
        value = self.qsettings.value("last_export_folder")
        return str(value) if value else ""

    def set_last_export_folder(self, folder: str) -> None:
        self.qsettings.setValue("last_export_folder", folder)
        self.qsettings.sync()

    # --- view preferences -----------------------------------------------------------------
    def show_other_coders(self) -> bool:
        value = self.qsettings.value("show_other_coders", False)
        return value in (True, "true", "1", 1)

    def set_show_other_coders(self, shown: bool) -> None:
        self.qsettings.setValue("show_other_coders", shown)

    def snap_to_words(self) -> bool:
        """Whether a mouse selection in the text grows to whole words (on unless turned off)."""
        value = self.qsettings.value("snap_selection_to_words", True)
        return value in (True, "true", "1", 1)

    def set_snap_to_words(self, snap: bool) -> None:
        self.qsettings.setValue("snap_selection_to_words", snap)
        self.qsettings.sync()

    def theme(self) -> str:
        """ "system", "light" or "dark" (View ▸ Theme); the system's until the researcher picks one."""
        value = self.qsettings.value("theme", "system")
        return str(value) if value in ("system", "light", "dark") else "system"

    def set_theme(self, theme: str) -> None:
        self.qsettings.setValue("theme", theme)
        self.qsettings.sync()

    # --- window layout --------------------------------------------------------------------
    def save_window(self, window: QMainWindow, *, with_docks: bool = True) -> None:
        """The window's place and size; with the docks, their layout and every named splitter's."""
        self.qsettings.setValue("window/geometry", window.saveGeometry())
        if with_docks:
            self.qsettings.setValue("window/state", window.saveState())
            for splitter in _named_splitters(window):
                self.qsettings.setValue(f"window/splitters/{splitter.objectName()}", splitter.saveState())
        self.qsettings.sync()

    def restore_geometry(self, window: QMainWindow) -> bool:
        """Put the window back where it was, unless that place is no longer on any screen.

        A layout saved on a second monitor that has since been unplugged, or on a bigger screen
        than this one, is not restored: False, and the caller fits the window to the screen.
        """
        value = self.qsettings.value("window/geometry")
        if not isinstance(value, QByteArray) or not window.restoreGeometry(value):
            return False
        return window.isMaximized() or window.isFullScreen() or on_a_screen(window.geometry())

    def restore_dock_state(self, window: QMainWindow) -> bool:
        """The docks' layout and the named splitters' sizes as last saved (False if none was)."""
        value = self.qsettings.value("window/state")
        restored = isinstance(value, QByteArray) and window.restoreState(value)
        for splitter in _named_splitters(window):
            sizes = self.qsettings.value(f"window/splitters/{splitter.objectName()}")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)
        return restored


def _named_splitters(window: QMainWindow) -> list[QSplitter]:
    # Only splitters given an object name are kept: the name is their key in the settings.
    return [s for s in window.findChildren(QSplitter) if s.objectName()]
