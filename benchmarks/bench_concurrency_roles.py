"""The processes of ``bench_concurrency.py``: each role runs as ``python THIS_FILE ROLE ARGS...``.

- ``coder``: process A of part 1, an ``ApplyCode`` every gap, timing each and its lock wait;
- ``writer``: process B of part 1, writing without pause (or open and idle);
- ``cli``: ``annotator ARGV`` as the installed command, then the moment it last committed;
- ``remote``: another user's process coding through the services and announcing it;
- ``app``: the app's main window on a shared project, saying when each watched coding shows.

They talk to the benchmark in JSON lines on stdout and read their orders from stdin.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from annotator.core.errors import USER_ERRORS
from annotator.store.project import WRITE_OPTION, open_project

TEXT = "".join(f"Line {n}: they met at the harbour and did not speak.\n" for n in range(1200))
IMPORT_ROWS = 50_000
MERGE_SOURCES = 4
APPLIES_PER_CYCLE = 40  # B's apply_code calls between two imports; every 4th is followed by a memo edit


def say(**message: Any) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def write_segments(path: Path, rows: int, coder: str, code_prefix: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["document_id", "start", "end", "text", "code_path", "coder"])
        for n in range(rows):
            start = n % (len(TEXT) - 10)
            writer.writerow([1, start, start + 6, TEXT[start : start + 6], f"{code_prefix} {n % 3}", coder])


def stdin_events() -> tuple[threading.Event, threading.Event]:
    """(go, stop): the first line on stdin says go; its end says stop."""
    go, stop = threading.Event(), threading.Event()

    def read() -> None:
        if sys.stdin.readline():
            go.set()
        sys.stdin.read()
        go.set()
        stop.set()

    threading.Thread(target=read, daemon=True).start()
    return go, stop


def record_commits() -> list[float]:
    """The moments this process's transactions committed (after the database said so).

    A savepoint's release counts too; the last entry after an action is its transaction's commit.
    """
    commits: list[float] = []
    event.listen(Session, "after_commit", lambda _session: commits.append(time.monotonic()))
    return commits


# --- part 1: a code action while another process writes ---------------------------------------


def role_coder(argv: list[str]) -> None:
    """Process A: an ApplyCode every gap for a while; reports each action's times and lock wait."""
    from annotator.core.undo import UndoStack
    from annotator.services import commands
    from annotator.services.changes import Change
    from annotator.services.codebook import find_code_by_path
    from annotator.services.coders import ensure_coder

    target, seconds, gap, coder_name = argv[0], float(argv[1]), float(argv[2]) / 1000, argv[3]
    store = open_project(target)
    begun = [0.0, 0.0]  # when BEGIN IMMEDIATE was sent, how long it took (SQLite's write lock)

    @event.listens_for(store.engine, "before_cursor_execute")
    def _asking(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            begun[0] = time.perf_counter()

    @event.listens_for(store.engine, "after_cursor_execute")
    def _got(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            begun[1] = time.perf_counter() - begun[0]

    with store.reading() as session:
        code_id = find_code_by_path(session, "Longing").id
    coder_id = ensure_coder(store, coder_name).id
    stack: UndoStack[Change] = UndoStack()
    starts = iter(range(0, len(TEXT) - 20, 7))

    def act() -> list[Any]:
        start, begun[1] = next(starts), 0.0
        began = time.monotonic()
        try:
            stack.push(commands.ApplyCode(store, 1, start, start + 8, code_id, coder_id))
            refused = ""
        except USER_ERRORS as exc:
            refused = type(exc).__name__
        return [began, time.monotonic(), begun[1], refused]

    for _ in range(3):  # as in an open app: connection pooled, the work's text cached
        act()
    go, _stop = stdin_events()
    say(event="ready")
    go.wait()
    actions, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        actions.append(act())
        time.sleep(gap)
    say(event="done", actions=actions)
    store.close()


def role_writer(argv: list[str]) -> None:
    """Process B: apply_code, memo edits, a 50k-row segment import and a merge, until stopped."""
    from annotator.services import annotations, documents, merge, segment_import
    from annotator.services.codebook import find_code_by_path
    from annotator.services.coders import ensure_coder

    target, workdir, idle = argv[0], Path(argv[1]), argv[2] == "idle"
    store = open_project(target)
    tag = uuid.uuid4().hex[:6]
    with store.reading() as session:
        code_id = find_code_by_path(session, "Quarrel").id
    coder = ensure_coder(store, f"ben {tag}")
    go, stop = stdin_events()
    say(event="ready")
    go.wait()
    ops: list[list[Any]] = []
    # How long each write transaction lasted, from its BEGIN (SQLite: the write lock taken) to
    # just before its COMMIT; engine events, as the Session's also fire for savepoints.
    held, taken = [], [0.0]

    def _began(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_OPTION):
            taken[0] = time.perf_counter()

    def _ended(_connection: Any) -> None:
        if taken[0]:
            held.append(time.perf_counter() - taken[0])
            taken[0] = 0.0

    event.listen(Engine, "begin", _began)
    event.listen(Engine, "commit", _ended)
    event.listen(Engine, "rollback", _ended)

    def timed(kind: str, action: Any, *args: Any) -> None:
        held.clear()
        began = time.monotonic()
        try:
            action(*args)
            refused = ""
        except USER_ERRORS as exc:
            refused = f"{type(exc).__name__}: {exc}"
        ops.append([kind, began, time.monotonic(), refused, max(held, default=0.0)])

    def import_file(path: Path) -> None:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            segment_import.import_segments(store, handle, path.name)

    made, cycle = 0, 0
    while not idle and not stop.is_set():
        for n in range(APPLIES_PER_CYCLE):
            start = (made * 13) % (len(TEXT) - 20)
            made += 1
            timed("apply_code", annotations.apply_code, store, 1, start, start + 5, code_id, coder.id)
            if n % 4 == 3:
                timed("memo edit", documents.change_document_memo, store, 1, coder.name, f"note {made}")
            if stop.is_set():
                break
        else:
            segments = workdir / f"import-{tag}-{cycle}.csv"
            write_segments(segments, IMPORT_ROWS, f"importer {tag} {cycle}", "Imported/Group")
            timed("import-segments", import_file, segments)
            timed("merge", merge.merge_from, store, str(workdir / f"copy-{cycle % MERGE_SOURCES}.annotator"))
            cycle += 1
    stop.wait()
    say(event="done", ops=ops)
    store.close()


# --- part 2: another user's change appearing in the open app ----------------------------------


def role_cli(argv: list[str]) -> None:
    """``annotator ARGV`` as the installed command runs it, then the moment it last committed."""
    commits = record_commits()
    from annotator.cli import main

    status = main(argv)
    print(json.dumps({"committed": commits[-1] if commits else None}), file=sys.stderr)
    sys.exit(status)


def role_remote(argv: list[str]) -> None:
    """Another user's process coding through the services: apply_code, then announce it."""
    from annotator.services.annotations import apply_code
    from annotator.services.changes import Change
    from annotator.services.codebook import find_code_by_path
    from annotator.services.coders import ensure_coder
    from annotator.store.notify import announce

    store = open_project(argv[0])
    commits = record_commits()
    coder = ensure_coder(store, "bob")
    with store.reading() as session:
        code_id = find_code_by_path(session, "Longing").id
    say(event="ready")
    for line in sys.stdin:
        document, start = map(int, line.split())
        info = apply_code(store, document, start, start + 9, code_id, coder.id)
        committed = commits[-1]
        announce(store, Change(annotations_added=(info,)).to_payload())
        say(id=info.id, committed=committed)
    store.close()


def role_app(argv: list[str]) -> None:
    """Process A: the app's main window on the project; says when each watched annotation shows."""
    from PySide6.QtCore import QCoreApplication, QObject, QSettings, Signal
    from PySide6.QtWidgets import QApplication

    from annotator.services.changes import Change
    from annotator.ui.main_window import MainWindow
    from annotator.ui.settings import AppSettings

    url, workdir = argv
    app = QApplication([])
    QCoreApplication.setOrganizationName("annotator-bench")
    QCoreApplication.setApplicationName("annotator-bench")
    settings = AppSettings(QSettings(str(Path(workdir) / "app.ini"), QSettings.Format.IniFormat))
    settings.set_coder_name("alice")
    settings.set_show_other_coders(True)  # bob's codings are highlights in alice's viewer
    window = MainWindow(settings)
    window.show()
    window.open_location(url)  # as the app does: in a worker, then the first work is opened
    deadline = time.monotonic() + 60
    while window.workspace is None or window.workspace.pane.document is None:
        if time.monotonic() > deadline:
            raise SystemExit(f"the app did not open the project: {window.last_error}")
        app.processEvents()
        time.sleep(0.005)
    ws = window.workspace
    assert ws.pane.document is not None and ws.session.watcher is not None
    assert ws.session.watcher.wait_ready(10)
    document = ws.pane.document.id

    class Probe(QObject):
        watchRequested = Signal(int, int)  # annotation id, the count the Documents panel should show

        def __init__(self) -> None:
            super().__init__()
            self.pending: dict[int, dict[str, Any]] = {}
            self.last_publish = (0.0, 0.0)  # an external change entering publish, and leaving it
            self.last_counts = 0.0
            self._publish = ws.session.publish
            # The watcher calls session.publish by name: this wrapper sees each change arrive.
            ws.session.publish = self.publish  # type: ignore[method-assign]
            ws.session.countsStale.connect(self.counted)  # after the Documents panel's refresh
            self.watchRequested.connect(self.watch)

        def publish(self, change: Change, initiator: Any = None) -> None:
            heard = time.monotonic()
            self._publish(change, initiator)
            if change.is_external:
                self.last_publish = (heard, time.monotonic())
                self.check()

        def counted(self) -> None:
            self.last_counts = time.monotonic()
            self.check()

        def watch(self, annotation_id: int, count: int) -> None:
            if annotation_id < 0:
                window.close()
                app.quit()
                return
            self.pending[annotation_id] = {"id": annotation_id, "count": count}
            self.check()

        def check(self) -> None:
            listed = next(d for d in ws.documents.model.documents() if d.id == document)
            for annotation_id, seen in list(self.pending.items()):
                if "shown" not in seen and ws.pane.viewer.highlight(annotation_id) is not None:
                    seen["heard"], seen["shown"] = self.last_publish
                if "counted" not in seen and listed.annotation_count >= seen["count"]:
                    seen["counted"] = self.last_counts
                if "shown" in seen and "counted" in seen:
                    say(**self.pending.pop(annotation_id))

    probe = Probe()

    def read() -> None:
        for line in sys.stdin:
            probe.watchRequested.emit(*map(int, line.split()))  # queued to the GUI thread
        probe.watchRequested.emit(-1, 0)

    threading.Thread(target=read, daemon=True).start()
    say(event="ready", document=document)
    app.exec()


ROLES = {
    "coder": role_coder,
    "writer": role_writer,
    "cli": role_cli,
    "remote": role_remote,
    "app": role_app,
}


if __name__ == "__main__":
    ROLES[sys.argv[1]](sys.argv[2:])
