"""Segment queries shared by the segments panel and the CSV export: filters resolved to ids,
the column query, and the zone and chapter of an offset.

A filter is resolved once per query against the project (code paths to subtree ids, coder
names to ids, attribute values to document ids) so the SQL only compares integers. The text
filter is answered by the search indexes where they can (SQLite FTS5 trigrams for three
characters or more, PostgreSQL pg_trgm for ASCII text; the ids of the matches come from
:mod:`annotator.services.segment_text_search`, exact whatever the indexes' change logs hold);
otherwise quotes and memos are compared in Python (``matches``). Before a text filter the log is
folded into the index in a short write of its own (skipped when another process is writing).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Engine,
    Select,
    func,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from annotator.core.codebook import CodeNode, code_paths, subtree_ids
from annotator.core.types import ZONE_CHAPTER
from annotator.services.codebook import find_code_by_path
from annotator.services.coders import find_coder
from annotator.services.documents import attributes_by_document
from annotator.services.errors import NotFoundError
from annotator.services.segment_text_search import (
    current_text_rowids,
    many,
    search_rowids,
    text_condition,
)
from annotator.store.models import Annotation, Code, Coder, Document, DocumentZone
from annotator.store.search_index import fold_pending

BATCH = 5_000  # rows per fetch (and per write when exporting)
# A position in the segments' order (document, start, end, annotation id): where a page ends.
SegmentKey = tuple[int, int, int, int]
ORDER = (Annotation.document_id, Annotation.start, Annotation.end, Annotation.id)
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
    needle: str  # compared in Python ("" when the database answers the text filter)
    attributes: dict[int, dict[str, list[str]]]
    empty: bool = False
    text_filter: ColumnElement[bool] | None = None  # the text filter, answered by the database
    # the ids the text filter matches (segment_text_search.current_text_rowids)
    text_rowids: Select[tuple[Any]] | CompoundSelect | None = None
    # SQLite: the code and coder filters hold so many rows that the list's rows are found sooner
    # walking the annotations in order than through those columns' indexes (segment_text_search.many)
    walk_codes_and_coders: bool = False


def resolve_scope(session: Session, flt: SegmentFilter, *, every_attribute: bool = True) -> SegmentScope:
    """``every_attribute=False``: read the documents' attributes only when the filter needs them
    (the caller reads those of the documents its rows are in, :func:`DocumentLookup`)."""
    needle = flt.text.casefold()
    bind = session.get_bind()
    dialect = bind.dialect.name
    indexed = text_condition(dialect, needle) is not None
    if indexed and isinstance(bind, Engine) and not session.in_transaction():
        fold_pending(bind)  # before this look's snapshot begins, which then finds the log empty
    attributes = attributes_by_document(session) if every_attribute or flt.attributes else {}
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
    text_filter = None
    text_rowids = None
    if indexed:
        text_rowids = current_text_rowids(session, needle)
        if dialect == "sqlite" and many(session, search_rowids(needle)):
            # ``id + 0``: not an index SQLite may drive the query by. It then walks the
            # annotations in the list's order and looks each up in the matches (built once),
            # stopping at the page's end, instead of fetching every match by id and sorting them.
            text_filter = (Annotation.id + 0).in_(text_rowids)
        else:
            text_filter = Annotation.id.in_(text_rowids)
    walk = False
    if dialect == "sqlite" and (code_ids is not None or coder_ids is not None):
        walk = many(session, scoped(select(Annotation.id), SegmentScope(code_ids, coder_ids, None, "", {})))
    return SegmentScope(
        walk_codes_and_coders=walk,
        code_ids=code_ids,
        coder_ids=coder_ids,
        document_ids=None if document_ids is None else sorted(document_ids),
        needle="" if text_filter is not None else needle,
        attributes=attributes,
        empty=document_ids is not None and not document_ids,
        text_filter=text_filter,
        text_rowids=text_rowids,
    )


def _values_named(attrs: dict[str, list[str]], name: str) -> list[str]:
    return [v for key, values in attrs.items() if key.casefold() == name for v in values]


def scoped(query: _Query, scope: SegmentScope, *, in_order: bool = False) -> _Query:
    """``query`` restricted to ``scope``; ``in_order``: for rows read in the list's order, where
    the code and coder filters that hold many rows are kept off their indexes (``+ 0``), so that
    SQLite walks the list's order instead of reading them all through those indexes and sorting."""
    walk = in_order and scope.walk_codes_and_coders
    if scope.document_ids is not None:
        query = query.where(Annotation.document_id.in_(scope.document_ids))
    if scope.code_ids is not None:
        query = query.where((Annotation.code_id + 0 if walk else Annotation.code_id).in_(scope.code_ids))
    if scope.coder_ids is not None:
        query = query.where((Annotation.coder_id + 0 if walk else Annotation.coder_id).in_(scope.coder_ids))
    if scope.text_filter is not None:
        query = query.where(scope.text_filter)
    return query


