"""Killing the app mid-action never corrupts a project or loses an action it acknowledged.

A child process (``crash_writer.py``) codes through the services and prints an acknowledgement
after each service call returns; the parent SIGKILLs it at a random moment, then checks the
SQLite file: ``integrity_check`` is ok, no foreign key dangles, every acknowledged action is
there, and multi-row actions (delete a code, import segments) are all-or-nothing. How long a
kill cycle takes is measured by ``benchmarks/bench_crash_safety.py``, not asserted here.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.services.projects import create_project
from annotator.store.project import open_project

WRITER = Path(__file__).with_name("crash_writer.py")
ACTIONS = ("apply", "memo", "delete", "segments", "document")
KILLS = 25
TEXT = "".join(f"Paragraph {n}: she looked at him 👀 and said “later”.\n" for n in range(40))

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "crash.annotator"
    store = create_project(path, codebook="fandom")
    doc = documents.add_document(store, ImportedDocument(title="Target", source_format="text", text=TEXT))
    coder = coders.ensure_coder(store, "crash")
    first = ann.apply_code(store, doc.id, 0, 9, cb.list_codes(store)[0].id, coder.id)
    assert first.id == 1  # the writer's memo target
    store.close()
    yield path


class Writer:
    """The child process with its acknowledgements collected by a reader thread."""

    def __init__(self, project: Path, action: str, seed: int) -> None:
        repo = Path(__file__).resolve().parents[2]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo), os.environ.get("PYTHONPATH", "")])}
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), str(project), action, str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if not line.endswith("\n"):
                break  # cut off by the kill: not an acknowledgement
            if line == "ready\n":
                self.ready.set()
            else:
                self.lines.append(line.rstrip("\n"))

    def kill_after(self, delay: float) -> list[list[str]]:
        if not self.ready.wait(30):
            self.process.kill()
            _, err = self.process.communicate()
            raise AssertionError(f"writer never got ready: {err}")
        time.sleep(delay)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.reader.join(10)
        assert self.process.stdout is not None and self.process.stderr is not None
        err = self.process.stderr.read()
        self.process.stdout.close()
        self.process.stderr.close()
        assert self.process.returncode == -signal.SIGKILL, f"writer died by itself: {err}"
        return [line.split() for line in self.lines]


def _check_database(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys=ON")
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    for start, end, quote, text in connection.execute(
        'SELECT a.start, a."end", a.quote, d.text FROM annotations a JOIN documents d ON d.id = a.document_id'
    ):
        assert quote == text[start:end]
    return connection


def _annotation_ids(connection: sqlite3.Connection, code_id: int) -> set[int]:
    return {row[0] for row in connection.execute("SELECT id FROM annotations WHERE code_id = ?", (code_id,))}


def _check_acknowledged(connection: sqlite3.Connection, action: str, acks: list[list[str]]) -> None:
    if action == "apply":
        for _, annotation_id in acks:
            assert connection.execute(
                "SELECT 1 FROM annotations WHERE id = ?", (int(annotation_id),)
            ).fetchone()
    elif action == "memo" and acks:
        _, annotation_id, last = acks[-1]
        [(memo,)] = connection.execute("SELECT memo FROM annotations WHERE id = ?", (int(annotation_id),))
        # The acknowledged memo, or the next one if it committed just before the kill.
        assert memo in (f"memo {last}", f"memo {int(last) + 1}")
    elif action == "delete" and acks:
        _, code_id, ids = acks[-1]
        expected = {int(i) for i in ids.split(",")}
        present = _annotation_ids(connection, int(code_id))
        has_code = connection.execute("SELECT count(*) FROM codes WHERE id = ?", (int(code_id),)).fetchone()[
            0
        ]
        has_child = connection.execute(
            "SELECT count(*) FROM codes WHERE parent_id = ?", (int(code_id),)
        ).fetchone()[0]
        # Deleted or restored, but never half of either.
        assert (has_code, has_child, present) in ((1, 1, expected), (0, 0, set()))
    elif action == "segments":
        bulk = "SELECT a.code_id FROM annotations a JOIN coders k ON k.id = a.coder_id WHERE k.name = 'bulk'"
        for _, path, imported in acks:
            leaf = path.split("/")[-1]
            rows = connection.execute(
                f"SELECT count(*) FROM ({bulk}) b JOIN codes c ON c.id = b.code_id WHERE c.name = ?", (leaf,)
            ).fetchone()[0]
            assert rows == int(imported) == 200
        # An import cut off by the kill left nothing: each file's code has all its rows, or does not exist.
        for (count,) in connection.execute(
            f"SELECT count(b.code_id) FROM codes c JOIN codes p ON p.id = c.parent_id "
            f"LEFT JOIN ({bulk}) b ON b.code_id = c.id WHERE p.name = 'Bulk' GROUP BY c.id"
        ):
            assert count == 200
    elif action == "document":
        for _, document_id in acks:
            attributes = connection.execute(
                "SELECT count(*) FROM document_attributes WHERE document_id = ?", (int(document_id),)
            ).fetchone()[0]
            zones = connection.execute(
                "SELECT count(*) FROM document_zones WHERE document_id = ?", (int(document_id),)
            ).fetchone()[0]
            assert (attributes, zones) == (3, 1)


def test_killed_writers_never_lose_acknowledged_actions(project: Path) -> None:
    rng = random.Random(20240501)
    acknowledged = 0
    for kill in range(KILLS):
        action = ACTIONS[kill % len(ACTIONS)]
        writer = Writer(project, action, seed=kill + 1)
        acks = writer.kill_after(rng.uniform(0.005, 0.200))
        acknowledged += len(acks)
        connection = _check_database(project)
        try:
            _check_acknowledged(connection, action, acks)
        finally:
            connection.close()
    assert acknowledged > KILLS  # the kills did land in the middle of real work
    store = open_project(project)  # and the app still opens it
    assert documents.list_documents(store)
    store.close()
