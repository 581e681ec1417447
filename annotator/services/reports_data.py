"""The data every report is computed from, gathered from a project: see :func:`load_report_data`.

:func:`load_report_data` reads, in one snapshot, the works, codes, coders and segments a
:class:`ReportFilter` selects, as plain values (no ORM objects; segments as raw column tuples
through :mod:`annotator.store.fast_reads`, kept as numpy columns).

Zones select segments by the zone their start lies in (the ``zone`` column of the segments CSV),
and make the text in scope (the denominator of "share of text") the characters of those zones.

Annotations an update moved onto edited text and no one has reviewed yet
(:func:`~annotator.services.anchor_reviews.pending_annotation_ids`) are left out of every report
and list, and the data's notes say how many of those in scope were left out (:func:`review_note`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.codebook import CodeNode, code_paths, subtree_ids, tree_order
from annotator.core.reports.attributes import (
    attribute_name,
    stated_words,
    values_of,
)
from annotator.core.reports.data import NO_CHAPTER, Ints, ReportData, SegmentColumns, Work, rolled_codes
from annotator.core.types import PARATEXT_ZONES, ZONE_CHAPTER, ZONE_KINDS
from annotator.core.words import count_words
from annotator.services.anchor_reviews import pending_annotation_ids, review_note
from annotator.services.codebook import find_code_by_path
from annotator.services.coders import find_coder
from annotator.services.errors import NotFoundError, ServiceError
from annotator.services.segment_query import NO_ZONES, ZoneIndex
from annotator.store.fast_reads import fetch_rows, read_one_snapshot, row_batches
from annotator.store.models import Annotation, Code, Coder, Document, DocumentAttribute, DocumentZone
from annotator.store.project import ProjectStore

PARTS = ("", "story", "paratext")
_BATCH = 20_000
_TEXT_BATCH = 50  # texts read at a time
_NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class ReportFilter:
    """Which segments and works a report covers; empty fields do not filter; fields combine with AND.

    ``code_paths`` include their sub-codes (a code group is its path). ``attributes`` are
    ``(name, value)`` pairs, names as AO3 shows them or as stored (``fandom``, ``fandoms``), the
    derived ``words_band`` and ``published_year`` too; several values of one name are alternatives.
    ``zones`` keeps segments starting in zones of those kinds; ``part`` "story" keeps those outside
    the paratext (summaries, notes), "paratext" those inside it.
    """

    coders: tuple[str, ...] = ()
    code_paths: tuple[str, ...] = ()
    document_ids: tuple[int, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    zones: tuple[str, ...] = ()
    part: str = ""

    def zone_kept(self, kind: str) -> bool:
        if self.zones:
            return kind in self.zones
        if self.part == "story":
            return kind not in PARATEXT_ZONES
        if self.part == "paratext":
            return kind in PARATEXT_ZONES
        return True

    @property
    def zoned(self) -> bool:
        return bool(self.zones or self.part)


def _check(flt: ReportFilter) -> None:
    unknown = sorted(set(flt.zones) - set(ZONE_KINDS))
    if unknown:
        raise ServiceError(f"unknown zone {unknown[0]!r}; zones are: {', '.join(ZONE_KINDS)}")
    if flt.part not in PARTS:
        raise ServiceError(f"unknown part {flt.part!r}; choose story or paratext")
    if flt.zones and flt.part:
        raise ServiceError("choose either zones or a part (story, paratext), not both")


def _in_scope(index: ZoneIndex, length: int, flt: ReportFilter) -> int:
    if not flt.zoned:
        return length
    bounds = [*index.bounds, length]
    return sum(
        max(0, min(bounds[i + 1], length) - bounds[i])
        for i, (kind, _) in enumerate(index.labels)
        if bounds[i] < length and flt.zone_kept(kind)
    )


def _texts(session: Session, ids: list[int]) -> dict[int, str]:
    texts: dict[int, str] = {}
    for lo in range(0, len(ids), _TEXT_BATCH):
        query = select(Document.id, Document.text).where(Document.id.in_(ids[lo : lo + _TEXT_BATCH]))
        texts.update({doc_id: text for doc_id, text in fetch_rows(session, query)})
    return texts


def _zones(
    session: Session, ids: set[int]
) -> tuple[dict[int, ZoneIndex], dict[int, list[tuple[int, int, int]]]]:
    grouped: dict[int, list[tuple[str, int, int, int | None]]] = {}
    query = select(
        DocumentZone.document_id,
        DocumentZone.kind,
        DocumentZone.start,
        DocumentZone.end,
        DocumentZone.chapter,
    )
    for doc_id, kind, start, end, chapter in fetch_rows(session, query):
        if doc_id in ids:
            grouped.setdefault(doc_id, []).append((kind, start, end, chapter))
    chapters: dict[int, list[tuple[int, int, int]]] = {}
    for doc_id, zones in grouped.items():
        ordered = sorted((z for z in zones if z[0] == ZONE_CHAPTER), key=lambda z: z[1])
        chapters[doc_id] = [(z[3] if z[3] is not None else i, z[1], z[2]) for i, z in enumerate(ordered, 1)]
    return {doc_id: ZoneIndex(zones) for doc_id, zones in grouped.items()}, chapters


def _attributes(session: Session) -> dict[int, dict[str, list[str]]]:
    """Every work's attributes (as ``documents.attributes_by_document``, read as raw rows)."""
    query = select(DocumentAttribute.document_id, DocumentAttribute.name, DocumentAttribute.value).order_by(
        DocumentAttribute.document_id, DocumentAttribute.position, DocumentAttribute.id
    )
    result: dict[int, dict[str, list[str]]] = {}
    for doc_id, name, value in fetch_rows(session, query):
        result.setdefault(doc_id, {}).setdefault(name, []).append(value)
    return result


