"""A reader in another process sees exactly the snapshot of the session that shared it.

Real processes and real databases: a child joins the snapshot with the DBAPI driver alone, as the
segments export's worker does, while this process (and, in the slow test, a span editor) commits.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, text
from sqlalchemy.orm import Session

from annotator.core.types import ImportedDocument
from annotator.services import codebook, coders, documents
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore
from annotator.store.shared_snapshot import ReaderTicket, begin_shared, reader_ticket, writes_held

REPO = Path(__file__).resolve().parents[2]
ROWS_SQL = 'SELECT id, document_id, start, "end", quote, memo FROM annotations ORDER BY id'
TEXT = "She said “hi”, then left. " * 40

_READER = f"""
import hashlib, json, sys
from annotator.store.shared_snapshot import ReaderTicket, join, open_reader
ticket = ReaderTicket(*json.loads(sys.stdin.readline()))
connection = open_reader(ticket, 10)
print("ready", flush=True)
for line in sys.stdin:
    if line.startswith("join "):
        connection.rollback()  # a new snapshot each time: end the last read transaction
        join(connection, ticket, line[5:].strip())
        print("joined", flush=True)
    else:
        rows = connection.execute({ROWS_SQL!r}).fetchall()
        print(hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest(), flush=True)
"""


# Commits every few milliseconds until its input closes, leaving the write lock free in between
# (as people coding do; a writer that never lets go would make every snapshot wait for it).
_WRITER = """
import random, sys, threading, time
from sqlalchemy import update
from annotator.store.models import Annotation
from annotator.store.project import open_project
store = open_project(sys.argv[1], purpose="the writer of a test")
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
rng, commits = random.Random(5), 0
while not stop.is_set():
    with store.transaction() as session:
        picked = Annotation.id == rng.randint(1, 200)
        session.execute(update(Annotation).where(picked).values(memo=f"edit {commits}"))
    commits += 1
    if commits == 1:
        print("ready", flush=True)
    time.sleep(0.001)
store.close()
"""


def _checksum(rows: Sequence[Any]) -> str:
    return hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


class Reader:
    """The child process: joins snapshots and answers with a checksum of what it reads."""

    def __init__(self, ticket: ReaderTicket) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _READER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        self._say(json.dumps([ticket.backend, ticket.location]))
        assert self._hear() == "ready"

    def _say(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def _hear(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def join(self, snapshot: str) -> None:
        self._say(f"join {snapshot}")
        assert self._hear() == "joined"

    def checksum(self) -> str:
        self._say("read")
        return self._hear()

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        assert self.process.wait(timeout=60) == 0
        self.process.stdout.close()


@pytest.fixture
def coded(empty_project: ProjectStore) -> ProjectStore:
    """One document with 200 annotations."""
    store = empty_project
    doc = documents.add_document(store, ImportedDocument(title="W", source_format="text", text=TEXT))
    code = codebook.add_code(store, "Trope").id
    coder = coders.ensure_coder(store, "ana").id
    rows = [
        {
            "document_id": doc.id,
            "code_id": code,
            "coder_id": coder,
            "start": i,
            "end": i + 10,
            "quote": TEXT[i : i + 10],
        }
        for i in range(200)
    ]
    with store.transaction() as session:
        session.execute(insert(Annotation), rows)
    return store


@pytest.fixture
def reader(coded: ProjectStore) -> Iterator[Reader]:
    ticket = reader_ticket(coded)
    assert ticket is not None
    child = Reader(ticket)
    try:
        yield child
    finally:
        child.close()


def _share(store: ProjectStore, session: Session, reader: Reader) -> None:
    ticket = reader_ticket(store)
    assert ticket is not None
    with writes_held(ticket, wait=10) as held:
        assert held
        reader.join(begin_shared(session))


def test_a_reader_in_another_process_sees_the_shared_snapshot_and_not_later_commits(
    coded: ProjectStore, reader: Reader
) -> None:
    with coded.reading() as session:
        _share(coded, session, reader)
        with coded.transaction() as writer:  # lands after both began reading
            writer.execute(delete(Annotation).where(Annotation.id <= 50))
        mine = _checksum(session.execute(text(ROWS_SQL)).all())
        assert reader.checksum() == mine
    with coded.reading() as session:
        now = session.execute(text(ROWS_SQL)).all()
    assert len(now) == 150 and _checksum(now) != mine


@pytest.mark.slow
def test_the_shared_snapshot_is_one_moment_while_another_process_keeps_committing(
    coded: ProjectStore, reader: Reader, project_target: str
) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, project_target],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert writer.stdin is not None and writer.stdout is not None
    try:
        assert writer.stdout.readline().strip() == "ready"
        seen = set()
        for _ in range(150):
            with coded.reading() as session:
                _share(coded, session, reader)
                mine = _checksum(session.execute(text(ROWS_SQL)).all())
                assert reader.checksum() == mine
                seen.add(mine)
    finally:
        writer.stdin.close()
        assert writer.wait(timeout=60) == 0
        writer.stdout.close()
    assert len(seen) > 10  # commits did land between the snapshots, and around them


def test_writes_are_held_off_while_held_and_a_busy_lock_is_reported_not_waited_for(
    coded: ProjectStore, backend: str
) -> None:
    ticket = reader_ticket(coded)
    assert ticket is not None
    if backend != "sqlite":
        with writes_held(ticket, wait=0.1) as held:
            assert held  # PostgreSQL shares snapshots without holding anything
        return
    with writes_held(ticket, wait=1) as held:
        assert held
        other = sqlite3.connect(ticket.location, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")  # released: a writer gets in
    try:
        with writes_held(ticket, wait=0.1) as held:
            assert not held
    finally:
        other.execute("ROLLBACK")
        other.close()
