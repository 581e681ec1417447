"""The segments CSV export: one snapshot of the project, fast enough for a million rows.

The format is :mod:`annotator.io.csv_segments`. This module resolves the filter, reads the names
once, and streams the rows as raw tuples with their text left as UTF-8 bytes
(:func:`~annotator.store.fast_reads.utf8_row_batches`) into the line builder
(:mod:`annotator.io.csv_segment_lines`).

Everything (the filter's ids, the documents' cells, the names and every row) is read in one
snapshot (:func:`~annotator.store.fast_reads.read_one_snapshot`), so an export taken while others
code lists each annotation exactly once, as it was at one moment.

A large export to a file is written by two processes: the rows are cut into blocks in file order
(:mod:`.segment_blocks`) and a worker (:mod:`.segment_export_worker`) formats every other one in the
same snapshot (:mod:`annotator.store.shared_snapshot`) and writes it in its turn. Formatting is
Python's work and the machines have two cores, so that nearly halves the time; the file is the
same byte for byte, and if the worker cannot help, this process writes its blocks itself.

Annotations an update moved onto edited text and no one has reviewed yet are exported with
``pending`` in their ``review`` column (:func:`~.anchor_reviews.pending_annotation_ids`, read in
the same snapshot), so old and new readings are never silently mixed.
"""

from __future__ import annotations

import os
import stat
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from typing import TextIO

from sqlalchemy import String, func, select
from sqlalchemy.orm import Session

from annotator.io.csv_segment_lines import DocumentCells, SegmentLines, utf8_buffer
from annotator.io.csv_segments import attribute_columns, header_line
from annotator.services.anchor_reviews import pending_annotation_ids
from annotator.services.segment_blocks import DocumentCounts, block_queries, document_counts, row_blocks
from annotator.services.segment_export_worker import (
    ExportWorker,
    TurnWriter,
    WorkerJob,
    format_block,
)
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
from annotator.store.fast_reads import (
    backend_of,
    driver_connection,
    read_one_snapshot,
    timestamp_as_text,
    utf8_row_batches,
)
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore
from annotator.store.raw_rows import utf8_reading
from annotator.store.shared_snapshot import begin_shared, reader_ticket, writes_held

