"""The search index's change log (migration 0007): the text filter is never stale.

Writers only log the annotations they change; the log is folded into the index before a text
filter. Whatever wrote the rows (this process, another process, a bulk coding), whether the fold
could run (another writer holding the lock) or not, and after writes that were rolled back or
killed, the filter finds exactly what a plain case-insensitive comparison finds. Upgrading from
0006 keeps every text searchable; downgrading folds the log and puts 0006's triggers back.
"""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from annotator.core.types import ImportedDocument
from annotator.io.atomic import atomic_write_text
from annotator.io.csv_safety import CSV_ENCODING
from annotator.io.csv_segments import read_segments_csv
from annotator.services import annotations as ann
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document
from annotator.services.projects import create_project
from annotator.services.segment_export import write_segments
from annotator.services.segments import SegmentFilter, list_segments
from annotator.store.migrations_runner import alembic_config, migration_connection, upgrade_to_head
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore, _make_engine, open_project, resolve_target
from annotator.store.search_index import PENDING_TABLE, fold_pending
from tests.store.test_migrations import OLD_ROWS
from tests.store.test_segment_search import TEXT, _found, _reference

NEEDLES = ("dragon", "éclair", "café", "100%", "\\sl", "ärger", "snow fell", "hoard", "zzz")
SPANS = [(0, 17), (18, 31), (32, 48), (49, 82), (83, 116), (117, 145), (4, 10), (40, 60)]
REPO = Path(__file__).resolve().parents[2]


def _check(store: ProjectStore) -> None:
    for needle in NEEDLES:
        assert _found(store, needle) == _reference(store, needle), needle


def _logged(store: ProjectStore) -> int:
    with store.engine.connect() as connection:
        return int(connection.exec_driver_sql(f"SELECT count(*) FROM {PENDING_TABLE}").scalar_one())


def _integrity_ok(store: ProjectStore) -> None:
    """FTS5's own check of the index (after a fold, the index must match the annotations)."""
    assert fold_pending(store.engine, wait_ms=None)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO annotation_search (annotation_search, rank) VALUES ('integrity-check', 1)"
        )