def _works(
    session: Session, flt: ReportFilter, doc_ids: list[int] | None, need_text: bool, need_zones: bool
) -> tuple[dict[int, Work], dict[int, ZoneIndex]]:
    attributes = _attributes(session)
    query = select(Document.id, Document.title, Document.length).order_by(Document.id)
    chosen = None if doc_ids is None else set(doc_ids)
    rows = [r for r in fetch_rows(session, query) if chosen is None or r[0] in chosen]
    ids = [r[0] for r in rows]
    words = {doc_id: stated_words(attributes.get(doc_id, {})) for doc_id in ids}
    texts = _texts(session, ids if need_text else [i for i in ids if words[i] is None])
    indexes, chapters = _zones(session, set(ids)) if need_zones or flt.zoned else ({}, {})
    wanted: dict[str, set[str]] = {}
    for name, value in flt.attributes:
        wanted.setdefault(attribute_name(name), set()).add(value.strip().casefold())
    works: dict[int, Work] = {}
    for doc_id, title, length in rows:
        attrs = attributes.get(doc_id, {})
        count = words[doc_id] if words[doc_id] is not None else count_words(texts.get(doc_id, ""))
        assert count is not None
        if not all(
            any(v.casefold() in values for v in values_of(attrs, key, count))
            for key, values in wanted.items()
        ):
            continue
        text = texts.get(doc_id) if need_text else None
        breaks = None if text is None else tuple(m.start() for m in _NEWLINE.finditer(text))
        index = indexes.get(doc_id, NO_ZONES)
        works[doc_id] = Work(
            doc_id,
            title,
            length,
            _in_scope(index, length, flt),
            count,
            attrs,
            tuple(chapters.get(doc_id, ())),
            breaks,
        )
    return works, indexes


def load_report_data(
    store: ProjectStore, flt: ReportFilter | None = None, *, need_text: bool = False, need_zones: bool = True
) -> ReportData:
    """The works, codes, coders and segments ``flt`` selects, read in one snapshot.

    ``need_zones`` False leaves chapters out (every segment outside chapters) unless the filter
    chooses zones: the counting reports that never look at chapters skip reading them.
    ``need_text`` reads every work's text too (for paragraphs); otherwise only the texts of
    works that state no word count are read, to count their words.
    """
    flt = flt or ReportFilter()
    _check(flt)
    with store.reading() as session:
        read_one_snapshot(session)
        nodes = [
            CodeNode(*row)
            for row in session.execute(select(Code.id, Code.parent_id, Code.name, Code.position))
        ]
        code_ids = _code_scope(session, nodes, flt.code_paths)
        names = {cid: name for cid, name in session.execute(select(Coder.id, Coder.name))}
        coder_ids = sorted({find_coder(session, name).id for name in flt.coders}) if flt.coders else None
        works, indexes = _works(
            session, flt, _document_scope(session, flt.document_ids), need_text, need_zones
        )
        segments, waiting = _segments(session, code_ids, coder_ids, works, indexes, flt)
    paths = code_paths(nodes)
    order = [node.id for node in tree_order(nodes) if code_ids is None or node.id in code_ids]
    codes = rolled_codes(((n.id, n.parent_id) for n in nodes), paths, order)
    used = set(np.unique(segments.coder_id).tolist()) | set(coder_ids or ())
    coders = {cid: names[cid] for cid in sorted(used, key=lambda c: (names[c].casefold(), c))}
    notes = [review_note(waiting)] if waiting else []
    if flt.zoned and works and not indexes:
        notes.append(
            "no work in scope has zones (e.g. plain-text imports): the zone filter keeps unzoned text"
        )
    return ReportData(codes, coders, works, segments, tuple(notes))


