"""The app holds its project alone: what it acknowledged survives other processes and file sniffing.

SQLite's locks are per process and vanish when anything in the process opens and closes the
project file by another descriptor, as a file dialog's MIME sniffing does. These tests do what the
app does, in a real child process that is then SIGKILLed, and check the acknowledged work on disk.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.services.annotations import apply_code, list_annotations
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import import_files, list_documents
from annotator.services.projects import create_project
from annotator.store.project import ProjectError, ProjectStore, open_project
from annotator.ui.main_window import MainWindow
from annotator.ui.opening import create_for_app, open_for_app, redact_location
from annotator.ui.settings import AppSettings
from tests.conftest import SEEDS

CLI = [sys.executable, "-c", "import sys; from annotator.cli import main; sys.exit(main())"]

APP = textwrap.dedent(
    """
    import json, os, signal, subprocess, sys
    from PySide6.QtCore import QCoreApplication, QMimeDatabase
    from annotator.services.annotations import apply_code
    from annotator.services.coders import ensure_coder
    from annotator.ui.opening import open_for_app

    path, document, code, code_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    cli = json.loads(sys.argv[5])
    app = QCoreApplication([])
    store = open_for_app(path)                       # as the app opens a project
    coder = ensure_coder(store, "app").id
    first = apply_code(store, document, 0, 10, code, coder)
    print(json.dumps({"ack": first.id}), flush=True)
    QMimeDatabase().mimeTypeForFile(path)            # a file dialog classifying the folder
    open(path, "rb").read(100)                       # or any other open()+close() of the file
    done = subprocess.run(
        cli + ["code", path, "--document", str(document), "--start", "20", "--end", "30",
               "--code", code_path, "--coder", "cli"],
        capture_output=True, text=True,
    )
    print(json.dumps({"cli": [done.returncode, done.stdout, done.stderr]}), flush=True)
    second = apply_code(store, document, 40, 50, code, coder)
    print(json.dumps({"ack": second.id}), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)             # no clean shutdown, no checkpoint
    """
)


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, int, int, str]:
    path = tmp_path / "team.annotator"
    store = create_project(path, "fandom")
    import_files(store, SEEDS[:1])
    document = list_documents(store)[0].id
    code = next(c for c in list_codes(store) if c.path == "Trope/Slow burn")
    store.close()
    return path, document, code.id, code.path


def test_acknowledged_coding_survives_sniffing_a_cli_command_and_a_kill(
    project: tuple[Path, int, int, str],
) -> None:
    path, document, code, code_path = project
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.run(
        [sys.executable, "-c", APP, str(path), str(document), str(code), code_path, json.dumps(CLI)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert child.returncode == -9, child.stderr
    events = [json.loads(line) for line in child.stdout.splitlines()]
    acknowledged = [e["ack"] for e in events if "ack" in e]
    [(status, out, err)] = [e["cli"] for e in events if "cli" in e]
    # The CLI refused in one line, naming the app's process, and changed nothing.
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("annotator: error: ")
    assert "is open in the annotator app (pid " in err and "close it there" in err
    store = open_project(path)
    try:
        stored = {(a.id, a.start, a.end) for a in list_annotations(store)}
    finally:
        store.close()
    assert {a for a, _start, _end in stored} == set(acknowledged) and len(acknowledged) == 2
    assert {(s, e) for _a, s, e in stored} == {(0, 10), (40, 50)}
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_second_app_is_refused_while_the_first_holds_the_project(
    project: tuple[Path, int, int, str],
) -> None:
    path = project[0]
    first = open_for_app(path)
    try:
        second = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from annotator.store.project import open_project;"
                "open_project(sys.argv[1], access='exclusive', purpose='the annotator app')",
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert f"is open in the annotator app (pid {os.getpid()})" in second.stderr
    finally:
        first.close()
    open_for_app(path).close()  # free again once the first app closed it


def test_the_window_reports_a_project_held_by_another_process(
    qtbot: QtBot, project: tuple[Path, int, int, str], app_settings: AppSettings
) -> None:
    path = project[0]
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from annotator.store.project import open_project;"
            "store = open_project(sys.argv[1]); print('open', flush=True); sys.stdin.readline()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        win = MainWindow(app_settings)
        qtbot.addWidget(win)
        win.show()
        win.open_location(str(path))
        qtbot.waitUntil(lambda: win.opening is None and bool(win.last_error), timeout=30_000)
        assert win.workspace is None
        assert "in use by another annotator command" in win.start_page.status.text()
    finally:
        holder.communicate("\n", timeout=30)


def test_a_project_made_in_the_app_is_held_by_it(tmp_path: Path) -> None:
    path = tmp_path / "new.annotator"
    store = create_for_app(path)
    try:
        assert {c.path for c in list_codes(store)} >= {"Trope/Slow burn"}
        with pytest.raises(ProjectError, match="is open in the annotator app"):
            open_project(path)
    finally:
        store.close()


def _shown(win: MainWindow) -> dict[str, object]:
    """What the window shows of its project: lists, counts, the open work and its highlights."""
    ws = win.workspace
    assert ws is not None and ws.pane.document is not None
    combo = win.coder_switcher.combo
    return {
        "documents": ws.documents.model.documents(),
        "codes": ws.codebook.model.codes(),
        "segments": (ws.segments.rows(), ws.segments.status.text()),
        "coders": [combo.itemText(i) for i in range(combo.count())],
        "document": ws.pane.document,
        "highlights": sorted(
            a.id for a in list_annotations(ws.session.store) if ws.pane.has_annotation(a.id)
        ),
        "hidden": ws.pane.hidden_count(),
    }


def test_a_project_opened_in_the_background_shows_what_reading_on_the_spot_shows(
    qtbot: QtBot, seeded_project: ProjectStore, app_settings: AppSettings
) -> None:
    first = list_documents(seeded_project)[0].id
    code = next(c for c in list_codes(seeded_project) if c.path == "Trope/Slow burn").id
    coded = [
        apply_code(seeded_project, first, start, start + 12, code, ensure_coder(seeded_project, coder).id).id
        for coder, start in (("alice", 0), ("alice", 40), ("bob", 10))
    ]
    location = seeded_project.url.render_as_string(hide_password=False)
    if seeded_project.is_sqlite:
        location = seeded_project.location
    seeded_project.close()
    win = MainWindow(app_settings)
    qtbot.addWidget(win)
    win.show()
    win.open_location(location)
    qtbot.waitUntil(lambda: win.workspace is not None, timeout=30_000)
    in_background = _shown(win)
    win.close_project()
    assert win.open_store(open_for_app(location))  # the session and panels read for themselves
    assert _shown(win) == in_background
    assert in_background["highlights"] == coded and in_background["hidden"] == 1  # bob's, not shown
    win.close()


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        (
            "postgresql+psycopg://postgres:S3cretPW@db.example/test",
            "postgresql+psycopg://postgres:***@db.example/test",
        ),
        ("postgresql+psycopg://me:p@ss@host/db", "postgresql+psycopg://me:***@host/db"),
        ("postgresql+psycopg://me@host/db?password=x", "postgresql+psycopg://me@host/db?…"),
        ("/home/me/study.annotator", "/home/me/study.annotator"),
    ],
)
def test_a_location_is_shown_without_its_password(location: str, shown: str) -> None:
    assert redact_location(location) == shown
    assert "S3cret" not in redact_location(location) and "ss@" not in redact_location(location)


def test_a_password_with_a_raw_at_sign_is_not_taken_for_the_host() -> None:
    from annotator.store.project import resolve_target

    url = resolve_target("postgresql+psycopg://me:p@ss@host/db")
    assert (url.username, url.password, url.host, url.database) == ("me", "p@ss", "host", "db")