@contextmanager
def _write_lock_held(store: ProjectStore) -> Iterator[None]:
    """Another connection holding SQLite's write lock: readers cannot fold meanwhile."""
    assert store.url.database
    blocker = sqlite3.connect(store.url.database, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        yield
        blocker.execute("ROLLBACK")
    finally:
        blocker.close()


def _coding(store: ProjectStore) -> tuple[int, int, int]:
    document = add_document(store, ImportedDocument("One", "text", TEXT)).id
    return document, list_codes(store)[1].id, ensure_coder(store, "ana").id


def test_rows_coded_by_another_process_are_found_at_once(
    fandom_project: ProjectStore, project_target: str, tmp_path: Path
) -> None:
    store = fandom_project
    document, _code, _coder = _coding(store)
    code_path = list_codes(store)[1].path
    _check(store)  # the log folded: the index holds the document's first state
    rows = "".join(f"{document},{start},{end},{code_path},bea,memo {start}\n" for start, end in SPANS)
    source = tmp_path / "codings.csv"
    source.write_text("document,start,end,code,coder,memo\n" + rows, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "code", project_target, "--from-csv", str(source)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(_reference(store, "memo")) == len(SPANS)
    _check(store)


@pytest.fixture
def sqlite_project(tmp_path: Path) -> Iterator[ProjectStore]:
    """A project file: the change log is SQLite's (PostgreSQL's trigram indexes defer by themselves)."""
    store = create_project(str(tmp_path / "search.annotator"), codebook="fandom")
    yield store
    store.close()


def test_a_reader_that_cannot_fold_is_still_exact(sqlite_project: ProjectStore, tmp_path: Path) -> None:
    store = sqlite_project
    document, code, coder = _coding(store)
    ids = [ann.apply_code(store, document, start, end, code, coder).id for start, end in SPANS]
    _check(store)
    # Inserts, edits of memo and span, removals: all logged, none folded yet.
    other = list_codes(store)[2].id  # the same spans again, under another code
    more = [
        ann.apply_code(store, document, start, end, other, coder, "hoard memo").id for start, end in SPANS[:3]
    ]
    ann.edit_annotation(store, ids[0], memo="a memo about SNOW FELL and dragons")
    ann.edit_annotation(store, ids[1], start=49, end=60)
    ann.edit_annotation(store, more[0], memo="now about café")
    ann.remove_annotations(store, [ids[2], more[1]])
    logged = _logged(store)
    assert logged == 6  # three new, two edited, one removed (the other removed one is new)
    with _write_lock_held(store):
        _check(store)
        assert _logged(store) == logged  # answered with the log unfolded
        assert ids[0] in _found(store, "snow fell") and more[0] in _found(store, "café")
        assert ids[2] not in _found(store, "dragon")
    # An export in two processes (the worker runs the same query elsewhere) does not fold either.
    for needle in NEEDLES:
        assert _exported(store, needle, tmp_path) == sorted(_reference(store, needle)), needle
    assert _logged(store) == logged
    _check(store)
    assert _logged(store) == 0  # the first text filter after folded it
    _integrity_ok(store)


def _exported(store: ProjectStore, needle: str, folder: Path) -> list[int]:
    target = folder / "segments.csv"
    report = atomic_write_text(
        target,
        lambda out: write_segments(store, out, SegmentFilter(text=needle), parallel_from=0, block_rows=1),
        encoding=CSV_ENCODING,
    )
    records = read_segments_csv(io.StringIO(target.read_bytes().decode(CSV_ENCODING), newline=""))
    ids = sorted(record.annotation_id or 0 for record in records)
    assert report.rows == len(ids) and (report.worker_blocks > 0 or len(ids) < 2)
    return ids


def test_a_rolled_back_or_killed_write_leaves_log_and_index_consistent(sqlite_project: ProjectStore) -> None:
    store = sqlite_project
    document, code, coder = _coding(store)
    ids = [ann.apply_code(store, document, start, end, code, coder).id for start, end in SPANS]
    _check(store)
    with pytest.raises(RuntimeError), store.transaction() as session:
        session.add(
            Annotation(document_id=document, code_id=code, coder_id=coder, start=0, end=5, quote="The D")
        )
        session.execute(text("UPDATE annotations SET memo = 'zzz dragon' WHERE id = :id"), {"id": ids[3]})
        session.execute(text("DELETE FROM annotations WHERE id = :id"), {"id": ids[4]})
        session.flush()
        raise RuntimeError("interrupted")
    assert _logged(store) == 0
    _check(store)
    # A process killed in the middle of the same write: nothing of it, log included, remains.
    killed = textwrap.dedent(
        f"""
        import os
        from sqlalchemy import text
        from annotator.store.project import open_project
        store = open_project({store.location!r})
        with store.transaction() as session:
            session.execute(text("UPDATE annotations SET memo = 'zzz dragon' WHERE id = {ids[3]}"))
            session.execute(text("DELETE FROM annotations WHERE id = {ids[4]}"))
            os._exit(9)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", killed], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 9, done.stderr
    assert _logged(store) == 0
    assert _found(store, "zzz") == []
    _check(store)
    _integrity_ok(store)


def _engine_at(target: str, revision: str) -> Engine:
    engine = _make_engine(resolve_target(target))
    upgrade_to_head(engine, resolve_target(target), revision=revision)
    return engine


def _downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _match_0006(engine: Engine, needle: str) -> list[int]:
    """What 0006's index itself answers (no log to fold at that revision)."""
    query = "SELECT rowid FROM annotation_search WHERE annotation_search MATCH ? ORDER BY rowid"
    with engine.connect() as connection:
        return [row[0] for row in connection.exec_driver_sql(query, (f'"{needle}"',))]


def test_upgrade_from_0006_keeps_text_searchable_and_downgrade_folds(
    project_target: str, backend: str
) -> None:
    engine = _engine_at(project_target, "0001")
    with engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement))
    upgrade_to_head(engine, resolve_target(project_target), revision="0006")  # indexes the rows
    engine.dispose()

    store = open_project(project_target)  # upgraded to head
    try:
        [old] = list_segments(store, SegmentFilter(text="once"), None)
        assert (old.text, old.memo) == ("Once", "why")
        assert [row.annotation_id for row in list_segments(store, SegmentFilter(text="why"), None)] == [
            old.annotation_id
        ]
        added = ann.apply_code(store, old.document_id, 5, 9, *_code_and_coder(store, old.annotation_id))
        ann.edit_annotation(store, old.annotation_id, memo="because")
        if store.is_sqlite:
            assert _logged(store) == 2  # logged, not folded: the downgrade must fold it
    finally:
        store.close()

    engine = _make_engine(resolve_target(project_target))
    try:
        _downgrade(engine, "0006")
        if backend == "sqlite":
            assert _match_0006(engine, "upon") == [added.id]
            assert _match_0006(engine, "because") == [old.annotation_id]
            assert _match_0006(engine, "why") == []
            # 0006's own triggers are back: a row written now is indexed at once.
            with engine.begin() as connection:
                connection.exec_driver_sql("UPDATE annotations SET memo = 'time' WHERE id = ?", (added.id,))
            assert _match_0006(engine, "time") == [added.id]
            with engine.begin() as connection:
                tables = connection.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all()
                assert PENDING_TABLE not in tables
    finally:
        engine.dispose()

    store = open_project(project_target)  # and up again
    try:
        assert [row.annotation_id for row in list_segments(store, SegmentFilter(text="upon"), None)] == [
            added.id
        ]
        _check(store)
    finally:
        store.close()


def _code_and_coder(store: ProjectStore, annotation_id: int) -> tuple[int, int]:
    with store.reading() as session:
        row = session.get(Annotation, annotation_id)
        assert row is not None
        return row.code_id, row.coder_id
