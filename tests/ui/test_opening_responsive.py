"""Opening a project on a slow or busy server never freezes the window, and can be cancelled or quit.

Each test opens a project through the window's real open path (``MainWindow.open_location``)
while something outside the app holds it up: another PostgreSQL session's ACCESS EXCLUSIVE lock
on a table the first reads need, a loopback proxy that adds latency to every packet, or another
process holding SQLite's write lock. A 10 ms timer (``LoopClock``) measures the longest stretch
the GUI thread was away while the open was pending; before the open and its first reads moved
to the worker, these were seconds (the whole lock, or ~10 s behind a 200 ms round trip).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from annotator.services.annotations import apply_code
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import import_files, list_documents
from annotator.services.projects import create_project
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings
from tests.conftest import PG_URL, SEEDS, fresh_pg_database
from tests.latency_proxy import latency_proxy
from tests.ui.loop_clock import LoopClock

needs_pg = pytest.mark.skipif(not PG_URL, reason="needs ANNOTATOR_TEST_PG_URL")
MAX_GAP = 0.2  # seconds: longer and the window visibly stops answering
WAIT_MS = 60_000

# Holds SQLite's write lock (BEGIN IMMEDIATE) until a line arrives on stdin, as another program
# writing to the project would; it takes no annotator lock.
SQLITE_WRITER = textwrap.dedent(
    """
    import sqlite3, sys
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    print("holding", flush=True)
    sys.stdin.readline()
    connection.execute("COMMIT")
    """
)


def _seed(location: str, *, coder: str | None = "alice") -> list[str]:
    """A project with two works, a coding by ``coder`` (if given) and one by bob; their titles."""
    store = create_project(location, codebook="fandom")
    try:
        import_files(store, SEEDS[:2])
        documents = list_documents(store)
        code = next(c for c in list_codes(store) if c.path == "Trope/Slow burn")
        for name, start in ((coder, 0), ("bob", 20)):
            if name is not None:
                apply_code(store, documents[0].id, start, start + 12, code.id, ensure_coder(store, name).id)
        return [d.title for d in documents]
    finally:
        store.close()


def _window(qtbot: QtBot, settings: AppSettings) -> tuple[MainWindow, LoopClock]:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    clock = LoopClock(counting=lambda: win.opening is not None, parent=win)
    clock.start()
    return win, clock


def _titles(win: MainWindow) -> list[str]:
    assert win.workspace is not None
    model = win.workspace.documents.model
    return [doc.title for row in range(model.rowCount()) if (doc := model.document_at(row))]


def _shows_opening(win: MainWindow) -> bool:
    page = win.start_page
    return (
        win.workspace is None
        and page.status.text().startswith("Opening ")
        and page.cancel.isVisible()
        and not page.recent.isEnabled()
    )


@pytest.fixture
def pg_project() -> Iterator[tuple[str, list[str]]]:
    with fresh_pg_database() as url:
        yield url, _seed(url)


@contextmanager
def table_locked(url: str, table: str, *, at_most: float = 30.0) -> Iterator[Connection]:
    """Another session holding ACCESS EXCLUSIVE on ``table`` (readers wait) until rolled back.

    After ``at_most`` seconds the session is ended from outside: a window that waits on the lock
    on its GUI thread cannot run the test's own release, and would otherwise hang the test.
    """
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            connection.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
            guard = threading.Timer(at_most, _terminate, (pid,))
            guard.start()
            try:
                yield connection
            finally:
                guard.cancel()
                with suppress(DBAPIError):
                    connection.rollback()
    finally:
        engine.dispose()


@contextmanager
def queries_on_this_thread(database: str) -> Iterator[list[str]]:
    """The statements run on ``database`` from this (the GUI) thread while the block runs.

    The clock sees only the open's waiting; this sees any query at all that the window would
    wait for, on a fast server too, and however short the wait happened to be.
    """
    gui = threading.get_ident()
    seen: list[str] = []

    def record(connection: Connection, _cursor: object, statement: str, *_args: object) -> None:
        if threading.get_ident() == gui and connection.engine.url.database == database:
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def _terminate(pid: int) -> None:
    server = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        server.dispose()


def _sessions(url: str, *, waiting_on_a_lock: bool = False) -> int:
    """How many other sessions are connected to ``url``'s database (only those waiting on a lock)."""
    server = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            query = "SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND pid <> pg_backend_pid()"
            if waiting_on_a_lock:
                query += " AND wait_event_type = 'Lock'"
            return int(connection.execute(text(query), {"db": make_url(url).database}).scalar_one())
    finally:
        server.dispose()


