"""Inserting many rows fast on either backend: Core ``insert()`` on PostgreSQL, and on SQLite
statements of many rows each (``INSERT … VALUES (…), (…), …``).

A table with triggers (the search index's change log on ``annotations``, migration 0007) makes
SQLite open a statement journal for each statement: run once per row, as ``executemany`` does,
that cost three times the insert itself (32 µs a row against 10 µs measured); per statement of
1,000 rows it vanishes. The values go through the columns' own bind processing, so they are
stored exactly as a Core ``insert()`` stores them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, Table, insert

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
    if dialect.name != "sqlite":
        connection.execute(insert(table), list(rows))
        return
    processors = [table.c[name].type.bind_processor(dialect) for name in columns]
    names = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
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
