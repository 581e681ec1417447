"""The segments CSV export, tuned for a million rows (see ``benchmarks/bench_store.py``).

The format is :mod:`annotator.io.csv_segments`; this module fetches rows as raw tuples from the
DBAPI cursor, finishes every per-document, per-code and per-coder cell once, builds lines with
``str`` operations and writes a batch at a time. ``csv.writer`` took ~10 µs a row for long
quotes, SQLAlchemy ``Row`` objects ~3 µs; both were the bottleneck before.

A large export from an SQLite file is split at its median row key: this process writes the first
half while a spawned worker writes the second (:mod:`.segment_export_parallel`), with the same
line-building code, so the file is byte-identical to a single-process export.
"""

from __future__ import annotations

import os
import sqlite3
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from sqlalchemy import Select, String, func, select, tuple_, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from annotator.io.csv_safety import TRIGGERS, guard_cell
from annotator.io.csv_segments import (
    LINE_END,
    VALUE_SEPARATOR,
    attribute_columns,
    csv_field,
    header_line,
    text_cell,
)
from annotator.services.segment_export_parallel import export_in_two, temp_folder_for
from annotator.services.segment_query import (
    BATCH,
    NO_ZONES,
    SegmentFilter,
    SegmentScope,
    ZoneIndex,
    matches,
    names_by_id,
    resolve_scope,
    rows_query,
    scoped,
    zone_indexes,
)
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore

EXPORT_MMAP_BYTES = 1 << 30
# Below this many rows a second process costs more (~0.3 s to start) than it saves.
PARALLEL_THRESHOLD = 200_000
_GUARD_FIRST = frozenset(TRIGGERS | {"'"})  # cells starting otherwise never need guard_cell


def _exported_documents(session: Session, scope: SegmentScope) -> list[int]:
    if not scope.needle:
        query = scoped(select(Annotation.document_id).distinct(), scope)
        return sorted(session.scalars(query))
    scan = scoped(select(Annotation.document_id, Annotation.quote, Annotation.memo), scope)
    result = session.execute(scan, execution_options={"yield_per": BATCH})
    return sorted({did for did, quote, memo in result if matches(scope.needle, quote, memo)})


def _literal_sql(query: Select[*tuple[Any, ...]], dialect: Dialect) -> str:
    """The query's SQL with its parameters inline: they are integer ids and offsets only."""
    return str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _sqlite_batches(dbapi: sqlite3.Connection, sql: str) -> Iterator[list[tuple[Any, ...]]]:
    cursor = dbapi.cursor()
    # Rows come in document order, jumping around the table; reading pages through a memory
    # map instead of read() calls cut the fetch by ~20% for a million rows. Only for this query.
    previous_mmap = cursor.execute("PRAGMA mmap_size").fetchone()[0]
    cursor.execute(f"PRAGMA mmap_size={EXPORT_MMAP_BYTES}")
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        cursor.close()
        dbapi.execute(f"PRAGMA mmap_size={int(previous_mmap)}")