def count_query(scope: SegmentScope) -> Select[Any]:
    """How many rows are in ``scope``: with only a text filter on SQLite, counted in the search
    index alone (20 ms rather than 280 ms for 23k matches among 1M), else in ``annotations``."""
    if scope.text_rowids is not None and scope.code_ids is scope.coder_ids is scope.document_ids is None:
        return select(func.count()).select_from(scope.text_rowids.subquery())
    return scoped(select(func.count()).select_from(Annotation), scope)


def rows_query(
    scope: SegmentScope,
    timestamps: tuple[Any, Any] | None = None,
    *,
    after: SegmentKey | None = None,
    annotation_ids: Sequence[int] | None = None,
    limit: int | None = None,
) -> Select[*tuple[Any, ...]]:
    """The segments' columns in order; ``after``: only those past that key (the next page);
    ``annotation_ids``: only those annotations (the rows one change added); ``limit``: at most
    that many (when no text is left to compare in Python), so SQLite sorts only the page's rows."""
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
    ).order_by(*ORDER)
    if after is not None:
        query = query.where(tuple_(*ORDER) > tuple_(*after))
    if annotation_ids is not None:
        query = query.where(Annotation.id.in_(annotation_ids))
    if limit is not None and not scope.needle:
        query = query.limit(limit)
    return scoped(query, scope, in_order=True)


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


class DocumentLookup:
    """Title, hash, zones and attributes of the documents rows are in, read as rows reach new ones.

    A page of segments or the rows one action added touch a few works: reading every work's
    zones and attributes first cost more than the rows themselves in a project of 10,000 works.
    """

    def __init__(self, session: Session, scope: SegmentScope) -> None:
        self.session = session
        self.scope = scope
        self.documents: dict[int, tuple[str, str]] = {}
        self.zones: dict[int, ZoneIndex] = {}
        self.attributes: dict[int, dict[str, list[str]]] = dict(scope.attributes)

    def read(self, document_ids: Iterable[int]) -> None:
        """Make sure the documents ``document_ids`` are known (one query each kind for the new ones)."""
        new = sorted(set(document_ids) - self.documents.keys())
        if not new:
            return
        query = select(Document.id, Document.title, Document.text_hash).where(Document.id.in_(new))
        self.documents.update((r.id, (r.title, r.text_hash)) for r in self.session.execute(query))
        self.zones.update(zone_indexes(self.session, new))
        if not self.scope.attributes:
            self.attributes.update(attributes_by_document(self.session, new))


def code_and_coder_names(session: Session) -> tuple[dict[int, str], dict[int, str]]:
    """Code paths and coder names, each keyed by id."""
    nodes = [
        CodeNode(r.id, r.parent_id, r.name, r.position)
        for r in session.execute(select(Code.id, Code.parent_id, Code.name, Code.position))
    ]
    coders = {cid: name for cid, name in session.execute(select(Coder.id, Coder.name))}
    return code_paths(nodes), coders


def names_by_id(session: Session) -> tuple[dict[int, str], dict[int, str], dict[int, tuple[str, str]]]:
    """Code paths, coder names and (title, hash) per document, each keyed by id."""
    paths, coders = code_and_coder_names(session)
    documents = {
        r.id: (r.title, r.text_hash)
        for r in session.execute(select(Document.id, Document.title, Document.text_hash))
    }
    return paths, coders, documents
