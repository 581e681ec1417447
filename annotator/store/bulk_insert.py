"""Inserting many rows fast on either backend: one ``COPY`` on PostgreSQL, and on SQLite
statements of many rows each (``INSERT … VALUES (…), (…), …``).

A table with triggers (the search index's change log on ``annotations``, migration 0007) makes
SQLite open a statement journal for each statement: run once per row, as ``executemany`` does,
that cost three times the insert itself (32 µs a row against 10 µs measured); per statement of
1,000 rows it vanishes. The values go through the columns' own bind processing, so they are
stored exactly as a Core ``insert()`` stores them.

PostgreSQL: ``COPY … FROM STDIN`` through psycopg, row by row in its C code, fires the same
triggers as ``INSERT`` (the search log's statement trigger once) and takes 60% of the time of
SQLAlchemy's many-values ``INSERT`` (its parameters are rendered in Python). Values go as psycopg
dumps them (ints, text, naive timestamps), which is what the columns' types store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table

# Rows per SQLite statement: at 10 values a row, far below its limit of 32,766 variables.
ROWS_PER_STATEMENT = 1_000


def insert_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Mapping[str, object]]
) -> None:
    """Insert ``rows`` (each holding every one of ``columns``) into ``table`` in the connection's
    transaction."""
    if not rows:
        return
    dialect = connection.dialect
    names = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
    if dialect.name != "sqlite":
        raw = cast(Any, connection.connection.driver_connection)
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row[name] for name in columns))
        return
    processors = [table.c[name].type.bind_processor(dialect) for name in columns]
    one_row = "(" + ", ".join("?" * len(columns)) + ")"
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        chunk = rows[start : start + ROWS_PER_STATEMENT]
        values: list[object] = []
        for row in chunk:
            for name, process in zip(columns, processors, strict=True):
                value = row[name]
                values.append(process(value) if process is not None and value is not None else value)
        sql = f"INSERT INTO {table.name} ({names}) VALUES {', '.join([one_row] * len(chunk))}"
        connection.exec_driver_sql(sql, tuple(values))
