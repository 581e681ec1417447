"""Coded segments as the segments panel shows them: filtered, streamed, counted.

A segment is one annotation seen with everything a researcher reads next to it: the document's
title and attributes, the zone and chapter it starts in, the code's path and the coder's name,
and whether an update moved it onto edited text where it waits for review (``review``).
Queries select columns (never ORM objects) and stream with ``yield_per``; quotes come from the
stored ``quote`` column, so no document text is read. The CSV export and import live in
``segment_export`` and ``segment_import`` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from annotator.io.csv_segments import REVIEW_PENDING
from annotator.services.anchor_reviews import pending_annotation_ids
from annotator.services.segment_export import export_segments
from annotator.services.segment_import import SegmentImportReport, import_segments
from annotator.services.segment_query import (
    BATCH,
    NO_ZONES,
    DocumentLookup,
    SegmentFilter,
    SegmentKey,
    code_and_coder_names,
    count_query,
    matches,
    resolve_scope,
    rows_query,
    scoped,
)
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore

__all__ = [
    "SegmentFilter",
    "SegmentImportReport",
    "SegmentRow",
    "count_segments",
    "export_segments",
    "import_segments",
    "iter_segments",
    "list_segments",
    "segment_key",
]


@dataclass(frozen=True, slots=True)
class SegmentRow:
    annotation_id: int
    document_id: int
    document: str  # the document's title
    document_hash: str
    zone: str  # innermost non-chapter zone containing start, "" if none
    chapter: int | None  # number of the chapter containing start
    start: int
    end: int
    text: str
    code_id: int
    code_path: str
    coder: str
    memo: str
    created_at: datetime | None
    updated_at: datetime | None
    attributes: dict[str, list[str]] = field(default_factory=dict)
    review: str = ""  # "pending": moved onto edited text by an update and not reviewed yet


def iter_segments(
    store: ProjectStore,
    flt: SegmentFilter | None = None,
    *,
    after: SegmentKey | None = None,
    annotation_ids: Sequence[int] | None = None,
    batch: int = BATCH,
    limit: int | None = None,
) -> Iterator[SegmentRow]:
    """Segments in document order (by start, then end), streamed from the store.

    ``after``: only those past that :func:`segment_key` (the next page of a list);
    ``annotation_ids``: only those annotations (what one change added). Rows are read ``batch``
    at a time, with the titles, zones and attributes of the works they are in; ``limit``: the
    caller stops after that many (the database may then sort only those).
    """
    flt = flt or SegmentFilter()
    with store.reading() as session:
        scope = resolve_scope(session, flt, every_attribute=False)
        if scope.empty:
            return
        paths, coders = code_and_coder_names(session)
        pending = pending_annotation_ids(session)
        lookup = DocumentLookup(session, scope)
        query = rows_query(scope, after=after, annotation_ids=annotation_ids, limit=limit)
        result = session.execute(query, execution_options={"yield_per": batch})
        # Closed explicitly: a caller that stops early must not leave a server-side cursor open.
        with result:
            for rows in result.partitions():
                lookup.read(row[1] for row in rows)
                for aid, did, start, end, quote, code_id, coder_id, memo, created, updated in rows:
                    if not matches(scope.needle, quote, memo):
                        continue
                    if did not in lookup.documents or code_id not in paths or coder_id not in coders:
                        continue  # coded after this query began (each statement sees new commits)
                    title, text_hash = lookup.documents[did]
                    zone, chapter = lookup.zones.get(did, NO_ZONES).at(start)
                    yield SegmentRow(
                        aid,
                        did,
                        title,
                        text_hash,
                        zone,
                        chapter,
                        start,
                        end,
                        quote,
                        code_id,
                        paths[code_id],
                        coders[coder_id],
                        memo,
                        created,
                        updated,
                        lookup.attributes.get(did, {}),
                        REVIEW_PENDING if aid in pending else "",
                    )


def segment_key(row: SegmentRow) -> SegmentKey:
    """Where ``row`` stands in the segments' order."""
    return (row.document_id, row.start, row.end, row.annotation_id)


def list_segments(
    store: ProjectStore,
    flt: SegmentFilter | None = None,
    limit: int | None = 1000,
    *,
    after: SegmentKey | None = None,
    annotation_ids: Sequence[int] | None = None,
) -> list[SegmentRow]:
    """The first ``limit`` segments (all when ``limit`` is None) past ``after``: a page of the list."""
    rows: list[SegmentRow] = []
    if limit is not None and limit <= 0:
        return rows
    batch = BATCH if limit is None else max(1, min(limit, BATCH))
    chosen = iter_segments(store, flt, after=after, annotation_ids=annotation_ids, batch=batch, limit=limit)
    for row in chosen:
        rows.append(row)
        if limit is not None and len(rows) >= limit:
            break
    return rows


def count_segments(store: ProjectStore, flt: SegmentFilter | None = None) -> int:
    flt = flt or SegmentFilter()
    with store.reading() as session:
        scope = resolve_scope(session, flt)
        if scope.empty:
            return 0
        if not scope.needle:
            return int(session.scalar(count_query(scope)) or 0)
        query = scoped(select(Annotation.quote, Annotation.memo), scope)
        result = session.execute(query, execution_options={"yield_per": BATCH})
        return sum(1 for quote, memo in result if matches(scope.needle, quote, memo))
