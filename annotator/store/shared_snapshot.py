"""One snapshot of a project read by two processes, so work split between them sees one moment.

The segments export formats half its rows in a second process (see
:mod:`annotator.services.segment_export_worker`); both halves must come from the same committed
state, or a span moved meanwhile across the split would be listed twice or not at all.

* PostgreSQL does this itself: the first process runs ``REPEATABLE READ`` and names its snapshot
  with ``pg_export_snapshot()``; the second starts its transaction with ``SET TRANSACTION SNAPSHOT``.
* SQLite has ``sqlite3_snapshot_open``, but Python's ``sqlite3`` does not offer it. What it does
  guarantee: a read transaction sees the last commit before its first read, until it ends (in WAL
  mode; in rollback-journal mode a reader's shared lock keeps every commit out while it reads).
  So the first process takes the project's write lock on a third connection
  (:func:`writes_held`, ``BEGIN IMMEDIATE``), both readers make their first read, and the lock is
  let go: no commit can land between the two first reads. It is held for a few milliseconds; a
  writer that comes meanwhile waits for it (the busy timeout), as it waits for any other writer.

This module imports no SQLAlchemy at run time: the worker process joins a snapshot with the
DBAPI driver alone (:func:`open_reader`, :func:`join`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.store.raw_rows import POSTGRESQL, SQLITE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from annotator.store.project import ProjectStore

# Any statement that reads the database file starts SQLite's read transaction; this one is cheap.
_FIRST_READ = "SELECT count(*) FROM sqlite_master"


@dataclass(frozen=True)
class ReaderTicket:
    """Where a second process reads the project from. ``location`` is the SQLite file, or a libpq
    URI whose password it may hold: it goes to the worker through a pipe, never a command line."""

    backend: str
    location: str


def reader_ticket(store: ProjectStore) -> ReaderTicket | None:
    """How another process can read ``store``; None when it cannot (an in-memory SQLite database)."""
    if store.is_sqlite:
        database = store.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return ReaderTicket(SQLITE, database)
    uri = store.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return ReaderTicket(POSTGRESQL, uri)


@contextmanager
def writes_held(ticket: ReaderTicket, wait: float) -> Iterator[bool]:
    """SQLite: hold the project's write lock while the block runs, so no commit lands; yields
    False if another writer kept it for ``wait`` seconds (then nothing is held). PostgreSQL needs
    no lock to share a snapshot: yields True at once."""
    if ticket.backend != SQLITE:
        yield True
        return
    holder = sqlite3.connect(ticket.location, timeout=wait, isolation_level=None)
    try:
        try:
            holder.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # "database is locked": busy past the wait
            yield False
            return
        try:
            yield True
        finally:
            holder.execute("ROLLBACK")
    finally:
        holder.close()


def begin_shared(session: Session) -> str:
    """Start the session's one snapshot now (call it before any other statement) and return what
    :func:`join` needs besides the ticket: PostgreSQL's snapshot id; "" for SQLite, whose second
    reader must make its first read while :func:`writes_held` holds the lock."""
    from annotator.store.fast_reads import read_one_snapshot  # SQLAlchemy: the exporting side only

    read_one_snapshot(session)
    connection = session.connection()
    if connection.dialect.name == POSTGRESQL:
        return str(connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one())
    connection.exec_driver_sql(_FIRST_READ).scalar_one()
    return ""


def open_reader(ticket: ReaderTicket, busy_timeout: float) -> Any:
    """A DBAPI connection (sqlite3 or psycopg) to the project, not yet in a transaction."""
    if ticket.backend == POSTGRESQL:
        import psycopg  # only a worker reading PostgreSQL pays for the import

        return psycopg.connect(ticket.location)
    connection = sqlite3.connect(
        ticket.location, timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
    connection.execute("PRAGMA query_only=ON")  # a reader: never writes, whatever it is asked
    return connection


def join(connection: Any, ticket: ReaderTicket, snapshot: str) -> None:
    """Begin ``connection``'s read transaction in the snapshot named by :func:`begin_shared`."""
    if ticket.backend == POSTGRESQL:
        from psycopg import IsolationLevel, sql

        connection.isolation_level = IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        # The transaction's first statement (psycopg begins it), as PostgreSQL requires; SET takes
        # no bound parameters, so the id goes in as a quoted literal.
        connection.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
        return
    connection.execute("BEGIN")
    connection.execute(_FIRST_READ).fetchone()
