"""Streaming rows straight from a DBAPI connection (sqlite3 or psycopg), for SQL already rendered.

:mod:`annotator.store.fast_reads` renders a SQLAlchemy ``select`` and reads it through these;
the segments export's worker process (:mod:`annotator.services.segment_export_worker`) reads
its share of the rows through them too, without importing SQLAlchemy (a quarter of a second of
start-up it would otherwise wait for).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any

RawRow = tuple[Any, ...]
SQLITE, POSTGRESQL = "sqlite", "postgresql"

# Rows come in the query's order, jumping around the table; reading pages through a memory map
# instead of read() calls cut the fetch of a million segments by ~20%. Set for one query only.
SQLITE_MMAP_BYTES = 1 << 30
_PG_CURSOR_NAME = "annotator_fast_read"


@contextmanager
def sqlite_reading(dbapi: sqlite3.Connection, as_bytes: bool = False) -> Iterator[None]:
    """Within the block, ``dbapi`` reads through a memory map, and text as UTF-8 ``bytes`` if
    ``as_bytes``; both settings are put back after it, also when it fails. Set them once for
    many queries: each new map faults in again every page a query touches (~0.5 s a million rows)."""
    previous_mmap = dbapi.execute("PRAGMA mmap_size").fetchone()[0]
    previous_factory = dbapi.text_factory
    dbapi.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    try:
        if as_bytes:
            # The connection's setting, consulted at each fetch: set while these queries are read.
            dbapi.text_factory = bytes
        yield
    finally:
        dbapi.text_factory = previous_factory
        dbapi.execute(f"PRAGMA mmap_size={int(previous_mmap)}")


def _sqlite_rows(dbapi: sqlite3.Connection, sql: str, batch_size: int) -> Generator[list[RawRow], None, None]:
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(batch_size):
            yield batch
    finally:
        cursor.close()


def sqlite_batches(
    dbapi: sqlite3.Connection, sql: str, batch_size: int, as_bytes: bool = False
) -> Generator[list[RawRow], None, None]:
    """The rows of ``sql`` in lists of up to ``batch_size``, read as :func:`sqlite_reading` sets
    up; the settings are put back when the generator ends or is closed."""
    with sqlite_reading(dbapi, as_bytes):
        yield from _sqlite_rows(dbapi, sql, batch_size)


def postgresql_batches(
    dbapi: Any, sql: str, batch_size: int, binary: bool = False
) -> Generator[list[RawRow], None, None]:
    """The rows of ``sql`` in lists of up to ``batch_size``, from a server-side cursor.

    A named cursor streams instead of loading every row into memory at once; it lives in the
    connection's open transaction. ``binary``: bytea and integers arrive as the server holds them.
    """
    cursor = dbapi.cursor(name=_PG_CURSOR_NAME, binary=binary)
    cursor.execute(sql)
    try:
        while batch := cursor.fetchmany(batch_size):
            yield batch
    finally:
        cursor.close()


def utf8_batches(dbapi: Any, backend: str, sql: str, batch_size: int) -> Generator[list[RawRow], None, None]:
    """The rows of ``sql`` as :func:`annotator.store.fast_reads.utf8_rows_sql` rendered it, text as
    UTF-8 ``bytes``, on ``backend`` (:data:`SQLITE` or :data:`POSTGRESQL`)."""
    if backend == POSTGRESQL:
        return postgresql_batches(dbapi, sql, batch_size, binary=True)
    return sqlite_batches(dbapi, sql, batch_size, as_bytes=True)


@contextmanager
def utf8_reading(
    dbapi: Any, backend: str, batch_size: int
) -> Iterator[Callable[[str], Iterator[list[RawRow]]]]:
    """:func:`utf8_batches` for many queries: yields ``batches(sql)``, with SQLite's settings made
    once for all of them (see :func:`sqlite_reading`). Close or finish each before the next."""
    if backend == POSTGRESQL:
        yield lambda sql: postgresql_batches(dbapi, sql, batch_size, binary=True)
        return
    with sqlite_reading(dbapi, as_bytes=True):
        yield lambda sql: _sqlite_rows(dbapi, sql, batch_size)