@needs_pg
def test_a_locked_table_keeps_the_window_responsive_and_the_project_appears_once_released(
    qtbot: QtBot, app_settings: AppSettings, pg_project: tuple[str, list[str]]
) -> None:
    url, titles = pg_project
    with (
        table_locked(url, "documents") as lock,
        queries_on_this_thread(make_url(url).database or "") as on_gui,
    ):
        win, clock = _window(qtbot, app_settings)
        win.open_location(url)
        # The open's reads really wait on the lock, and the window runs on all the while.
        qtbot.waitUntil(lambda: _sessions(url, waiting_on_a_lock=True) > 0, timeout=WAIT_MS)
        start = clock.ticks
        qtbot.waitUntil(lambda: clock.ticks >= start + 50, timeout=WAIT_MS)
        assert _shows_opening(win) and win.opening is not None
        lock.rollback()  # the other session lets go
        qtbot.waitUntil(lambda: win.workspace is not None, timeout=WAIT_MS)
    assert clock.stop() < MAX_GAP and on_gui == []
    assert _titles(win) == titles
    assert win.workspace is not None and win.workspace.pane.document is not None
    assert win.workspace.pane.document.title == titles[0]  # the first work is open
    assert win.workspace.segments.model.rowCount() == 2 and win.start_page.cancel.isHidden()


@needs_pg
def test_a_slow_server_keeps_the_window_responsive_while_the_project_opens(
    qtbot: QtBot, app_settings: AppSettings, pg_project: tuple[str, list[str]]
) -> None:
    url, titles = pg_project
    database = make_url(url).database or ""
    with latency_proxy(url, delay=0.05) as (proxy, slow_url), queries_on_this_thread(database) as on_gui:
        win, clock = _window(qtbot, app_settings)  # 100 ms more per round trip, above
        win.open_location(slow_url)
        assert _shows_opening(win)
        qtbot.waitUntil(lambda: win.workspace is not None, timeout=WAIT_MS)
        assert clock.stop() < MAX_GAP and clock.ticks > 50  # seconds of round trips, no freeze
        assert on_gui == []  # and none of them on the window's thread
        assert proxy.connections > 0 and _titles(win) == titles
        assert win.workspace is not None and win.workspace.segments.model.rowCount() == 2
        win.close()


@needs_pg
def test_cancelling_a_blocked_open_returns_at_once_and_what_it_opened_later_is_closed(
    qtbot: QtBot, app_settings: AppSettings, pg_project: tuple[str, list[str]]
) -> None:
    url = pg_project[0]
    with table_locked(url, "documents") as lock:
        win, _clock = _window(qtbot, app_settings)
        win.open_location(url)
        qtbot.waitUntil(lambda: _sessions(url, waiting_on_a_lock=True) > 0, timeout=WAIT_MS)
        worker = win.opening
        assert worker is not None
        qtbot.mouseClick(win.start_page.cancel, Qt.MouseButton.LeftButton)
        assert win.opening is None and win.workspace is None
        assert win.start_page.status.text() == "Opening cancelled." and win.start_page.recent.isEnabled()
        assert win.start_page.cancel.isHidden()
        lock.rollback()
    # The open finishes behind the scenes, shows nothing and lets go of the server.
    qtbot.waitUntil(worker.done.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _sessions(url) == 0, timeout=WAIT_MS)
    assert win.workspace is None and win.stack.currentWidget() is win.start_page


