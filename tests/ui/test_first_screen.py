"""The first screen: the work the main window opens, painted before the data layer is imported.

It must show the very work the main window then opens (title and text, in the viewer's place),
step aside for the usual open whenever the project cannot be read quickly, reach its first paint
in a fresh interpreter without SQLAlchemy or numpy, and show hostile titles and text literally.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.core.types import ImportedDocument
from annotator.paths import seeds_dir
from annotator.services.documents import add_document, import_files
from annotator.services.projects import create_project
from annotator.store.lock import EXCLUSIVE, ProjectLock
from annotator.ui.app import _take_over, run_gui
from annotator.ui.first_screen import DOCKS, MENU_TITLES, FirstScreen, show_first_screen, viewer_font
from annotator.ui.first_work import FIRST_CHARS, read_first_work
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings
from annotator.ui.viewer.layout import Column
from annotator.ui.viewer.margin import GUTTER
from annotator.ui.viewer.zones import story_font

PAYLOAD = '<img src="/dev/zero"><b>bold</b>&lt;i&gt;'


def _project(path: Path, documents: list[ImportedDocument] | None = None, seeds: bool = False) -> str:
    store = create_project(path, codebook="empty")
    try:
        if seeds:
            assert not import_files(store, sorted(seeds_dir().glob("*.txt"))).failed
        for doc in documents or []:
            add_document(store, doc)
    finally:
        store.close()
    return str(path)


@pytest.fixture
def seeded_file(tmp_path: Path) -> str:
    return _project(tmp_path / "seeded.annotator", seeds=True)


@pytest.fixture
def screens(qapp: QApplication) -> Iterator[list[FirstScreen]]:
    """First screens made by a test, closed afterwards."""
    made: list[FirstScreen] = []
    yield made
    for screen in made:
        if screen.successor is not None:
            screen.successor.close()
        screen.close()


def _show(location: str, settings: AppSettings, screens: list[FirstScreen]) -> FirstScreen | None:
    screen = show_first_screen(location, settings)
    if screen is not None:
        screens.append(screen)
    return screen


def test_the_first_screen_shows_the_work_the_main_window_then_opens_in_its_place(
    qtbot: QtBot, seeded_file: str, app_settings: AppSettings, screens: list[FirstScreen]
) -> None:
    screen = _show(seeded_file, app_settings, screens)
    assert screen is not None
    qtbot.waitExposed(screen)
    shown_text = screen.viewer.toPlainText()
    assert shown_text and screen.header.title.text()
    _take_over(screen, seeded_file, None)
    window = screen.successor
    assert isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: window.isVisible() and not screen.isVisible(), timeout=15_000)
    workspace = window.workspace
    assert workspace is not None
    opened = workspace.pane.document
    assert opened is not None
    assert screen.header.title.text() == opened.title == workspace.pane.header.title.text()
    assert opened.text[:FIRST_CHARS] == shown_text  # the very text, stored form, from its start
    assert screen.windowTitle() == window.windowTitle()
    # Laid out as the main window: same place, menus, docks, header, viewer font and text column.
    assert [action.text() for action in window.menuBar().actions()] == list(MENU_TITLES)
    assert [(d.windowTitle(), d.objectName(), window.dockWidgetArea(d)) for d in workspace.docks] == [
        (title, f"dock_{name}", area) for title, name, area in DOCKS
    ]
    real = workspace.pane.viewer
    origin = QPoint(0, 0)
    assert screen.viewer.mapTo(screen.centralWidget(), origin) == real.mapTo(workspace.pane, origin)
    if window.minimumSizeHint().width() <= screen.width():
        # Not on the offscreen test screen (800 px): the main window's docks need more, and Qt
        # widens it. A screen that holds it holds it in the first screen's place.
        assert screen.geometry() == window.geometry()
        assert screen.viewer.mapTo(screen, QPoint(0, 0)) == real.mapTo(window, QPoint(0, 0))
        assert screen.viewer.size() == real.size()
    assert viewer_font() == story_font() == real.font()
    # The text column at the first screen's width is the one the viewer has at that width.
    full = screen.viewer.width()
    column = Column.for_font(real.font(), full, GUTTER)
    assert screen.viewer.viewportMargins().left() == round(column.left)
    assert screen.viewer.viewport().width() == pytest.approx(column.width, abs=1)


def test_the_first_screen_is_read_only_and_its_menus_do_nothing(
    qtbot: QtBot, seeded_file: str, app_settings: AppSettings, screens: list[FirstScreen]
) -> None:
    screen = _show(seeded_file, app_settings, screens)
    assert screen is not None
    before = screen.viewer.toPlainText()
    screen.viewer.setFocus()
    qtbot.keyClicks(screen.viewer, "typed over")
    qtbot.keyClick(screen.viewer, Qt.Key.Key_Delete)
    assert screen.viewer.isReadOnly() and screen.viewer.toPlainText() == before
    assert not any(action.isEnabled() for action in screen.menuBar().actions())


def test_closing_the_first_screen_before_the_project_is_shown_stops_opening_it(
    qtbot: QtBot, seeded_file: str, app_settings: AppSettings, screens: list[FirstScreen]
) -> None:
    screen = _show(seeded_file, app_settings, screens)
    assert screen is not None
    _take_over(screen, seeded_file, None)
    window = screen.successor
    assert isinstance(window, MainWindow) and window.opening is not None
    screen.close()
    assert window.opening is None  # cancelled: what it still opens is closed unseen
    qtbot.wait(50)
    assert not window.isVisible()


@pytest.mark.parametrize("case", ["url", "missing", "older schema", "newer schema", "no works", "in use"])
def test_a_project_not_read_quickly_is_opened_the_usual_way(
    tmp_path: Path, app_settings: AppSettings, screens: list[FirstScreen], case: str
) -> None:
    if case == "url":
        location = "postgresql+psycopg://user:secret@localhost/study"
    elif case == "missing":
        location = str(tmp_path / "absent.annotator")
    elif case == "no works":
        location = _project(tmp_path / "empty.annotator")
    else:
        location = _project(tmp_path / "p.annotator", seeds=True)
        assert read_first_work(location) is not None  # readable, until made otherwise below
    if case.endswith("schema"):
        with sqlite3.connect(location) as connection:
            revision = "0001" if case == "older schema" else "ffffffffffff"
            connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        connection.close()
    lock = ProjectLock.acquire(Path(location), EXCLUSIVE, "a CLI command") if case == "in use" else None
    try:
        assert read_first_work(location) is None
        assert _show(location, app_settings, screens) is None
    finally:
        if lock is not None:
            lock.release()


def test_before_a_coder_is_chosen_the_main_window_asks_first(
    seeded_file: str, app_settings: AppSettings, screens: list[FirstScreen]
) -> None:
    app_settings.qsettings.remove("coder_name")
    assert _show(seeded_file, app_settings, screens) is None


def test_run_gui_on_a_project_it_cannot_preview_opens_it_in_the_main_window_alone(
    qtbot: QtBot, tmp_path: Path, app_settings: AppSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.ui import app

    location = _project(tmp_path / "empty.annotator")
    seen: list[tuple[bool, bool]] = []
    shown: list[FirstScreen | None] = []

    def spied(where: str, settings: AppSettings | None = None) -> FirstScreen | None:
        shown.append(show_first_screen(where, settings))
        return shown[-1]

    monkeypatch.setattr(app, "show_first_screen", spied)

    def close_when_open() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].workspace is not None:
            seen.append((True, any(shown)))
            windows[0].close()
        else:
            QTimer.singleShot(50, close_when_open)

    QTimer.singleShot(50, close_when_open)
    hook = sys.excepthook
    try:
        assert run_gui(location) == 0
    finally:
        sys.excepthook = hook
    assert shown == [None] and seen == [(True, False)]


def test_run_gui_shows_the_first_screen_then_the_main_window_in_its_place(
    qtbot: QtBot, seeded_file: str, app_settings: AppSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.ui import app

    seen: list[str] = []
    shown: list[FirstScreen | None] = []

    def spied(where: str, settings: AppSettings | None = None) -> FirstScreen | None:
        shown.append(show_first_screen(where, settings))
        if shown[-1] is not None:
            seen.append(f"first screen: {shown[-1].header.title.text()}")
        return shown[-1]

    def watch() -> None:
        screen = shown[0] if shown else None
        window = screen.successor if screen is not None else None
        handed_over = screen is not None and not screen.isVisible()
        if isinstance(window, MainWindow) and window.isVisible() and handed_over:
            assert window.workspace is not None
            seen.append(f"main window: {window.workspace.pane.header.title.text()}")
            window.close()
            return
        QTimer.singleShot(10, watch)

    monkeypatch.setattr(app, "show_first_screen", spied)
    QTimer.singleShot(0, watch)
    hook = sys.excepthook
    try:
        assert run_gui(seeded_file) == 0
    finally:
        sys.excepthook = hook
    title = seen[0].removeprefix("first screen: ")
    assert title and seen == [f"first screen: {title}", f"main window: {title}"]


def test_hostile_titles_and_text_are_shown_as_plain_text(
    qtbot: QtBot, tmp_path: Path, app_settings: AppSettings, screens: list[FirstScreen]
) -> None:
    text = f"Opening words. {PAYLOAD} Closing words.\n"
    doc = ImportedDocument(title=PAYLOAD, source_format="text", text=text, attributes={"authors": [PAYLOAD]})
    location = _project(tmp_path / f"{PAYLOAD.replace('/', '_')}.annotator", [doc])
    screen = _show(location, app_settings, screens)
    assert screen is not None
    qtbot.waitExposed(screen)
    title = screen.header.title
    assert title.textFormat() == Qt.TextFormat.PlainText and title.text() == PAYLOAD
    assert screen.header.meta.textFormat() == Qt.TextFormat.PlainText
    assert screen.header.meta.text() == f"by {PAYLOAD}"
    assert screen.viewer.toPlainText() == text.rstrip("\n") or screen.viewer.toPlainText() == text
    assert screen.viewer.document().toHtml().count("<img") == 0
    assert PAYLOAD.replace("/", "_") in screen.windowTitle()


def test_a_fresh_interpreter_paints_the_first_screen_without_sqlalchemy_or_numpy(tmp_path: Path) -> None:
    project = _project(tmp_path / "p.annotator", seeds=True)
    config = tmp_path / "config" / "annotator"
    config.mkdir(parents=True)
    (config / "Annotator.conf").write_text("[General]\ncoder_name=probe\n", encoding="utf-8")
    probe = (
        "import json, sys\n"
        "from annotator.ui import app\n"
        "painted = []\n"
        "report = app._FirstTextPaint._report\n"
        "def _report(self, at):\n"
        "    painted.append(sorted({m.split('.')[0] for m in sys.modules}))\n"
        "    report(self, at)\n"
        "app._FirstTextPaint._report = _report\n"
        "from annotator.cli import main\n"
        f"assert main(['gui', {project!r}]) == 0\n"
        "print(json.dumps(painted[0]))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "ANNOTATOR_EXIT_AFTER_FIRST_PAINT": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert any(line.startswith("first-paint ") for line in lines)
    loaded = set(json.loads(lines[-1]))
    assert "PySide6" in loaded  # the probe sees what the app imported
    assert loaded & {"sqlalchemy", "numpy", "alembic"} == set()
