"""Other users' changes appear in the open window without reopening (PostgreSQL LISTEN/NOTIFY)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from annotator.services.changes import Change
from annotator.services.codebook import list_codes
from annotator.services.documents import import_files, list_documents
from annotator.services.projects import create_project
from annotator.store.notify import MAX_PAYLOAD_BYTES, PROCESS_TOKEN, announcement, sender_of
from annotator.ui.main_window import MainWindow
from annotator.ui.opening import open_for_app
from annotator.ui.settings import AppSettings
from annotator.ui.workspace import Workspace
from tests.conftest import PG_URL, SEEDS, fresh_pg_database

CLI = [sys.executable, "-c", "import sys; from annotator.cli import main; sys.exit(main())"]


def test_an_announcement_names_its_sender_and_stays_under_the_server_limit() -> None:
    small = announcement(Change(annotations_removed=(4, 5)).to_payload())
    assert sender_of(small) == PROCESS_TOKEN
    assert Change.external(small).annotations_removed == (4, 5)
    huge = announcement(Change(annotations_removed=tuple(range(5000))).to_payload(), sender="other")
    assert len(huge.encode()) <= MAX_PAYLOAD_BYTES and sender_of(huge) == "other"
    assert Change.external(huge).everything  # too big to list: the receivers reload


@pytest.fixture
def shared_project() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("live refresh is for shared PostgreSQL projects; set ANNOTATOR_TEST_PG_URL")
    with fresh_pg_database() as url:
        store = create_project(url, "fandom")
        import_files(store, SEEDS[:2])
        store.close()
        yield url


def _listening_window(qtbot: QtBot, url: str, settings: AppSettings) -> tuple[MainWindow, Workspace]:
    """The app on the shared project, its listener connected (nothing announced from now is missed)."""
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    assert win.open_store(open_for_app(url))
    ws = win.workspace
    assert ws is not None and ws.session.watcher is not None
    assert ws.session.watcher.wait_ready(10)
    return win, ws


def test_a_coding_made_by_another_process_is_shown_within_a_second(
    qtbot: QtBot, shared_project: str, app_settings: AppSettings
) -> None:
    win, ws = _listening_window(qtbot, shared_project, app_settings)
    document = ws.pane.document
    assert document is not None
    code = next(c for c in list_codes(ws.session.store) if c.path == "Trope/Slow burn")
    heard: list[Change] = []
    ws.session.changed.connect(lambda change, _initiator: heard.append(change))
    bob = subprocess.run(
        [
            *CLI,
            "code",
            shared_project,
            "--document",
            str(document.id),
            "--start",
            "5",
            "--end",
            "25",
            "--code",
            code.path,
            "--coder",
            "bob",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bob.returncode == 0, bob.stderr
    done = time.monotonic()
    qtbot.waitUntil(lambda: any(c.is_external for c in heard), timeout=5_000)
    latency = time.monotonic() - done
    [external] = [c for c in heard if c.is_external]
    assert external.annotations_changed_in == (document.id,)
    # The open work now shows bob's annotation, and the documents panel counts it.
    bobs = int(bob.stdout.split()[1].rstrip(":"))  # "annotation 7: ..."
    qtbot.waitUntil(lambda: ws.pane.annotation(bobs) is not None, timeout=5_000)
    shown = ws.pane.annotation(bobs)
    assert shown is not None and (shown.start, shown.end) == (5, 25)
    print(f"another process's coding appeared after {latency * 1000:.0f} ms")
    win.close()


def test_the_apps_own_actions_are_not_heard_back(
    qtbot: QtBot, shared_project: str, app_settings: AppSettings
) -> None:
    win, ws = _listening_window(qtbot, shared_project, app_settings)
    heard: list[Change] = []
    ws.session.changed.connect(lambda change, _initiator: heard.append(change))
    ws.pane.viewer.select_span(0, 12)
    assert ws.coding.apply_shortcut(1)
    other = subprocess.run(
        [*CLI, "import", shared_project, str(SEEDS[2])], capture_output=True, text=True, timeout=60
    )
    assert other.returncode == 0, other.stderr
    qtbot.waitUntil(lambda: any(c.is_external for c in heard), timeout=5_000)
    # One local change (the coding), one external (the other process's import), nothing echoed.
    assert [c.is_external for c in heard] == [False, True]
    assert len(heard[1].documents_added) == 1
    qtbot.waitUntil(lambda: ws.documents.model.rowCount() == 3, timeout=5_000)
    assert len(list_documents(ws.session.store)) == 3
    win.close()
