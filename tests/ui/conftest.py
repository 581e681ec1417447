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
    # The coder is chosen, in these and in the default settings (run_gui's), so no test is stopped
    # by the first-run question "Who is coding?" (tests/ui/dialogs/test_coder_dialog.py asks it).
    settings.set_coder_name("alice")
    AppSettings(QSettings()).set_coder_name("alice")
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


AO3_SAMPLES = [
    Path(__file__).resolve().parents[1] / "io" / "data" / name
    for name in ("ao3-single-chapter.html", "ao3-multi-chapter.html")
]


@pytest.fixture
def ao3_window(qtbot: QtBot, seeded_project: ProjectStore, app_settings: AppSettings) -> Iterator[MainWindow]:
    """The main window on the demo project plus two AO3 downloads (zones, ratings, fandoms).

    The AO3 works come last in the Documents panel (ids 6 and 7), after the five plain-text seeds.
    """
    from annotator.services.documents import import_files

    report = import_files(seeded_project, AO3_SAMPLES)
    assert not report.failed, report.failed
    win = MainWindow(app_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_store(seeded_project)
    win.activateWindow()
    yield win
    win.close()
