"""View ▸ Theme ▸ System / Light / Dark: chosen from the menu bar, applied at once to the open
window (highlights stay readable on the new background), remembered for the next start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from annotator.store.project import ProjectStore
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings
from annotator.ui.theme import SYSTEM, apply_theme
from annotator.ui.viewer.colours import STROKE_CONTRAST, contrast, stroke
from tests.ui.popups import choose_in_menu

BASE = QPalette.ColorRole.Base


@pytest.fixture(autouse=True)
def back_to_the_system_theme() -> Iterator[None]:
    yield
    apply_theme(SYSTEM)  # the next test starts with the app's usual palette


def _choose_theme(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Click View in the menu bar, then Theme ▸ ``name`` with the keyboard."""
    bar = window.menuBar()
    choose_in_menu("Theme", name)
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(window.menus.view.menuAction()).center()
    )
    qtbot.waitUntil(lambda: window.menus.theme.actions[name.lower()].isChecked())


def _is_dark(colour: QColor) -> bool:
    return colour.lightnessF() < 0.3


def test_dark_is_applied_at_once_and_highlights_stay_readable(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None
    viewer = ws.pane.viewer
    assert not _is_dark(viewer.palette().color(BASE))
    _choose_theme(qtbot, window, "Dark")
    qtbot.waitUntil(lambda: _is_dark(viewer.palette().color(BASE)))  # the open window repaints dark
    assert _is_dark(window.palette().color(QPalette.ColorRole.Window))
    base = viewer.palette().color(BASE)
    for code in ws.session.codes:  # every code's underline and bar against the dark page
        assert contrast(stroke(code.colour, False, True, base.name()), base) >= STROKE_CONTRAST - 0.05
    _choose_theme(qtbot, window, "Light")
    qtbot.waitUntil(lambda: not _is_dark(viewer.palette().color(BASE)))


def test_the_theme_is_remembered_for_the_next_start(
    window: MainWindow, qtbot: QtBot, app_settings: AppSettings, seeded_project: ProjectStore
) -> None:
    _choose_theme(qtbot, window, "Dark")
    assert app_settings.theme() == "dark"
    window.close()
    apply_theme(SYSTEM)  # as a fresh start would be, before the window reads the settings
    again = MainWindow(app_settings)
    qtbot.addWidget(again)
    again.show()
    assert again.menus.theme.actions["dark"].isChecked()
    qtbot.waitUntil(lambda: _is_dark(again.palette().color(QPalette.ColorRole.Window)))
    _choose_theme(qtbot, again, "System")
    assert app_settings.theme() == "system"
    # Offscreen Qt knows no dark system setting: System is light here.
    qtbot.waitUntil(lambda: not _is_dark(again.palette().color(QPalette.ColorRole.Window)))
    again.close()
