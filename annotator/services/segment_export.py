"""The segments CSV export, tuned for a million rows (see ``benchmarks/bench_store.py``).

The format is :mod:`annotator.io.csv_segments`. This module resolves the filter, reads the names
once, and streams the rows as raw tuples (:mod:`annotator.store.fast_reads`) into the line builder
(:mod:`annotator.io.csv_segment_lines`). ``csv.writer`` took ~10 µs a row for long quotes,
SQLAlchemy ``Row`` objects ~3 µs; both were the bottleneck before.

A large export from an SQLite file is split at its median row key: this process writes the first
half while a spawned worker writes the second (:mod:`.segment_export_parallel`), with the same
line builder, so the file is byte-identical to a single-process export.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TextIO

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from annotator.io.csv_segment_lines import DocumentCells, SegmentLines
from annotator.io.csv_segments import attribute_columns, header_line
from annotator.services.segment_export_parallel import export_in_two, temp_folder_for
from annotator.services.segment_query import (
    BATCH,
    NO_ZONES,
    SegmentFilter,
    SegmentScope,
    matches,
    names_by_id,
    resolve_scope,
    rows_query,
    scoped,
    zone_indexes,
)
from annotator.store.fast_reads import FileRows, file_rows, project_file, row_batches, timestamp_as_text
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore

# Below this many rows a second process costs more (~0.3 s to start) than it saves.
PARALLEL_THRESHOLD = 200_000


def _exported_documents(session: Session, scope: SegmentScope) -> list[int]:
    if not scope.needle:
        query = scoped(select(Annotation.document_id).distinct(), scope)
        return sorted(session.scalars(query))
    scan = scoped(select(Annotation.document_id, Annotation.quote, Annotation.memo), scope)
    result = session.execute(scan, execution_options={"yield_per": BATCH})
    return sorted({did for did, quote, memo in result if matches(scope.needle, quote, memo)})


@dataclass
class _RowRange:
    """The worker's job: one key range of the rows, read from the project file on its own connection."""

    rows: FileRows
    lines: SegmentLines

    def write(self, out: TextIO) -> int:
        return self.lines.write_rows(self.rows.batches(), out)


_ROW_KEY = (Annotation.document_id, Annotation.start, Annotation.end, Annotation.id)


def _split_key(
    session: Session, store: ProjectStore, scope: SegmentScope, threshold: int | None
) -> tuple[int, int, int, int] | None:
    """The row key halving a large export from an SQLite file, or None to export in one process.

    The count ignores a text search (filtered in Python), which only makes the halves uneven.
    The median key is read from the (document_id, start, end) index: ~10 ms for a million rows.
    """
    if threshold is None or project_file(store) is None:
        return None  # no project file a worker could open: in-memory SQLite, or PostgreSQL
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
        doc_cells: dict[int, DocumentCells] = {}
        for did in doc_ids:
            title, text_hash = documents[did]
            index = zones.get(did, NO_ZONES)
            attributes = scope.attributes.get(did, {})
            doc_cells[did] = DocumentCells(
                did, title, text_hash, index.bounds, index.labels, attributes, columns
            )
        keep = partial(matches, scope.needle) if scope.needle else None
        lines = SegmentLines(doc_cells, paths, coders, keep)
        stamps = (
            timestamp_as_text(session, Annotation.created_at),
            timestamp_as_text(session, Annotation.updated_at),
        )
        query = rows_query(scope, stamps)
        split = _split_key(session, store, scope, parallel_threshold)
        if split is None:
            return lines.write_rows(row_batches(session, query, BATCH), out)
        first = query.where(tuple_(*_ROW_KEY) < tuple_(*split))
        second_rows = file_rows(store, session, query.where(tuple_(*_ROW_KEY) >= tuple_(*split)), BATCH)
        assert second_rows is not None  # _split_key splits only exports from a project file
        return export_in_two(
            lambda part: lines.write_rows(row_batches(session, first, BATCH), part),
            _RowRange(second_rows, lines),
            out,
            temp_folder_for(out),
        )
