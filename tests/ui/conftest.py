"""Fixtures for the desktop app: settings in a temporary file, and the main window on a project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from pytestqt.qtbot import QtBot

from annotator.store.project import ProjectStore
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings


@pytest.fixture
def app_settings(tmp_path: Path, qapp: object) -> AppSettings:
    """Settings in a temporary INI file; the default QSettings location is redirected as well."""
    QCoreApplication.setOrganizationName("annotator-tests")
    QCoreApplication.setApplicationName("annotator-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    settings = AppSettings(QSettings(str(tmp_path / "annotator-test.ini"), QSettings.Format.IniFormat))
    settings.set_coder_name("alice")
    return settings


@pytest.fixture
def window(qtbot: QtBot, seeded_project: ProjectStore, app_settings: AppSettings) -> Iterator[MainWindow]:
    """The main window showing the seeded demo project, coding as "alice"."""
    win = MainWindow(app_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_store(seeded_project)
    win.activateWindow()
    yield win
    win.close()
