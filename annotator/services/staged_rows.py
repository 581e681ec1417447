"""Many rows handed to the database at once, for one set-based statement instead of one per row.

An update of a large work moves up to every annotation of it (100k rows). Per-row statements
cost SQLAlchemy's parameter processing and, on PostgreSQL, a round trip each; instead the rows
go into a temporary table of the transaction's connection (SQLite: one ``executemany`` of plain
tuples; PostgreSQL: one ``COPY``), and one ``UPDATE … FROM``,
``INSERT … SELECT`` or join does the work. Only ints and strings are staged, so no type
processing is needed on either backend.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy.orm import Session

# Column kinds a staged table may have: SQL type on SQLite and PostgreSQL, and the array type.
_TYPES = {"int": ("INTEGER", "bigint"), "text": ("TEXT", "text")}


# PostgreSQL plans a never-analysed table from its size on disk, which is right for a table this
# large (a hash join, as statistics would give) and could be badly wrong for a few rows, where
# index lookups beat reading every annotation. Analysing costs ~0.5 µs a row: only small ones.
_ESTIMATED_WELL = 5_000


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def stage(
    session: Session, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Fill the temporary ``table`` (created when missing, emptied when present) with ``rows``;
    ``columns`` are (name, "int" | "text") pairs, the first one the primary key."""
    connection = session.connection()
    names = ", ".join(f'"{name}"' for name, _ in columns)
    sqlite = is_sqlite(session)
    defined = ", ".join(
        f'"{name}" {_TYPES[kind][0 if sqlite else 1]}{" PRIMARY KEY" if i == 0 else ""}'
        for i, (name, kind) in enumerate(columns)
    )
    if sqlite:
        connection.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({defined})")
        connection.exec_driver_sql(f"DELETE FROM temp.{table}")
        if rows:
            marks = ", ".join("?" for _ in columns)
            connection.exec_driver_sql(f"INSERT INTO temp.{table} ({names}) VALUES ({marks})", list(rows))
        return
    # Dropped with the transaction: a pooled connection never carries one over.
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS pg_temp.{table}")
    connection.exec_driver_sql(f"CREATE TEMP TABLE {table} ({defined}) ON COMMIT DROP")
    if rows:
        # COPY, row by row in psycopg's C code: array parameters are dumped in Python, 10x slower.
        raw = cast(Any, connection.connection.driver_connection)
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if len(rows) < _ESTIMATED_WELL:
            connection.exec_driver_sql(f"ANALYZE {table}")


@contextmanager
def roomy_cache(session: Session, kib: int = 262_144) -> Iterator[None]:
    """SQLite: a page cache of up to ``kib`` KiB while moving many rows (the default 2 MB spills
    the indexes of a large work's annotations, and each moved row rewrites entries all over them);
    the connection's own size again afterwards. Pages are taken only as they are read."""
    if not is_sqlite(session):
        yield
        return
    connection = session.connection()
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")
