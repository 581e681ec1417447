"""Coded segments as the segments panel shows them: filtered, streamed, counted.

A segment is one annotation seen with everything a researcher reads next to it: the document's
title and attributes, the zone and chapter it starts in, the code's path and the coder's name.
Queries select columns (never ORM objects) and stream with ``yield_per``; quotes come from the
stored ``quote`` column, so no document text is read. The CSV export and import live in
``segment_export`` and ``segment_import`` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from annotator.services.segment_export import export_segments
from annotator.services.segment_import import SegmentImportReport, import_segments
from annotator.services.segment_query import (
    BATCH,
    NO_ZONES,
    SegmentFilter,
    matches,
    names_by_id,
    resolve_scope,
    rows_query,
    scoped,
    zone_indexes,
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


def iter_segments(store: ProjectStore, flt: SegmentFilter | None = None) -> Iterator[SegmentRow]:
    """Segments in document order (by start, then end), streamed from the store."""
    flt = flt or SegmentFilter()
    with store.reading() as session:
        scope = resolve_scope(session, flt)
        if scope.empty:
            return
        paths, coders, documents = names_by_id(session)
        zones = zone_indexes(session, scope.document_ids)
        result = session.execute(rows_query(scope), execution_options={"yield_per": BATCH})
        # Closed explicitly: a caller that stops early must not leave a server-side cursor open.
        with result:
            for aid, did, start, end, quote, code_id, coder_id, memo, created, updated in result:
                if not matches(scope.needle, quote, memo):
                    continue
                if did not in documents or code_id not in paths or coder_id not in coders:
                    continue  # coded after this query began (each statement sees new commits)
                title, text_hash = documents[did]
                zone, chapter = zones.get(did, NO_ZONES).at(start)
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
                    scope.attributes.get(did, {}),
                )


def list_segments(
    store: ProjectStore, flt: SegmentFilter | None = None, limit: int | None = 1000
) -> list[SegmentRow]:
    """The first ``limit`` segments (all when ``limit`` is None): what the segments panel shows."""
    rows: list[SegmentRow] = []
    if limit is not None and limit <= 0:
        return rows
    for row in iter_segments(store, flt):
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
            return int(session.scalar(scoped(select(func.count()).select_from(Annotation), scope)) or 0)
        query = scoped(select(Annotation.quote, Annotation.memo), scope)
        result = session.execute(query, execution_options={"yield_per": BATCH})
        return sum(1 for quote, memo in result if matches(scope.needle, quote, memo))
