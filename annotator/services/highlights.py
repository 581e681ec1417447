"""The viewer's read of a document's annotations: bare rows, as fast as the backend gives them.

Opening a work with 100k annotations must feel instant, so this skips what ``list_annotations``
builds for panels and exports (quotes — the viewer slices its own text —, timestamps, frozen
dataclasses, SQLAlchemy ``Row``s): it selects six columns and returns the DBAPI cursor's tuples
(:func:`annotator.store.fast_reads.fetch_rows`), ordered by start.

The whole-document query is planned by the store for its backend
(:func:`annotator.store.fast_reads.document_rows_query`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import select

from annotator.services.errors import NotFoundError
from annotator.store.fast_reads import document_rows_query, fetch_rows
from annotator.store.models import Annotation, Document
from annotator.store.project import ProjectStore

HighlightRow = tuple[int, int, int, int, int, str]
"""(annotation id, start, end, code id, coder id, memo) of one annotation."""

_COLUMNS = (
    Annotation.id,
    Annotation.start,
    Annotation.end,
    Annotation.code_id,
    Annotation.coder_id,
    Annotation.memo,
)
_ORDER = (Annotation.start, Annotation.end, Annotation.id)


def highlight_rows(
    store: ProjectStore,
    document_id: int,
    coder_ids: Sequence[int] | None = None,
    *,
    starts_before: int | None = None,
) -> list[HighlightRow]:
    """A document's annotations as ``HighlightRow`` tuples by (start, end, id); only
    ``coder_ids``' when given, only those starting before ``starts_before`` when given (the
    first screen of a work: every annotation overlapping ``[0, starts_before)``).
    Raises ``NotFoundError`` for an unknown document."""
    coders = None if coder_ids is None else sorted({int(c) for c in coder_ids})
    with store.reading() as session:
        if session.scalar(select(Document.id).where(Document.id == document_id)) is None:
            raise NotFoundError(f"no document with id {document_id}")
        if coders == []:
            return []
        if starts_before is None:
            planned = document_rows_query(session, _COLUMNS, document_id, coders)
            if planned is None:
                return []
            return cast(list[HighlightRow], fetch_rows(session, planned.order_by(*_ORDER)))
        # A prefix (few rows): the (document_id, start, end) index serves it on any backend.
        query = select(*_COLUMNS).where(
            Annotation.document_id == document_id, Annotation.start < starts_before
        )
        if coders is not None:
            query = query.where(Annotation.coder_id.in_(coders))
        return cast(list[HighlightRow], fetch_rows(session, query.order_by(*_ORDER)))
