"""What the app remembers between runs, read back from the INI file as a new run would: recent
projects (newest first, no repeats, at most ten), the coder (none until one is chosen), the view
preference, the export folder, and the window with its named splitters."""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget
from pytestqt.qtbot import QtBot

from annotator.ui.settings import MAX_RECENT, AppSettings, default_coder_name


def _settings(path: Path) -> AppSettings:
    """The settings a fresh run of the app reads from ``path``."""
    return AppSettings(QSettings(str(path), QSettings.Format.IniFormat))


def test_recent_projects_are_newest_first_without_repeats_and_survive_a_restart(tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    first = _settings(ini)
    assert first.recent_projects() == []
    first.add_recent_project("/studies/one.annotator")
    assert _settings(ini).recent_projects() == ["/studies/one.annotator"]  # a one-item list in INI
    for n in range(12):
        first.add_recent_project(f"/studies/{n}.annotator")
    first.add_recent_project("/studies/5.annotator")  # reopened: moves to the top, once
    again = _settings(ini)
    recent = again.recent_projects()
    assert len(recent) == MAX_RECENT and recent[0] == "/studies/5.annotator"
    assert recent[1:4] == ["/studies/11.annotator", "/studies/10.annotator", "/studies/9.annotator"]
    assert recent.count("/studies/5.annotator") == 1 and "/studies/one.annotator" not in recent
    again.remove_recent_project("/studies/11.annotator")
    assert "/studies/11.annotator" not in _settings(ini).recent_projects()


def test_the_coder_is_the_login_name_until_one_is_chosen(tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    settings = _settings(ini)
    assert settings.coder_name() == default_coder_name() == (getpass.getuser().strip() or "coder")
    assert settings.chosen_coder_name() == ""  # so the app asks who is coding
    settings.set_coder_name("Ana María")
    assert _settings(ini).coder_name() == _settings(ini).chosen_coder_name() == "Ana María"


def test_view_preference_and_last_folder_are_kept(tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    settings = _settings(ini)
    assert not settings.show_other_coders() and settings.last_folder() == ""
    settings.set_show_other_coders(True)
    settings.set_last_folder(str(tmp_path / "works"))
    assert settings.last_export_folder() == ""
    settings.set_last_export_folder(str(tmp_path / "exports"))
    settings.qsettings.sync()
    again = _settings(ini)
    assert again.show_other_coders() and again.last_folder() == str(tmp_path / "works")
    assert again.last_export_folder() == str(tmp_path / "exports")  # imports and exports apart
    again.set_show_other_coders(False)
    again.qsettings.sync()
    assert not _settings(ini).show_other_coders()


def test_a_window_reopens_at_the_size_it_was_closed_with(qtbot: QtBot, tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    closed = QMainWindow()
    qtbot.addWidget(closed)
    closed.resize(517, 413)  # within the offscreen screen's 800 × 600, which restoring clamps to
    _settings(ini).save_window(closed, with_docks=False)
    reopened = QMainWindow()
    qtbot.addWidget(reopened)
    settings = _settings(ini)
    assert settings.restore_geometry(reopened)
    assert (reopened.width(), reopened.height()) == (517, 413)
    assert not settings.restore_dock_state(reopened)  # the start page saved no dock layout
    settings.save_window(reopened)
    assert _settings(ini).restore_dock_state(reopened)


def test_named_splitters_reopen_at_the_sizes_they_were_left_with(qtbot: QtBot, tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"

    def window_with_splitter() -> tuple[QMainWindow, QSplitter]:
        window = QMainWindow()
        qtbot.addWidget(window)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("codebook_splitter")
        splitter.addWidget(QWidget())
        splitter.addWidget(QWidget())
        window.setCentralWidget(splitter)
        window.resize(400, 600)
        window.show()
        qtbot.waitExposed(window)
        splitter.setSizes([300, 300])
        return window, splitter

    closed, left = window_with_splitter()
    left.setSizes([450, 150])  # the researcher gave the code tree more room
    sizes = left.sizes()
    _settings(ini).save_window(closed)
    reopened, splitter = window_with_splitter()
    assert splitter.sizes() != sizes
    _settings(ini).restore_dock_state(reopened)
    assert splitter.sizes() == sizes
