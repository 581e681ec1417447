"""The segments' text search index: a change log written with each change, folded later.

Migration 0006 kept the FTS5 trigram index (``annotation_search``, external content over the
annotations' quote and memo) right with triggers that indexed every row as it was written: 80% of
the time of a bulk coding (``annotator code --from-csv`` fell from 22.5k to 4.2k rows/s).
Migration 0007 makes those triggers cheap: they only note the changed annotation in
``annotation_search_pending``, in the writer's own transaction (a crash or rollback takes the
note with the change). :func:`fold_pending` brings the index up to date in one short write: it
removes what the index holds for the noted ids and indexes their current text.

The invariant the triggers keep, which makes that fold exact: for an id not in the log, the index
holds the annotation's current quote and memo (nothing when there is no such annotation); for an
id in the log, it holds the log's ``quote`` and ``memo`` when ``indexed`` is 1, nothing when 0.
The first note of an id wins (``WHERE NOT EXISTS``, not ``INSERT OR IGNORE``, whose conflict
policy an outer ``INSERT OR …`` statement would override), because the index still holds what
it held before the first change. FTS5's external-content ``'delete'`` needs exactly the values
indexed, which is why the log keeps them.

Readers never depend on the fold having run: :mod:`annotator.services.segment_query` answers a
text filter from the index minus the logged ids, plus the logged ids matched afresh, in its own
snapshot, so it is exact whether or not (and whenever) another process folds.

PostgreSQL (migration 0008) keeps the same kind of log, ``annotation_search_pending`` (ids only),
beside a plain table ``annotation_search`` (id, quote, memo) carrying the trigram indexes. Its
invariant is simpler: for an id not in the log, the table holds the annotation's current quote
and memo (no row when there is no annotation); for a logged id it may hold anything. The fold
takes the log (``DELETE … RETURNING``, which locks the taken rows: a second fold gives up, a
writer noting one of them again waits, then logs it afresh), replaces those ids' rows with the
annotations' current text, and commits. A writer's note locks its log row even when the id was
logged already, so a fold never takes an id whose change is still uncommitted.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from annotator.store.project import BUSY_TIMEOUT_MS, WRITE_OPTION

PENDING_TABLE = "annotation_search_pending"

# The 0007 schema of the log and its triggers (also used by tests that check the head schema).
CREATE_PENDING = (
    f"CREATE TABLE {PENDING_TABLE} (annotation_id INTEGER PRIMARY KEY, "
    "indexed INTEGER NOT NULL DEFAULT 0, quote TEXT, memo TEXT)"
)
_NOTE_NEW = (
    f"INSERT INTO {PENDING_TABLE} (annotation_id) SELECT new.id "
    f"WHERE NOT EXISTS (SELECT 1 FROM {PENDING_TABLE} WHERE annotation_id = new.id);"
)
_NOTE_OLD = (
    f"INSERT INTO {PENDING_TABLE} (annotation_id, indexed, quote, memo) "
    "SELECT old.id, 1, old.quote, old.memo "
    f"WHERE NOT EXISTS (SELECT 1 FROM {PENDING_TABLE} WHERE annotation_id = old.id);"
)
LOGGING_TRIGGERS = (
    f"CREATE TRIGGER annotation_search_insert AFTER INSERT ON annotations BEGIN {_NOTE_NEW} END",
    f"CREATE TRIGGER annotation_search_delete AFTER DELETE ON annotations BEGIN {_NOTE_OLD} END",
    "CREATE TRIGGER annotation_search_update AFTER UPDATE OF id, quote, memo ON annotations "
    f"BEGIN {_NOTE_OLD} {_NOTE_NEW} END",
)

# One fold: what the index holds for the logged ids out, their current text in, the log emptied.
FOLD = (
    "INSERT INTO annotation_search (annotation_search, rowid, quote, memo) "
    f"SELECT 'delete', annotation_id, quote, memo FROM {PENDING_TABLE} WHERE indexed",
    "INSERT INTO annotation_search (rowid, quote, memo) SELECT a.id, a.quote, a.memo "
    f"FROM {PENDING_TABLE} p JOIN annotations a ON a.id = p.annotation_id",
    f"DELETE FROM {PENDING_TABLE}",
)
ANY_PENDING = f"SELECT EXISTS (SELECT 1 FROM {PENDING_TABLE})"
# How long a reader waits for another process's write before it reads without folding.
FOLD_WAIT_MS = 50


def fold_in(connection: Connection) -> None:
    """Fold the log into the index, inside the caller's write transaction."""
    for statement in FOLD:
        connection.exec_driver_sql(statement)


# PostgreSQL: one fold (see the module's text), as three statements of one transaction.
PG_TAKE = f"DELETE FROM {PENDING_TABLE} RETURNING annotation_id"
PG_FOLD = (
    "DELETE FROM annotation_search WHERE annotation_id = ANY(:ids)",
    "INSERT INTO annotation_search (annotation_id, quote, memo) "
    "SELECT id, quote, memo FROM annotations WHERE id = ANY(:ids)",
)
# PostgreSQL's code for a lock wait that ran out (``lock_timeout``).
_LOCK_NOT_AVAILABLE = "55P03"


def _fold_postgresql(engine: Engine, wait_ms: int | None) -> bool:
    with engine.connect() as connection:
        if not connection.exec_driver_sql(ANY_PENDING).scalar():
            connection.rollback()
            return True
        connection.rollback()
        try:
            with connection.begin():
                if wait_ms is not None:
                    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait_ms)}")
                ids = [row[0] for row in connection.exec_driver_sql(PG_TAKE)]
                for statement in PG_FOLD:
                    connection.execute(text(statement), {"ids": ids})
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) != _LOCK_NOT_AVAILABLE:
                raise
            return False  # another fold holds the log: readers stay exact without this one
    return True


def fold_pending(engine: Engine, *, wait_ms: int | None = FOLD_WAIT_MS) -> bool:
    """Fold the log in a short write of its own, if anything is logged; whether the log is empty now.

    ``wait_ms``: how long to wait for another writer (None: the project's busy timeout). When
    the wait runs out nothing is folded and False is returned; readers stay exact regardless.
    """
    if engine.dialect.name == "postgresql":
        return _fold_postgresql(engine, wait_ms)
    with engine.connect() as connection:
        if not connection.exec_driver_sql(ANY_PENDING).scalar():
            connection.rollback()
            return True
        connection.rollback()
        raw = connection.connection.driver_connection
        assert raw is not None
        if wait_ms is not None:
            raw.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        try:
            with connection.execution_options(**{WRITE_OPTION: True}).begin():
                fold_in(connection)
        except OperationalError as exc:
            # Another writer kept the lock, or the project is read-only here: read unfolded.
            if not any(word in str(exc) for word in ("locked", "busy", "readonly")):
                raise
            return False
        finally:
            if wait_ms is not None:
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return True