# Below this many rows a second process costs more (~0.1 s to start) than it saves.
PARALLEL_ROWS = 100_000
_READY_WAIT = 30.0  # seconds for the worker to start and connect, else this process goes alone
_JOIN_WAIT = 10.0  # seconds for it to begin reading while commits are held off
_LOCK_WAIT = 2.0  # seconds to wait for another writer's commit before going alone instead


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: its row count, and how many of its blocks the worker wrote."""

    rows: int
    worker_blocks: int = 0


def _exported_documents(session: Session, scope: SegmentScope, counts: DocumentCounts) -> list[int]:
    """The ids of the documents with rows to export; ``counts`` tell them when no filter but the
    document filter applies (one scan of the index fewer)."""
    if scope.empty:
        return []
    unfiltered = scope.code_ids is None and scope.coder_ids is None and scope.text_filter is None
    if counts and unfiltered and not scope.needle:
        return [did for did, _, _ in counts]
    if not scope.needle:
        query = scoped(select(Annotation.document_id).distinct(), scope)
        return sorted(session.scalars(query))
    scan = scoped(select(Annotation.document_id, Annotation.quote, Annotation.memo), scope)
    result = session.execute(scan, execution_options={"yield_per": BATCH})
    return sorted({did for did, quote, memo in result if matches(scope.needle, quote, memo)})


def _file_descriptor(out: TextIO) -> int | None:
    """The descriptor of the regular file ``out`` writes UTF-8 to, or None (a worker can't help)."""
    buffer = utf8_buffer(out)
    if buffer is None or os.name != "posix":
        return None
    try:
        descriptor = buffer.fileno()
        return descriptor if stat.S_ISREG(os.fstat(descriptor).st_mode) else None
    except (OSError, ValueError, AttributeError):
        return None


def _start_worker(store: ProjectStore, out: TextIO, parallel_from: int | None) -> ExportWorker | None:
    """A worker for an export to a file of a project holding at least ``parallel_from`` rows."""
    ticket = reader_ticket(store)
    descriptor = _file_descriptor(out)
    if parallel_from is None or ticket is None or descriptor is None:
        return None
    if parallel_from > 0:
        # Whether there are that many rows at all: an index walk that stops there, not a count.
        with store.reading() as session:
            if session.scalar(select(Annotation.id).offset(parallel_from - 1).limit(1)) is None:
                return None
    try:
        worker = ExportWorker.start(ticket, descriptor)
    except (OSError, ValueError):  # no interpreter to start (an embedded one), no processes left
        return None
    if not worker.ready(_READY_WAIT):
        worker.stop()
        return None
    return worker


def _begin(store: ProjectStore, session: Session, worker: ExportWorker | None) -> ExportWorker | None:
    """Begin the session's snapshot, with the worker reading the same one; the worker if it does."""
    if worker is None:
        read_one_snapshot(session)
        return None
    ticket = reader_ticket(store)
    assert ticket is not None
    with writes_held(ticket, _LOCK_WAIT) as held:
        snapshot = begin_shared(session)
        joined = held and worker.join(snapshot, _JOIN_WAIT)
    if not joined:
        worker.stop()
        return None
    return worker


def export_segments(
    store: ProjectStore,
    out: TextIO,
    flt: SegmentFilter | None = None,
    *,
    parallel_from: int | None = PARALLEL_ROWS,
    block_rows: int | None = None,
) -> int:
    """Write the segments CSV (see :mod:`annotator.io.csv_segments`) to ``out``; return the row count.

    The file is one snapshot of the project: each annotation (matching ``flt``) once, with the
    names, titles and attributes it had at that moment, whatever other processes commit meanwhile.
    To a file, an export of at least ``parallel_from`` rows (None: never) is written by two
    processes in blocks of about ``block_rows``; the file is the same either way.
    """
    return write_segments(store, out, flt, parallel_from=parallel_from, block_rows=block_rows).rows


def write_segments(
    store: ProjectStore,
    out: TextIO,
    flt: SegmentFilter | None = None,
    *,
    parallel_from: int | None = PARALLEL_ROWS,
    block_rows: int | None = None,
) -> ExportReport:
    """:func:`export_segments`, telling also how much of the file the worker wrote."""
    flt = flt or SegmentFilter()
    worker = _start_worker(store, out, parallel_from)
    try:
        with store.reading() as session:
            worker = _begin(store, session, worker)
            scope = resolve_scope(session, flt)
            counts = [] if worker is None or scope.empty else document_counts(session, scope)
            doc_ids = _exported_documents(session, scope, counts)
            columns = attribute_columns({name for did in doc_ids for name in scope.attributes.get(did, {})})
            out.write(header_line(columns))
            if not doc_ids:
                return ExportReport(0)
            lines = _line_builder(session, scope, doc_ids, columns)
            created = timestamp_as_text(session, Annotation.created_at)
            updated = timestamp_as_text(session, Annotation.updated_at)
            # NULL for a span never edited since it was coded: one timestamp less to read and cut.
            query = rows_query(scope, (created, func.nullif(updated, created, type_=String)))
            cuts = row_blocks(counts, block_rows)
            if worker is not None and cuts and sum(count for _, count, _ in counts) >= (parallel_from or 0):
                return _write_in_turns(session, lines, block_queries(session, query, cuts), out, worker)
            # Closed before the session ends, even on a failed write: the reader resets the connection.
            with closing(utf8_row_batches(session, query, BATCH)) as batches:
                return ExportReport(lines.write_rows(batches, out))
    finally:
        if worker is not None:
            worker.stop()


def _line_builder(
    session: Session, scope: SegmentScope, doc_ids: list[int], columns: list[str]
) -> SegmentLines:
    paths, coders, documents = names_by_id(session)
    zones = zone_indexes(session, doc_ids)
    doc_cells: dict[int, DocumentCells] = {}
    for did in doc_ids:
        title, text_hash = documents[did]
        index = zones.get(did, NO_ZONES)
        attributes = scope.attributes.get(did, {})
        doc_cells[did] = DocumentCells(did, title, text_hash, index.bounds, index.labels, attributes, columns)
    keep = partial(matches, scope.needle) if scope.needle else None
    # Every waiting annotation, not only the exported documents': a few ids, and no list of
    # thousands of document ids to send.
    return SegmentLines(doc_cells, paths, coders, keep, pending_annotation_ids(session))


def _write_in_turns(
    session: Session, lines: SegmentLines, blocks: list[str], out: TextIO, worker: ExportWorker
) -> ExportReport:
    """Write ``blocks`` after the header, the odd ones by ``worker`` (see :class:`TurnWriter`)."""
    buffer = utf8_buffer(out)
    assert buffer is not None
    out.flush()  # the header (and byte-order mark) first
    descriptor, offset = buffer.fileno(), buffer.tell()
    job = WorkerJob(lines, blocks[1::2], BATCH, descriptor)
    helper = worker if worker.give(job) else None
    with utf8_reading(driver_connection(session), backend_of(session), BATCH) as batches:
        writer = TurnWriter(blocks, lambda sql: format_block(lines, batches(sql)), helper, descriptor, offset)
        count = writer.run()
    buffer.seek(writer.offset)  # the file object carries on where the blocks end
    return ExportReport(count, writer.by_worker)
