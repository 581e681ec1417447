"""The open window follows another process's codings on a shared (PostgreSQL) project, without reopening.

``tests/ui/test_change_watcher.py`` shows that the change arrives and reaches the pane; here the
researcher's view is checked: the window opened as the app opens it (``open_location``, in a
worker), other coders' work shown, and another real process running ``annotator code``. Its
highlight appears in the viewer, and the Documents panel's Codings column counts it, both for the
open work and for a work that is not open, within about two seconds.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from annotator.services.documents import import_files
from annotator.services.projects import create_project
from annotator.ui.main_window import MainWindow
from annotator.ui.models.documents_model import COL_CODINGS
from annotator.ui.settings import AppSettings
from annotator.ui.workspace import Workspace
from tests.conftest import PG_URL, SEEDS, fresh_pg_database

CLI = [sys.executable, "-c", "import sys; from annotator.cli import main; sys.exit(main())"]
SHOWN_WITHIN_MS = 2_000


@pytest.fixture
def shared_project() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("live refresh is for shared PostgreSQL projects; set ANNOTATOR_TEST_PG_URL")
    with fresh_pg_database() as url:
        store = create_project(url, "fandom")
        import_files(store, SEEDS[:2])
        store.close()
        yield url


def bob_codes(project: str, document_id: int, start: int, end: int) -> int:
    """Another researcher's process: ``annotator code`` as bob; the new annotation's id."""
    span = ["--document", str(document_id), "--start", str(start), "--end", str(end)]
    done = subprocess.run(
        [*CLI, "code", project, *span, "--code", "Trope/Slow burn", "--coder", "bob"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[1].rstrip(":"))  # "annotation 7: …"


def codings_shown(ws: Workspace, document_id: int) -> str:
    """The Codings cell of a work's row in the Documents panel, as the researcher reads it."""
    model = ws.documents.model
    return str(model.index(model.row_of(document_id), COL_CODINGS).data())


def test_another_process_coding_appears_in_the_viewer_and_the_documents_counts(
    qtbot: QtBot, shared_project: str, app_settings: AppSettings
) -> None:
    app_settings.set_show_other_coders(True)
    win = MainWindow(app_settings)
    qtbot.addWidget(win)
    win.show()
    win.open_location(shared_project)  # as the app does: opened in a worker
    qtbot.waitUntil(
        lambda: win.workspace is not None and win.workspace.pane.document is not None, timeout=30_000
    )
    ws = win.workspace
    assert ws is not None and ws.pane.document is not None
    assert ws.session.watcher is not None and ws.session.watcher.wait_ready(10)
    open_work = ws.pane.document.id
    other_work = next(d.id for d in ws.documents.model.documents() if d.id != open_work)
    assert (codings_shown(ws, open_work), codings_shown(ws, other_work)) == ("", "")

    bobs = bob_codes(shared_project, open_work, 5, 25)
    qtbot.waitUntil(lambda: ws.pane.viewer.highlight(bobs) is not None, timeout=SHOWN_WITHIN_MS)
    highlight = ws.pane.viewer.highlight(bobs)
    assert highlight is not None and (highlight.start, highlight.end, highlight.coder_name) == (5, 25, "bob")
    qtbot.waitUntil(lambda: codings_shown(ws, open_work) == "1", timeout=SHOWN_WITHIN_MS)

    # A work that is not open: its count follows too, and the open work is left as it was.
    bob_codes(shared_project, other_work, 0, 10)
    qtbot.waitUntil(lambda: codings_shown(ws, other_work) == "1", timeout=SHOWN_WITHIN_MS)
    assert codings_shown(ws, open_work) == "1"
    # Never reopened: the same workspace, the same work open.
    assert win.workspace is ws and ws.pane.document is not None and ws.pane.document.id == open_work
    win.close()
