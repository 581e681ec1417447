"""The start page, opening projects by location (in a worker), the demo, what QSettings keeps, and
that closing the window loses nothing: every shown action, typed memo and definition is stored."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.cli import build_parser, gui_commands, main
from annotator.services.annotations import list_annotations
from annotator.services.codebook import list_codes
from annotator.services.documents import list_documents
from annotator.store.project import ProjectStore, open_project
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings
from tests.ui.shown import shown_text


def _window(qtbot: QtBot, settings: AppSettings) -> MainWindow:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    return win


def _open(qtbot: QtBot, win: MainWindow, location: str) -> None:
    win.open_location(location)
    qtbot.waitUntil(lambda: win.workspace is not None, timeout=20_000)


def test_start_page_lists_recent_projects_and_opens_one_by_location(
    qtbot: QtBot, seeded_project: ProjectStore, app_settings: AppSettings
) -> None:
    seeded_project.close()  # the app holds a project file alone (see annotator.ui.opening)
    win = _window(qtbot, app_settings)
    assert win.workspace is None and win.stack.currentWidget() is win.start_page
    assert not win.menus.undo.isEnabled()
    _open(qtbot, win, seeded_project.location)
    assert win.workspace is not None and win.workspace.documents.model.rowCount() == 5
    assert win.workspace.pane.document is not None  # the first work is opened
    assert app_settings.recent_projects()[0] == seeded_project.location
    win.close_project()
    assert win.stack.currentWidget() is win.start_page
    item = win.start_page.recent.item(0)
    assert shown_text(item.toolTip()) == seeded_project.location
    win.start_page.recent.itemActivated.emit(item)
    qtbot.waitUntil(lambda: win.workspace is not None, timeout=20_000)


def test_a_location_without_a_project_is_reported_on_the_start_page(
    qtbot: QtBot, app_settings: AppSettings, tmp_path: Path
) -> None:
    win = _window(qtbot, app_settings)
    win.open_location(str(tmp_path / "typo.annotator"))
    qtbot.waitUntil(lambda: win.opening is None and bool(win.last_error), timeout=20_000)
    assert win.workspace is None
    assert "no project at" in win.last_error and "no project at" in win.start_page.status.text()
    assert not (tmp_path / "typo.annotator").exists()


def test_demo_project_is_made_once_from_the_seeds_and_reopened(
    qtbot: QtBot, app_settings: AppSettings, tmp_path: Path
) -> None:
    demo = tmp_path / "annotator-demo.annotator"
    win = _window(qtbot, app_settings)
    win.open_demo(demo)
    qtbot.waitUntil(lambda: win.workspace is not None, timeout=30_000)
    ws = win.workspace
    assert ws is not None
    assert ws.documents.model.rowCount() == 5
    assert any(c.path == "Trope/Slow burn" for c in ws.session.codes)
    ws.pane.viewer.select_span(0, 12)
    assert ws.coding.apply_shortcut(1)
    win.close_project()
    win.open_demo(demo)  # reopened as it is, with the trial coding
    qtbot.waitUntil(lambda: win.workspace is not None, timeout=30_000)
    assert len(list_annotations(win.workspace.session.store)) == 1  # type: ignore[union-attr]
    assert win.workspace.documents.model.rowCount() == 5  # type: ignore[union-attr]


def test_closing_the_window_loses_nothing(
    qtbot: QtBot, seeded_project: ProjectStore, app_settings: AppSettings
) -> None:
    location = seeded_project.location
    seeded_project.close()  # the app holds a project file alone (see annotator.ui.opening)
    win = _window(qtbot, app_settings)
    _open(qtbot, win, location)
    ws = win.workspace
    assert ws is not None
    ws.pane.viewer.select_span(3, 33)
    assert ws.coding.apply_shortcut(2)
    [annotation] = list_annotations(ws.session.store)
    ws.pane.select_annotation(annotation.id)
    ws.annotation.memo.setPlainText("typed, never saved by hand")
    pining = next(c for c in ws.session.codes if c.path == "Trope/Pining")
    ws.codebook.select_code(pining.id)
    ws.codebook.details.editors["definition"].setPlainText("Typed definition")
    ws.pane.set_document_memo("A memo on the whole work")
    win.set_coder("carol")
    win.close()

    store = open_project(location)
    try:
        [stored] = list_annotations(store)
        assert (stored.start, stored.end, stored.memo) == (3, 33, "typed, never saved by hand")
        assert next(c for c in list_codes(store) if c.id == pining.id).definition == "Typed definition"
    finally:
        store.close()
    assert app_settings.coder_name() == "carol"
    assert app_settings.qsettings.value("window/geometry") is not None
    assert app_settings.qsettings.value("window/state") is not None

    again = _window(qtbot, app_settings)
    _open(qtbot, again, location)
    assert again.workspace is not None and again.workspace.session.coder.name == "carol"
    again.set_coder("alice")
    assert shown_text(again.workspace.pane.header.memo_button.toolTip()) == "A memo on the whole work"
    assert len(list_documents(again.workspace.session.store)) == 5


def test_gui_command_is_registered_and_the_bare_command_opens_the_gui(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = build_parser().parse_args(["gui", "study.annotator"])
    assert args.project == "study.annotator"
    launched: list[str | None] = []

    def fake_launch(location: str | None) -> int:
        launched.append(location)
        return 0

    monkeypatch.setattr(gui_commands, "launch_gui", fake_launch)
    assert main([]) == 0
    assert main(["gui", "study.annotator"]) == 0
    assert launched == [None, "study.annotator"]


def test_run_gui_opens_the_project_and_returns_when_the_window_closes(
    qtbot: QtBot, seeded_project: ProjectStore, app_settings: AppSettings
) -> None:
    from annotator.ui.app import run_gui

    seen: list[str] = []

    def close_when_open() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and (windows[0].workspace is not None or windows[0].last_error):
            seen.append(windows[0].last_error or windows[0].windowTitle())
            windows[0].close()
        else:
            QTimer.singleShot(50, close_when_open)

    seeded_project.close()  # the app holds a project file alone (see annotator.ui.opening)
    QTimer.singleShot(50, close_when_open)
    hook = sys.excepthook
    try:
        assert run_gui(seeded_project.location) == 0
    finally:
        sys.excepthook = hook
    assert seen == [f"{seeded_project.display_name} — Annotator"]