def _code_scope(session: Session, nodes: list[CodeNode], wanted: tuple[str, ...]) -> set[int] | None:
    if not wanted:
        return None
    return {cid for path in wanted for cid in subtree_ids(nodes, find_code_by_path(session, path).id)}


def _document_scope(session: Session, wanted: tuple[int, ...]) -> list[int] | None:
    if not wanted:
        return None
    known = set(session.scalars(select(Document.id).where(Document.id.in_(wanted))))
    missing = sorted(set(wanted) - known)
    if missing:
        raise NotFoundError(f"no document with id {missing[0]}")
    return sorted(known)


def _zone_lookup(
    works: dict[int, Work], indexes: dict[int, ZoneIndex], flt: ReportFilter
) -> tuple[Ints, Ints, Ints]:
    """All works' zone bounds on one axis (work ``i`` shifted by ``i × span``), and for each
    elementary interval whether the filter keeps it and its chapter (NO_CHAPTER if none)."""
    span = max((w.length for w in works.values()), default=0) + 1
    bounds: list[int] = []
    kept: list[bool] = []
    chapters: list[int] = []
    for rank, doc_id in enumerate(sorted(works)):
        index = indexes.get(doc_id, NO_ZONES)
        bounds += [bound + rank * span for bound in index.bounds]
        kept += [flt.zone_kept(kind) for kind, _ in index.labels]
        chapters += [NO_CHAPTER if chapter is None else chapter for _, chapter in index.labels]
    return np.array(bounds, np.int64), np.array(kept, bool), np.array(chapters, np.int64)


def _segments(
    session: Session,
    code_ids: set[int] | None,
    coder_ids: list[int] | None,
    works: dict[int, Work],
    indexes: dict[int, ZoneIndex],
    flt: ReportFilter,
) -> tuple[SegmentColumns, int]:
    """The segments in scope, and how many more would be but wait for review after an update."""
    columns = (
        Annotation.id,
        Annotation.document_id,
        Annotation.code_id,
        Annotation.coder_id,
        Annotation.start,
        Annotation.end,
    )
    query = select(*columns)
    if code_ids is not None:
        query = query.where(Annotation.code_id.in_(sorted(code_ids)))
    if coder_ids is not None:
        query = query.where(Annotation.coder_id.in_(coder_ids))
    if len(works) < (session.scalar(select(func.count()).select_from(Document)) or 0):
        query = query.where(Annotation.document_id.in_(sorted(works)))
    rows = [row for batch in row_batches(session, query, _BATCH) for row in batch] if works else []
    table = np.array(rows, dtype=np.int64).reshape(-1, 6)
    work_ids = np.array(sorted(works), dtype=np.int64)
    table = table[np.isin(table[:, 1], work_ids)]  # a work added while reading
    # Storage order is no order: work, start, end, id is the order every list reads in.
    table = table[np.lexsort((table[:, 0], table[:, 5], table[:, 4], table[:, 1]))]
    bounds, kept, chapters = _zone_lookup(works, indexes, flt)
    span = max((w.length for w in works.values()), default=0) + 1
    rank = np.searchsorted(work_ids, table[:, 1])
    interval = np.searchsorted(bounds, table[:, 4] + rank * span, "right") - 1
    keep = kept[interval] if len(interval) else np.zeros(0, bool)
    # Every pending id, not only those of the works in scope: few, and no long list to send.
    pending = pending_annotation_ids(session)
    waiting = np.zeros(len(table), bool)
    if pending and len(table):
        waiting = np.isin(table[:, 0], np.fromiter(pending, np.int64, len(pending)))
    left_out = int(np.count_nonzero(keep & waiting))
    keep = keep & ~waiting
    return SegmentColumns.from_rows(np.column_stack((table, chapters[interval]))[keep]), left_out
