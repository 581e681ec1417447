"""The viewer's read of a document's annotations: bare rows, as fast as the backend gives them.

Opening a work with 100k annotations must feel instant, so this skips what ``list_annotations``
builds for panels and exports (quotes — the viewer slices its own text —, timestamps, frozen
dataclasses, SQLAlchemy ``Row``s): it selects six columns and returns the DBAPI cursor's tuples,
ordered by start.

On SQLite the plain query walks the ``(document_id, start, end)`` index and fetches each row from
the table in index order, a random access that costs ~2.5 µs a row (the table rows also hold the
quotes). Reading the table in rowid order and letting SQLite sort is about twice as fast, so the
query is planned here from the document's id range: a range scan when the document's rows are
clustered (imported or coded in one go), else lookups of its ids in ascending order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from annotator.services.errors import NotFoundError
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

# A rowid range scan reads the rows of other documents in the range too (~0.2 µs each, against
# ~0.5 µs for one more id lookup): worth it while the range is at most this many times the count.
_CLUSTERED = 2


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
        if store.is_sqlite and starts_before is None:
            query = _sqlite_query(session, document_id, coders)
            if query is None:
                return []
        else:
            # PostgreSQL, or a prefix (few rows): the (document_id, start, end) index serves it.
            query = select(*_COLUMNS).where(Annotation.document_id == document_id)
            if starts_before is not None:
                query = query.where(Annotation.start < starts_before)
            if coders is not None:
                query = query.where(Annotation.coder_id.in_(coders))
        return _fetch(session, query.order_by(*_ORDER))


def _sqlite_query(
    session: Session, document_id: int, coders: list[int] | None
) -> Select[*tuple[Any, ...]] | None:
    count, low, high = session.execute(
        select(func.count(), func.min(Annotation.id), func.max(Annotation.id)).where(
            Annotation.document_id == document_id
        )
    ).one()
    if not count:
        return None
    # "+ 0" keeps SQLite's planner off the document and coder indexes: either would bring back
    # the per-row lookups in index order this module exists to avoid.
    if high - low + 1 <= _CLUSTERED * count:
        query = select(*_COLUMNS).where(
            Annotation.id.between(low, high), Annotation.document_id + 0 == document_id
        )
    else:
        ids = select(Annotation.id).where(Annotation.document_id == document_id)
        query = select(*_COLUMNS).where(Annotation.id.in_(ids))
    if coders is not None:
        query = query.where((Annotation.coder_id + 0).in_(coders))
    return query


def _fetch(session: Session, query: Select[*tuple[Any, ...]]) -> list[HighlightRow]:
    """Run ``query`` on the session's DBAPI connection: its cursor's tuples, without ``Row``s."""
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.construct_params()
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        return cast(list[HighlightRow], cursor.fetchall())
    finally:
        cursor.close()
