"""Segment queries shared by the segments panel and the CSV export: filters resolved to ids,
the column query, and the zone and chapter of an offset.

A filter is resolved once per query against the project (code paths to subtree ids, coder
names to ids, attribute values to document ids) so the SQL only compares integers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from annotator.core.codebook import CodeNode, code_paths, subtree_ids
from annotator.core.types import ZONE_CHAPTER
from annotator.services.codebook import find_code_by_path
from annotator.services.coders import find_coder
from annotator.services.documents import attributes_by_document
from annotator.services.errors import NotFoundError
from annotator.store.models import Annotation, Code, Coder, Document, DocumentZone

BATCH = 5_000  # rows per fetch (and per write when exporting)
_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class SegmentFilter:
    """Which segments to show or export; empty fields do not filter. Fields combine with AND.

    ``code_paths`` include their sub-codes. ``attributes`` are ``(name, value)`` pairs matched
    without regard to case; several values of one name are alternatives (rating=Explicit or
    rating=Mature). ``text`` is a case-insensitive substring of the quote or the memo.
    """

    code_paths: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    document_ids: tuple[int, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    text: str = ""


class ZoneIndex:
    """Zone and chapter of any offset of one document: elementary intervals plus one bisect."""

    def __init__(self, zones: Iterable[tuple[str, int, int, int | None]]) -> None:
        zone_list = list(zones)
        self.bounds = sorted({0, *(z[1] for z in zone_list), *(z[2] for z in zone_list)})
        position = {bound: i for i, bound in enumerate(self.bounds)}
        kinds = [""] * len(self.bounds)
        chapters: list[int | None] = [None] * len(self.bounds)
        chapter_zones = sorted((z for z in zone_list if z[0] == ZONE_CHAPTER), key=lambda z: z[1])
        for ordinal, (_, start, end, number) in enumerate(chapter_zones, start=1):
            for i in range(position[start], position[end]):
                chapters[i] = number if number is not None else ordinal
        # Outer zones first, so an inner zone painted later wins where they overlap.
        others = sorted((z for z in zone_list if z[0] != ZONE_CHAPTER), key=lambda z: (z[1] - z[2], z[1]))
        for kind, start, end, _ in others:
            for i in range(position[start], position[end]):
                kinds[i] = kind
        self.labels = list(zip(kinds, chapters, strict=True))

    def at(self, offset: int) -> tuple[str, int | None]:
        return self.labels[bisect_right(self.bounds, offset) - 1]


@dataclass
class SegmentScope:
    """A filter resolved against one project: ids to restrict the query to (None = all)."""

    code_ids: list[int] | None
    coder_ids: list[int] | None
    document_ids: list[int] | None
    needle: str
    attributes: dict[int, dict[str, list[str]]]
    empty: bool = False


def resolve_scope(session: Session, flt: SegmentFilter) -> SegmentScope:
    attributes = attributes_by_document(session)
    code_ids: list[int] | None = None
    if flt.code_paths:
        nodes = [
            CodeNode(r.id, r.parent_id, r.name, r.position)
            for r in session.execute(select(Code.id, Code.parent_id, Code.name, Code.position))
        ]
        code_ids = sorted(
            {
                cid
                for path in flt.code_paths
                for cid in subtree_ids(nodes, find_code_by_path(session, path).id)
            }
        )
    coder_ids = sorted({find_coder(session, name).id for name in flt.coders}) if flt.coders else None
    document_ids: set[int] | None = None
    if flt.document_ids:
        known = set(session.scalars(select(Document.id).where(Document.id.in_(flt.document_ids))))
        for doc_id in flt.document_ids:
            if doc_id not in known:
                raise NotFoundError(f"no document with id {doc_id}")
        document_ids = known
    if flt.attributes:
        wanted: dict[str, set[str]] = {}
        for name, value in flt.attributes:
            wanted.setdefault(name.strip().casefold(), set()).add(value.strip().casefold())
        matching = {
            doc_id
            for doc_id, attrs in attributes.items()
            if all(
                any(v.casefold() in values for v in _values_named(attrs, name))
                for name, values in wanted.items()
            )
        }
        document_ids = matching if document_ids is None else document_ids & matching
    return SegmentScope(
        code_ids=code_ids,
        coder_ids=coder_ids,
        document_ids=None if document_ids is None else sorted(document_ids),
        needle=flt.text.casefold(),
        attributes=attributes,
        empty=document_ids is not None and not document_ids,
    )


def _values_named(attrs: dict[str, list[str]], name: str) -> list[str]:
    return [v for key, values in attrs.items() if key.casefold() == name for v in values]


def scoped(query: _Query, scope: SegmentScope) -> _Query:
    if scope.document_ids is not None:
        query = query.where(Annotation.document_id.in_(scope.document_ids))
    if scope.code_ids is not None:
        query = query.where(Annotation.code_id.in_(scope.code_ids))
    if scope.coder_ids is not None:
        query = query.where(Annotation.coder_id.in_(scope.coder_ids))
    return query


def rows_query(scope: SegmentScope, timestamps: tuple[Any, Any] | None = None) -> Select[*tuple[Any, ...]]:
    created, updated = timestamps or (Annotation.created_at, Annotation.updated_at)
    query = select(
        Annotation.id,
        Annotation.document_id,
        Annotation.start,
        Annotation.end,
        Annotation.quote,
        Annotation.code_id,
        Annotation.coder_id,
        Annotation.memo,
        created,
        updated,
    ).order_by(Annotation.document_id, Annotation.start, Annotation.end, Annotation.id)
    return scoped(query, scope)


def matches(needle: str, quote: str, memo: str) -> bool:
    return not needle or needle in quote.casefold() or needle in memo.casefold()


def zone_indexes(session: Session, document_ids: Sequence[int] | None) -> dict[int, ZoneIndex]:
    query = select(
        DocumentZone.document_id,
        DocumentZone.kind,
        DocumentZone.start,
        DocumentZone.end,
        DocumentZone.chapter,
    )
    if document_ids is not None:
        query = query.where(DocumentZone.document_id.in_(document_ids))
    grouped: dict[int, list[tuple[str, int, int, int | None]]] = {}
    for doc_id, kind, start, end, chapter in session.execute(query):
        grouped.setdefault(doc_id, []).append((kind, start, end, chapter))
    return {doc_id: ZoneIndex(zones) for doc_id, zones in grouped.items()}


NO_ZONES = ZoneIndex(())


def names_by_id(session: Session) -> tuple[dict[int, str], dict[int, str], dict[int, tuple[str, str]]]:
    """Code paths, coder names and (title, hash) per document, each keyed by id."""
    nodes = [
        CodeNode(r.id, r.parent_id, r.name, r.position)
        for r in session.execute(select(Code.id, Code.parent_id, Code.name, Code.position))
    ]
    coders = {cid: name for cid, name in session.execute(select(Coder.id, Coder.name))}
    documents = {
        r.id: (r.title, r.text_hash)
        for r in session.execute(select(Document.id, Document.title, Document.text_hash))
    }
    return code_paths(nodes), coders, documents
