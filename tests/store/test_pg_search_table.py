"""PostgreSQL's search side table and its change log (migration 0008): the text filter is never stale.

The trigram indexes live on ``annotation_search``, filled from a log the writers keep. Moving a
span (an update moving thousands) logs nothing; a text filter is exact whether or not the fold
could run; a fold that meets another writer's uncommitted change to a logged annotation waits for
it (or gives up) rather than taking the log and indexing the old text.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, create_engine, make_url

from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document
from annotator.services.segments import SegmentFilter, list_segments
from annotator.store.project import ProjectStore
from annotator.store.search_index import PENDING_TABLE, fold_pending
from tests.conftest import PG_URL, fresh_pg_database
from tests.store.test_segment_search import _reference

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL server (ANNOTATOR_TEST_PG_URL)")

TEXT = "The dragon slept on gold. Snow fell on the hoard. Nobody woke the dragon that winter."
SPANS = [(0, 25), (26, 49), (50, 84), (4, 10)]


@pytest.fixture
def pg_store() -> Iterator[ProjectStore]:
    from annotator.services.projects import create_project

    with fresh_pg_database() as url:
        store = create_project(url, codebook="fandom")
        try:
            yield store
        finally:
            store.close()


def _coded(store: ProjectStore) -> tuple[int, list[int]]:
    """A work and four codings of it, one of them inside another."""
    document = add_document(store, ImportedDocument("Hoard", "text", TEXT)).id
    code = list_codes(store)[1].id
    coder = ensure_coder(store, "ana").id
    return document, [ann.apply_code(store, document, s, e, code, coder).id for s, e in SPANS]


def _found(store: ProjectStore, needle: str) -> list[int]:
    return [row.annotation_id for row in list_segments(store, SegmentFilter(text=needle), None)]


def _logged(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return sorted(connection.exec_driver_sql(f"SELECT annotation_id FROM {PENDING_TABLE}").scalars())


def _indexed(engine: Engine) -> dict[int, tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT annotation_id, quote, memo FROM annotation_search")
        return {row[0]: (row[1], row[2]) for row in rows}


@pytest.fixture
def other_connection(pg_store: ProjectStore) -> Iterator[Connection]:
    """A second client of the same database: another coder's app, holding a transaction open."""
    engine = create_engine(make_url(pg_store.engine.url))
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def test_moving_spans_logs_nothing_and_the_fold_indexes_current_text(pg_store: ProjectStore) -> None:
    store = pg_store
    _, ids = _coded(store)
    assert _logged(store.engine) == ids  # written, not yet indexed
    assert fold_pending(store.engine, wait_ms=None)
    assert _logged(store.engine) == []
    assert _indexed(store.engine)[ids[1]] == ("Snow fell on the hoard.", "")
    with store.engine.begin() as connection:  # what an update does to every moved annotation
        connection.exec_driver_sql('UPDATE annotations SET start = start + 1, "end" = "end" + 1')
    assert _logged(store.engine) == []
    ann.edit_annotation(store, ids[1], memo="white winter")
    ann.remove_annotations(store, [ids[3]])
    assert _logged(store.engine) == [ids[1], ids[3]]
    assert _found(store, "winter") == sorted([ids[1], ids[2]])  # folds first
    assert _logged(store.engine) == []
    indexed = _indexed(store.engine)
    assert ids[3] not in indexed and indexed[ids[1]][1] == "white winter"
    assert _found(store, "dragon") == _reference(store, "dragon") == [ids[0], ids[2]]


def test_a_reader_that_cannot_fold_is_still_exact(
    pg_store: ProjectStore, other_connection: Connection
) -> None:
    store = pg_store
    _, ids = _coded(store)
    ann.edit_annotation(store, ids[0], memo="gold and ember")
    # Another client holds the log's rows (as a fold in progress does): this reader's fold gives up.
    other_connection.exec_driver_sql(f"SELECT annotation_id FROM {PENDING_TABLE} FOR UPDATE").all()
    assert not fold_pending(store.engine)
    for needle in ("dragon", "ember", "snow", "zzz", "the"):
        assert _found(store, needle) == _reference(store, needle), needle
    other_connection.rollback()
    assert fold_pending(store.engine)
    assert _found(store, "ember") == [ids[0]]


def test_a_fold_never_takes_a_change_still_being_written(
    pg_store: ProjectStore, other_connection: Connection
) -> None:
    store = pg_store
    _, ids = _coded(store)
    ann.edit_annotation(store, ids[2], memo="first thought")  # logged, committed
    # Another coder's memo edit of the same annotation, not committed yet: its note locks the log row.
    other_connection.exec_driver_sql(f"UPDATE annotations SET memo = 'second thought' WHERE id = {ids[2]}")
    assert not fold_pending(store.engine)  # waits 50 ms for that writer, then leaves the log alone
    assert ids[2] in _logged(store.engine)
    assert _found(store, "first thought") == [ids[2]]  # the committed text, still exact
    other_connection.commit()
    assert _found(store, "second thought") == [ids[2]]
    assert _found(store, "first thought") == []
    assert _logged(store.engine) == []
    assert _indexed(store.engine)[ids[2]][1] == "second thought"