def _raw_batches(session: Session, query: Select[*tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    """Plain tuples straight from the DBAPI cursor: SQLAlchemy's Row objects cost ~3 µs a row.

    The query's only parameters are integer ids, rendered inline. Values come back unprocessed.
    """
    connection = session.connection()
    sql = _literal_sql(query, connection.dialect)
    dbapi = connection.connection.driver_connection
    assert dbapi is not None
    if connection.dialect.name != "postgresql":
        yield from _sqlite_batches(dbapi, sql)
        return
    # A named (server-side) cursor streams instead of loading every row at once.
    cursor = dbapi.cursor(name="annotator_segments")
    cursor.execute(sql)
    try:
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        cursor.close()


def _timestamp_columns(dialect: str) -> tuple[Any, Any]:
    """Timestamps as text the export slices into ``2024-05-01T10:00:00Z`` without parsing.

    SQLite stores ``2024-05-01 10:00:00.000000``; PostgreSQL formats the ISO form itself. Either
    way ``value[:10] + "T" + value[11:19] + "Z"`` is the cell: 0.25 µs a row, where parsing and
    formatting datetimes (or SQLite's strftime) cost over 1 µs.
    """
    if dialect == "postgresql":
        fmt = 'YYYY-MM-DD"T"HH24:MI:SS"Z"'
        return func.to_char(Annotation.created_at, fmt), func.to_char(Annotation.updated_at, fmt)
    return type_coerce(Annotation.created_at, String), type_coerce(Annotation.updated_at, String)


class _DocumentCells:
    """The cells of one document, finished once: id, title, hash, zone/chapter, attributes."""

    def __init__(
        self, doc_id: int, title: str, text_hash: str, zones: ZoneIndex, attribute_cells: str
    ) -> None:
        self.prefix = f"{doc_id},{text_cell(title)},{text_hash}"
        self.bounds = zones.bounds
        self.zone_cells = [
            f"{csv_field(zone)},{'' if chapter is None else chapter}" for zone, chapter in zones.labels
        ]
        self.suffix = attribute_cells + LINE_END


@dataclass
class _SegmentLines:
    """Turns raw rows into finished CSV lines; picklable, so the worker process builds the same."""

    doc_cells: dict[int, _DocumentCells]
    code_cells: dict[int, str]
    coder_cells: dict[int, str]
    needle: str

    def write_rows(self, batches: Iterable[list[tuple[Any, ...]]], out: TextIO) -> int:
        """Write the lines of ``batches`` (rows of :func:`rows_query`) to ``out``; return how many."""
        doc_cells, code_cells, coder_cells = self.doc_cells, self.code_cells, self.coder_cells
        needle, guard_first = self.needle, _GUARD_FIRST
        count, current = 0, -1
        cells: _DocumentCells | None = None
        for batch in batches:
            lines = []
            for aid, did, start, end, quote, code_id, coder_id, memo, created, updated in batch:
                if did != current:
                    current, cells = did, doc_cells.get(did)
                code_cell, coder_cell = code_cells.get(code_id), coder_cells.get(coder_id)
                # Each query sees the latest commits: a row whose document, code or coder appeared
                # after the names were read was coded after the export began, and is left out.
                if cells is None or code_cell is None or coder_cell is None:
                    continue
                if needle and not matches(needle, quote, memo):
                    continue
                # Inline text_cell(): most quotes need neither guard nor quotes, and calls add up.
                if quote[:1] in guard_first:
                    quote = guard_cell(quote)
                if '"' in quote:
                    quote = '"' + quote.replace('"', '""') + '"'
                elif "," in quote or "\n" in quote or "\r" in quote:
                    quote = '"' + quote + '"'
                if memo:
                    memo = text_cell(memo)
                zone = cells.zone_cells[bisect_right(cells.bounds, start) - 1]
                lines.append(
                    f"{aid},{cells.prefix},{zone},{start},{end},{quote},{code_cell},"
                    f"{coder_cell},{memo},{created[:10]}T{created[11:19]}Z,"
                    f"{updated[:10]}T{updated[11:19]}Z{cells.suffix}"
                )
            out.write("".join(lines))
            count += len(lines)
        return count


@dataclass
class _SqliteRowRange:
    """The worker's job: one key range of the rows, read from the project file on its own connection."""

    database: str
    sql: str
    lines: _SegmentLines

    def write(self, out: TextIO) -> int:
        connection = sqlite3.connect(self.database)
        try:
            connection.execute("PRAGMA query_only=ON")  # the worker only reads
            connection.execute("PRAGMA busy_timeout=10000")
            return self.lines.write_rows(_sqlite_batches(connection, self.sql), out)
        finally:
            connection.close()


_ROW_KEY = (Annotation.document_id, Annotation.start, Annotation.end, Annotation.id)


def _split_key(
    session: Session, store: ProjectStore, scope: SegmentScope, threshold: int | None
) -> tuple[int, int, int, int] | None:
    """The row key halving a large export from an SQLite file, or None to export in one process.

    The count ignores a text search (filtered in Python), which only makes the halves uneven.
    The median key is read from the (document_id, start, end) index: ~10 ms for a million rows.
    """
    database = store.url.database
    if threshold is None or not store.is_sqlite or not database or not os.path.isfile(database):
        return None  # in-memory SQLite has no file a worker could open; PostgreSQL stays single
    count = session.scalar(scoped(select(func.count()).select_from(Annotation), scope)) or 0
    if count < max(threshold, 2):
        return None
    query = scoped(select(*_ROW_KEY), scope).order_by(*_ROW_KEY).offset(count // 2).limit(1)
    row = session.execute(query).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


def export_segments(
    store: ProjectStore,
    out: TextIO,
    flt: SegmentFilter | None = None,
    *,
    parallel_threshold: int | None = PARALLEL_THRESHOLD,
) -> int:
    """Write the segments CSV (see :mod:`annotator.io.csv_segments`) to ``out``; return the row count.

    From an SQLite file, an export of at least ``parallel_threshold`` rows (None: never) is
    written by two processes; the file is the same either way.
    """
    flt = flt or SegmentFilter()
    with store.reading() as session:
        scope = resolve_scope(session, flt)
        doc_ids = [] if scope.empty else _exported_documents(session, scope)
        columns = attribute_columns({name for did in doc_ids for name in scope.attributes.get(did, {})})
        out.write(header_line(columns))
        if not doc_ids:
            return 0
        paths, coders, documents = names_by_id(session)
        zones = zone_indexes(session, doc_ids)
        doc_cells: dict[int, _DocumentCells] = {}
        for did in doc_ids:
            attrs = scope.attributes.get(did, {})
            attribute_cells = "".join(
                "," + text_cell(VALUE_SEPARATOR.join(attrs.get(c, ()))) for c in columns
            )
            doc_cells[did] = _DocumentCells(did, *documents[did], zones.get(did, NO_ZONES), attribute_cells)
        lines = _SegmentLines(
            doc_cells,
            {cid: f"{cid},{text_cell(path)}" for cid, path in paths.items()},
            {cid: text_cell(name) for cid, name in coders.items()},
            scope.needle,
        )
        dialect = session.get_bind().dialect
        query = rows_query(scope, _timestamp_columns(dialect.name))
        split = _split_key(session, store, scope, parallel_threshold)
        if split is None:
            return lines.write_rows(_raw_batches(session, query), out)
        first = query.where(tuple_(*_ROW_KEY) < tuple_(*split))
        second = _SqliteRowRange(
            str(store.url.database),
            _literal_sql(query.where(tuple_(*_ROW_KEY) >= tuple_(*split)), dialect),
            lines,
        )
        return export_in_two(
            lambda part: lines.write_rows(_raw_batches(session, first), part),
            second,
            out,
            temp_folder_for(out),
        )
