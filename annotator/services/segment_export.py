"""The segments CSV export: one snapshot of the project, fast enough for a million rows.

The format is :mod:`annotator.io.csv_segments`. This module resolves the filter, reads the names
once, and streams the rows as raw tuples with their text left as UTF-8 bytes
(:func:`~annotator.store.fast_reads.utf8_row_batches`) into the line builder
(:mod:`annotator.io.csv_segment_lines`), which writes each batch while the next is read.

Everything (the filter's ids, the documents' cells, the names and every row) is read in one
transaction that sees one snapshot (:func:`~annotator.store.fast_reads.read_one_snapshot`), so
an export taken while others code lists each annotation exactly once, as it was at one moment.
That is also why one process writes it: SQLite cannot share a snapshot with a second process,
and an export split between two read halves at two moments, duplicating and losing the spans
that moved across the split meanwhile.
"""

from __future__ import annotations

from contextlib import closing
from functools import partial
from typing import TextIO

from sqlalchemy import String, func, select
from sqlalchemy.orm import Session

from annotator.io.csv_segment_lines import DocumentCells, SegmentLines
from annotator.io.csv_segments import attribute_columns, header_line
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
from annotator.store.fast_reads import read_one_snapshot, timestamp_as_text, utf8_row_batches
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore


def _exported_documents(session: Session, scope: SegmentScope) -> list[int]:
    if not scope.needle:
        query = scoped(select(Annotation.document_id).distinct(), scope)
        return sorted(session.scalars(query))
    scan = scoped(select(Annotation.document_id, Annotation.quote, Annotation.memo), scope)
    result = session.execute(scan, execution_options={"yield_per": BATCH})
    return sorted({did for did, quote, memo in result if matches(scope.needle, quote, memo)})


def export_segments(store: ProjectStore, out: TextIO, flt: SegmentFilter | None = None) -> int:
    """Write the segments CSV (see :mod:`annotator.io.csv_segments`) to ``out``; return the row count.

    The file is one snapshot of the project: each annotation (matching ``flt``) once, with the
    names, titles and attributes it had at that moment, whatever other processes commit meanwhile.
    """
    flt = flt or SegmentFilter()
    with store.reading() as session:
        read_one_snapshot(session)
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
        created = timestamp_as_text(session, Annotation.created_at)
        updated = timestamp_as_text(session, Annotation.updated_at)
        # NULL for a span never edited since it was coded: one timestamp less to read and cut.
        stamps = (created, func.nullif(updated, created, type_=String))
        # Closed before the session ends, even on a failed write: the reader resets the connection.
        with closing(utf8_row_batches(session, rows_query(scope, stamps), BATCH)) as batches:
            return lines.write_rows(batches, out)
