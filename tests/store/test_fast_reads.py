"""Raw-tuple reads: the same rows a plain SQLAlchemy execute gives, on every backend."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select, String, delete, func, insert, select, text

from annotator.store.fast_reads import (
    fetch_rows,
    read_one_snapshot,
    row_batches,
    timestamp_as_text,
    utf8_row_batches,
)
from annotator.store.models import Annotation, Code, Coder, Document
from annotator.store.project import ProjectStore, open_project

QUOTES = ["Hello", 'say "hi", twice', "line\nbreak", "🦊 fox", "=1+1", "", "end"]
STAMP = datetime(2024, 5, 1, 10, 0, 7, 250_000)


def _seed(store: ProjectStore) -> ProjectStore:
    """Two documents with seven annotations each (ids 1..14), every one stamped ``STAMP``."""
    with store.transaction() as session:
        session.add_all([Coder(name="ana"), Code(name="Fluff")])
        for n in (1, 2):
            session.add(
                Document(title=f"W{n}", source_format="text", text="x" * 100, text_hash=f"h{n}", length=100)
            )
        session.flush()
        rows = [
            {
                "document_id": doc,
                "code_id": 1,
                "coder_id": 1,
                "start": i * 10,
                "end": i * 10 + 5,
                "quote": quote,
                "memo": f"memo {i}" if i % 2 else "",
                "created_at": STAMP,
                "updated_at": STAMP,
            }
            for doc in (1, 2)
            for i, quote in enumerate(QUOTES)
        ]
        session.execute(insert(Annotation), rows)
    return store


@pytest.fixture
def coded(empty_project: ProjectStore) -> ProjectStore:
    return _seed(empty_project)


def _plain_query() -> Select[*tuple[Any, ...]]:
    return select(
        Annotation.id, Annotation.document_id, Annotation.start, Annotation.quote, Annotation.memo
    ).order_by(Annotation.document_id, Annotation.start)


def test_row_batches_yield_the_rows_of_a_plain_execute_in_batches(coded: ProjectStore) -> None:
    query = _plain_query().where(Annotation.document_id.in_([1, 2]))
    with coded.reading() as session:
        expected = [tuple(row) for row in session.execute(query)]
        batches = list(row_batches(session, query, batch_size=3))
    assert [row for batch in batches for row in batch] == expected and len(expected) == 14
    assert [len(batch) for batch in batches] == [3, 3, 3, 3, 2]
    assert all(type(row) is tuple for batch in batches for row in batch)


def test_row_batches_see_the_sessions_own_uncommitted_rows(coded: ProjectStore) -> None:
    with coded.transaction() as session:
        session.execute(text("DELETE FROM annotations WHERE document_id = 2"))
        rows = [row for batch in row_batches(session, _plain_query(), batch_size=100) for row in batch]
        assert {row[1] for row in rows} == {1}
        session.rollback()


def test_fetch_rows_binds_parameters_including_expanding_lists(coded: ProjectStore) -> None:
    query = _plain_query().where(Annotation.id.in_([2, 3, 9]), Annotation.quote != "nothing like this")
    with coded.reading() as session:
        expected = [tuple(row) for row in session.execute(query)]
        assert fetch_rows(session, query) == expected
    assert [row[0] for row in expected] == [2, 3, 9]


def test_timestamps_as_text_slice_to_the_same_second_on_every_backend(coded: ProjectStore) -> None:
    with coded.reading() as session:
        created = timestamp_as_text(session, Annotation.created_at)
        updated = timestamp_as_text(session, Annotation.updated_at)
        query = select(created, updated).where(Annotation.id == 1)
        [(created_text, updated_text)] = fetch_rows(session, query)
        [batch] = row_batches(session, query, batch_size=10)
    assert batch == [(created_text, updated_text)]
    for value in (created_text, updated_text):
        assert isinstance(value, str)
        assert (value[:10], value[11:19]) == ("2024-05-01", "10:00:07")


def _encoded(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(value.encode("utf-8") if isinstance(value, str) else value for value in row)


def test_utf8_row_batches_give_the_same_rows_with_text_as_utf8_bytes(coded: ProjectStore) -> None:
    with coded.reading() as session:
        created = timestamp_as_text(session, Annotation.created_at)
        updated = timestamp_as_text(session, Annotation.updated_at)
        never_edited = func.nullif(updated, created, type_=String)
        query = _plain_query().add_columns(created, never_edited, Annotation.end)
        expected = [tuple(row) for row in session.execute(query)]
        batches = list(utf8_row_batches(session, query, batch_size=5))
        # The connection reads text as text again afterwards.
        assert session.execute(select(Annotation.quote).where(Annotation.id == 2)).scalar() == QUOTES[1]
    rows = [row for batch in batches for row in batch]
    assert [len(batch) for batch in batches] == [5, 5, 4]
    assert rows == [_encoded(row) for row in expected]
    assert {row[3] for row in rows} == {quote.encode("utf-8") for quote in QUOTES}
    assert all(row[6] is None for row in rows)  # NULL stays None; integers stay integers
    assert all(type(row[0]) is int and type(row[-1]) is int for row in rows)


def test_sqlite_text_comes_back_as_text_even_when_a_bytes_read_stops_early(tmp_path: Path) -> None:
    coded = _seed(open_project(tmp_path / "p.annotator", create=True))
    with coded.reading() as session:
        batches = utf8_row_batches(session, _plain_query(), batch_size=2)
        assert type(next(batches)[0][3]) is bytes
        batches.close()
        assert session.execute(select(Annotation.quote).where(Annotation.id == 1)).scalar() == "Hello"
    coded.close()


def test_one_snapshot_reads_nothing_committed_after_its_first_statement(coded: ProjectStore) -> None:
    everything = select(func.count()).select_from(Annotation)
    with coded.reading() as session:
        read_one_snapshot(session)
        before = session.scalar(everything)
        # Another connection deletes half and commits while the first one is still reading.
        with coded.transaction() as writer:
            writer.execute(delete(Annotation).where(Annotation.document_id == 2))
        rows = [row for batch in utf8_row_batches(session, _plain_query(), batch_size=4) for row in batch]
        after = session.scalar(everything)
    assert before == after == len(rows) == 14
    with coded.reading() as session:
        assert session.scalar(everything) == 7


def test_sqlite_memory_map_setting_is_restored_even_when_reading_stops_early(tmp_path: Path) -> None:
    coded = _seed(open_project(tmp_path / "p.annotator", create=True))
    with coded.reading() as session:
        session.execute(text("PRAGMA mmap_size=4096"))  # the connection's own setting, to come back
        before = session.execute(text("PRAGMA mmap_size")).scalar()
        batches = row_batches(session, _plain_query(), batch_size=2)
        assert len(next(batches)) == 2
        during = session.execute(text("PRAGMA mmap_size")).scalar()
        batches.close()
        after = session.execute(text("PRAGMA mmap_size")).scalar()
    coded.close()
    assert after == before
    assert during != before or before == 0  # 0: this SQLite was built without memory maps
