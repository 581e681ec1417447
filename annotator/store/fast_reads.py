"""Reading many rows as fast as the backend allows: plain DBAPI tuples instead of SQLAlchemy ``Row``s.

A ``Row`` costs ~3 µs; for a million-row export or a work with 100k highlights that is most of
the time. The services build an ordinary SQLAlchemy ``select`` and hand it here; what each backend
needs to stream it quickly (SQLite's memory-mapped reads, PostgreSQL's server-side cursor, the text
form of timestamps, text left as UTF-8 bytes) and to read it from one snapshot stays in this module.

Rows come back as the driver returns them: values are not processed by SQLAlchemy types, so a
service selects columns whose raw values it can use (integers, text, :func:`timestamp_as_text`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Iterator, Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, String, func, select, type_coerce
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from annotator.store.models import Annotation
from annotator.store.raw_rows import (
    POSTGRESQL,
    SQLITE,
    RawRow,
    postgresql_batches,
    sqlite_batches,
    utf8_batches,
)

Query = Select[*tuple[Any, ...]]

_PG_TIMESTAMP_TEXT = "YYYY-MM-DD HH24:MI:SS"


def _is_postgresql(dialect: Dialect) -> bool:
    return dialect.name == "postgresql"


def read_one_snapshot(session: Session) -> None:
    """Make every statement of ``session`` read the same snapshot of the project, however long
    the reading takes and whatever other processes commit meanwhile. Call it first, before the
    session's first statement.

    PostgreSQL runs the transaction ``REPEATABLE READ, READ ONLY`` (its default, READ COMMITTED,
    gives each statement a snapshot of its own). An SQLite read transaction is one snapshot
    already: the project's connections ``BEGIN`` explicitly and in WAL mode the first read fixes
    what the transaction sees until it ends. Either way it holds only while everything is read
    through this session's one connection.
    """
    if _is_postgresql(session.get_bind().dialect):
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        session.connection(execution_options=options)
    else:
        session.connection()


def timestamp_as_text(session: Session, column: Any) -> ColumnElement[str]:
    """``column`` (a naive UTC timestamp) as text starting ``2024-05-01 10:00:00``, on any backend.

    Characters 0–9 are the date and 11–18 the time of day to the second; SQLite may add a
    fraction (it stores ``2024-05-01 10:00:00.000000``). Slicing that text costs ~0.25 µs a row,
    where parsing and formatting datetimes (or SQLite's ``strftime``) cost over 1 µs.
    """
    if _is_postgresql(session.get_bind().dialect):
        return func.to_char(column, _PG_TIMESTAMP_TEXT, type_=String)
    return type_coerce(column, String)


def _literal_sql(query: Query, dialect: Dialect) -> str:
    """The query's SQL with its parameters inline: callers pass integer ids and offsets only."""
    return str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def row_batches(session: Session, query: Query, batch_size: int) -> Iterator[list[RawRow]]:
    """Stream the rows of ``query`` in lists of up to ``batch_size`` tuples, in the session's transaction.

    The query's parameters are rendered into the SQL, so they must be plain integers (ids,
    offsets); use :func:`fetch_rows` for anything else. Consume the iterator fully or close it.
    """
    connection = session.connection()
    sql = _literal_sql(query, connection.dialect)
    dbapi = connection.connection.driver_connection
    assert dbapi is not None
    if _is_postgresql(connection.dialect):
        return postgresql_batches(dbapi, sql, batch_size)
    return sqlite_batches(cast(sqlite3.Connection, dbapi), sql, batch_size)


def utf8_rows_sql(session: Session, query: Query) -> str:
    """The SQL :func:`utf8_row_batches` runs for ``query`` on the session's backend (parameters
    rendered inline, so plain integers only), for :func:`~annotator.store.raw_rows.utf8_batches`."""
    dialect = session.get_bind().dialect
    if _is_postgresql(dialect):
        # bytea from a binary cursor arrives as the bytes the server holds; so do the integers.
        columns = [
            func.convert_to(column, "UTF8") if isinstance(column.type, String) else column
            for column in query.selected_columns
        ]
        query = query.with_only_columns(*columns, maintain_column_froms=True)
    return _literal_sql(query, dialect)


def backend_of(session: Session) -> str:
    """:data:`~annotator.store.raw_rows.POSTGRESQL` or :data:`~annotator.store.raw_rows.SQLITE`."""
    return POSTGRESQL if _is_postgresql(session.get_bind().dialect) else SQLITE


def utf8_row_batches(session: Session, query: Query, batch_size: int) -> Generator[list[RawRow], None, None]:
    """:func:`row_batches` with text values as UTF-8 ``bytes``, for a writer of UTF-8 files.

    No text is decoded on reading, nor encoded again on writing: a quarter of a large export's time.
    A text column is one of a ``String`` type (``Text``, :func:`timestamp_as_text` included); select
    only text and integer columns. While the rows are read, the session runs no other query; and
    the caller closes the generator (``contextlib.closing``) before the session ends, also when
    it stops early, so the connection goes back to its pool reading text as ``str``.
    """
    sql = utf8_rows_sql(session, query)
    return utf8_batches(driver_connection(session), backend_of(session), sql, batch_size)


def driver_connection(session: Session) -> Any:
    """The DBAPI connection (sqlite3 or psycopg) under the session's transaction."""
    dbapi = session.connection().connection.driver_connection
    assert dbapi is not None
    return dbapi


def fetch_rows(session: Session, query: Query) -> list[RawRow]:
    """All rows of ``query`` as the driver's tuples, with its parameters bound as usual."""
    connection: Connection = session.connection()
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.construct_params()
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        return cast(list[RawRow], cursor.fetchall())
    finally:
        cursor.close()


# A rowid range scan reads the rows of other documents in the range too (~0.2 µs each, against
# ~0.5 µs for one more id lookup): worth it while the range is at most this many times the count.
_CLUSTERED = 2


def document_rows_query(
    session: Session,
    columns: Sequence[Any],
    document_id: int,
    coder_ids: Sequence[int] | None = None,
) -> Select[Any] | None:
    """``columns`` of one document's annotations (of ``coder_ids`` when given), planned for speed.

    ``None`` when the document has no annotations. On PostgreSQL the ``(document_id, start, end)``
    index serves the plain query. On SQLite that plan fetches each row from the table in index
    order, a random access of ~2.5 µs a row (the table rows also hold the quotes); reading the
    table in rowid order and letting SQLite sort is about twice as fast, so the query is planned
    from the document's id range: a range scan when its rows are clustered (imported or coded in
    one go), else lookups of its ids in ascending order.
    """
    coders = None if coder_ids is None else list(coder_ids)
    if session.get_bind().dialect.name != "sqlite":
        query = select(*columns).where(Annotation.document_id == document_id)
        return query if coders is None else query.where(Annotation.coder_id.in_(coders))
    count, low, high = session.execute(
        select(func.count(), func.min(Annotation.id), func.max(Annotation.id)).where(
            Annotation.document_id == document_id
        )
    ).one()
    if not count:
        return None
    # "+ 0" keeps SQLite's planner off the document and coder indexes: either would bring back
    # the per-row lookups in index order this function exists to avoid.
    if high - low + 1 <= _CLUSTERED * count:
        query = select(*columns).where(
            Annotation.id.between(low, high), Annotation.document_id + 0 == document_id
        )
    else:
        ids = select(Annotation.id).where(Annotation.document_id == document_id)
        query = select(*columns).where(Annotation.id.in_(ids))
    if coders is not None:
        query = query.where((Annotation.coder_id + 0).in_(coders))
    return query
