"""What the app remembers between runs: recent projects, the current coder, the last folder, layout.

Everything goes through one ``QSettings`` so tests can point it at a temporary file
(``QSettings.setPath`` with the INI format) and never touch the researcher's own settings.
"""

from __future__ import annotations

import getpass

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

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
        value = self.qsettings.value("coder_name")
        return str(value) if value else default_coder_name()

    def set_coder_name(self, name: str) -> None:
        self.qsettings.setValue("coder_name", name)
        self.qsettings.sync()

    # --- folders --------------------------------------------------------------------------
    def last_folder(self) -> str:
        value = self.qsettings.value("last_folder")
        return str(value) if value else ""

    def set_last_folder(self, folder: str) -> None:
        self.qsettings.setValue("last_folder", folder)

    # --- view preferences -----------------------------------------------------------------
    def show_other_coders(self) -> bool:
        value = self.qsettings.value("show_other_coders", False)
        return value in (True, "true", "1", 1)

    def set_show_other_coders(self, shown: bool) -> None:
        self.qsettings.setValue("show_other_coders", shown)

    # --- window layout --------------------------------------------------------------------
    def save_window(self, window: QMainWindow, *, with_docks: bool = True) -> None:
        self.qsettings.setValue("window/geometry", window.saveGeometry())
        if with_docks:
            self.qsettings.setValue("window/state", window.saveState())
        self.qsettings.sync()

    def restore_geometry(self, window: QMainWindow) -> bool:
        value = self.qsettings.value("window/geometry")
        return isinstance(value, QByteArray) and window.restoreGeometry(value)

    def restore_dock_state(self, window: QMainWindow) -> bool:
        value = self.qsettings.value("window/state")
        return isinstance(value, QByteArray) and window.restoreState(value)