QUITTER = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QSettings, QTimer
    from annotator.ui.app import create_application
    from annotator.ui.main_window import MainWindow
    from annotator.ui.settings import AppSettings

    app = create_application()
    settings = AppSettings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
    settings.set_coder_name("alice")
    window = MainWindow(settings)
    window.show()
    window.open_location(sys.argv[1])

    def quit_while_opening():
        print("opening" if window.opening is not None else "not opening", flush=True)
        window.close()

    QTimer.singleShot(3000, quit_while_opening)
    sys.exit(app.exec())
    """
)


@needs_pg
def test_the_app_quits_while_an_open_waits_on_a_lock(
    tmp_path: Path, pg_project: tuple[str, list[str]]
) -> None:
    url = pg_project[0]
    with table_locked(url, "documents"):
        env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
        app = subprocess.run(
            [sys.executable, "-c", QUITTER, url, str(tmp_path / "settings.ini")],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,  # the lock is still held: an app waiting for its open would never end
        )
    assert app.returncode == 0, app.stderr
    assert app.stdout.splitlines() == ["opening"]


def _hold_sqlite_write_lock(path: Path) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, "-c", SQLITE_WRITER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline() == "holding\n"
    return writer


def test_a_new_coder_waits_for_another_programs_sqlite_write_without_freezing_the_window(
    qtbot: QtBot, app_settings: AppSettings, tmp_path: Path
) -> None:
    path = tmp_path / "busy.annotator"
    titles = _seed(str(path), coder=None)  # "alice" is new here: opening writes her coder row
    writer = _hold_sqlite_write_lock(path)
    with queries_on_this_thread(str(path)) as on_gui:
        try:
            win, clock = _window(qtbot, app_settings)
            win.open_location(str(path))
            qtbot.waitUntil(lambda: clock.ticks >= 100, timeout=WAIT_MS)  # a second, at least
            assert _shows_opening(win)
        finally:
            writer.communicate("\n", timeout=30)
        qtbot.waitUntil(lambda: win.workspace is not None, timeout=WAIT_MS)
    assert clock.stop() < MAX_GAP and on_gui == []
    assert _titles(win) == titles and win.session is not None and win.session.coder.name == "alice"


def test_a_known_coder_opens_while_another_program_holds_the_sqlite_write_lock(
    qtbot: QtBot, app_settings: AppSettings, tmp_path: Path
) -> None:
    path = tmp_path / "busy.annotator"
    titles = _seed(str(path))  # "alice" codes here already: the open only reads
    writer = _hold_sqlite_write_lock(path)
    try:
        with queries_on_this_thread(str(path)) as on_gui:
            win, clock = _window(qtbot, app_settings)
            win.open_location(str(path))
            qtbot.waitUntil(lambda: win.workspace is not None, timeout=WAIT_MS)
        assert writer.poll() is None  # still writing
        assert clock.stop() < MAX_GAP and on_gui == [] and _titles(win) == titles
    finally:
        writer.communicate("\n", timeout=30)


def test_a_cancelled_open_lets_go_of_the_project_so_it_opens_again(
    qtbot: QtBot, app_settings: AppSettings, tmp_path: Path
) -> None:
    path = tmp_path / "busy.annotator"
    titles = _seed(str(path), coder=None)
    writer = _hold_sqlite_write_lock(path)
    try:
        win, _clock = _window(qtbot, app_settings)
        win.open_location(str(path))
        qtbot.waitUntil(lambda: win.start_page.cancel.isVisible(), timeout=WAIT_MS)
        worker = win.opening
        assert worker is not None
        qtbot.keyClick(win.start_page.cancel, Qt.Key.Key_Space)  # the focus is on Cancel
        assert win.opening is None and win.start_page.status.text() == "Opening cancelled."
    finally:
        writer.communicate("\n", timeout=30)
    qtbot.waitUntil(worker.done.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not win.start_page.cancel.isVisible(), timeout=WAIT_MS)
    # Had the cancelled open kept the project, the app's own exclusive lock would refuse this.
    win.open_location(str(path))
    qtbot.waitUntil(lambda: win.workspace is not None or bool(win.last_error), timeout=WAIT_MS)
    assert win.last_error == "" and _titles(win) == titles
