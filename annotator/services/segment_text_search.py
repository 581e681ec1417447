"""The segments' text filter as the search indexes answer it: the ids of the matching annotations.

SQLite (migrations 0006-0007): an FTS5 trigram table over quote and memo, fed late from a change
log; PostgreSQL (0008): a side table with pg_trgm indexes, fed the same way
(:mod:`annotator.store.search_index`). The ids are exact in the reader's snapshot whatever the
log holds (:func:`current_text_rowids`). :func:`many` tells the list's query which way SQLite
finds a page sooner: through the matches, or walking the annotations in the list's order.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    column,
    func,
    or_,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from annotator.store.models import Annotation
from annotator.store.search_index import ANY_PENDING, PENDING_TABLE

# The shortest text SQLite's trigram index can look up (shorter ones are compared in Python).
MIN_INDEXED_TEXT = 3

# A temporary FTS5 table (this connection's, gone with the reader's transaction) of the same kind
# as the index, holding the logged annotations' current text: matched exactly as the index would.
FRESH_TABLE = "annotation_search_fresh"
_FRESH = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{FRESH_TABLE} USING fts5(quote, memo, tokenize='trigram')",
    f"DELETE FROM temp.{FRESH_TABLE}",
    f"INSERT INTO temp.{FRESH_TABLE} (rowid, quote, memo) SELECT a.id, a.quote, a.memo "
    f"FROM {PENDING_TABLE} p JOIN annotations a ON a.id = p.annotation_id",
)
_FRESH_MATCH = f"SELECT rowid FROM temp.{FRESH_TABLE} WHERE {FRESH_TABLE} MATCH ? ORDER BY rowid"


def _phrase(needle: str) -> str:
    return '"' + needle.replace('"', '""') + '"'


def search_rowids(needle: str) -> Select[tuple[Any]]:
    """SQLite: the ids of the annotations whose quote or memo holds ``needle`` (3+ characters)
    as the search index has them (see :func:`current_search_rowids` for what it has not yet)."""
    match = text("annotation_search MATCH :phrase").bindparams(phrase=_phrase(needle))
    return select(column("rowid")).select_from(table("annotation_search")).where(match)


def current_search_rowids(session: Session, needle: str) -> Select[tuple[Any]] | CompoundSelect:
    """SQLite: the ids of the annotations whose quote or memo holds ``needle``, exact in the
    session's snapshot: the index's answer when the change log is empty; otherwise the index's
    answer for the ids not logged, plus the logged ids whose current text matches."""
    if not session.execute(text(ANY_PENDING)).scalar():
        return search_rowids(needle)
    connection = session.connection()
    for statement in _FRESH:
        connection.exec_driver_sql(statement)
    fresh_ids = [row[0] for row in connection.exec_driver_sql(_FRESH_MATCH, (_phrase(needle),))]
    connection.exec_driver_sql(_FRESH[1])
    # The ids go in the query itself (one JSON text, whatever their number), not as a reference
    # to the temporary table: the parallel export runs the query on another process's connection.
    fresh = func.json_each(json.dumps(fresh_ids)).table_valued("value")
    logged: Select[tuple[Any]] = select(column("annotation_id")).select_from(table(PENDING_TABLE))
    return union_all(search_rowids(needle).where(column("rowid").not_in(logged)), select(fresh.c.value))


# A page of the list is this many rows (the segments panel's page).
PAGE_ROWS = 1_000


def many(session: Session, matching: Select[Any]) -> bool:
    """SQLite: whether ``matching`` (a query of ids) holds so many annotations that a page is found
    sooner by walking the annotations in the list's order than by fetching and sorting them all.

    In order, a page of P rows among N annotations of which M match costs about P·N/M steps;
    fetching the matches costs about M. So: M² > P·N, the query asked for at most √(P·N) + 1
    rows (≈ 32k of 1M annotations) and N taken as the largest id, both cheap to read.
    """
    largest = session.execute(select(func.max(Annotation.id))).scalar() or 0
    enough = int((PAGE_ROWS * largest) ** 0.5) + 1
    found = session.execute(select(func.count()).select_from(matching.limit(enough).subquery())).scalar_one()
    return bool(found >= enough)


def text_condition(dialect: str, needle: str) -> ColumnElement[bool] | None:
    """The text filter as SQL an index answers, or None where Python must compare.

    Case is folded as the database folds it (SQLite FTS5: Unicode; PostgreSQL ``ILIKE``: only
    ASCII is used, as the database's collation may fold nothing else). This is the index's
    answer alone; :func:`current_text_rowids` adds what the change log holds.
    """
    if dialect == "sqlite" and len(needle) >= MIN_INDEXED_TEXT:
        return Annotation.id.in_(search_rowids(needle))
    if dialect == "postgresql" and needle and needle.isascii():
        return Annotation.id.in_(_pg_matches(_SEARCH, needle))
    return None


# PostgreSQL (migration 0008): the side table the trigram indexes are on, and its change log.
_SEARCH = table("annotation_search", column("annotation_id"), column("quote"), column("memo"))
_LOGGED = table(PENDING_TABLE, column("annotation_id"))


def _pg_matches(source: Any, needle: str) -> Select[tuple[Any]]:
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    key = source.c.annotation_id if "annotation_id" in source.c else source.c.id
    condition = or_(source.c.quote.ilike(pattern, escape="\\"), source.c.memo.ilike(pattern, escape="\\"))
    return select(key).where(condition)


def current_text_rowids(session: Session, needle: str) -> Select[tuple[Any]] | CompoundSelect:
    """The ids of the annotations whose quote or memo holds ``needle``, exact in the session's
    snapshot whatever the change log holds (the caller has checked :func:`text_condition`)."""
    if session.get_bind().dialect.name == "sqlite":
        return current_search_rowids(session, needle)
    logged = select(_LOGGED.c.annotation_id)
    current = Annotation.__table__
    return union_all(
        _pg_matches(_SEARCH, needle).where(_SEARCH.c.annotation_id.not_in(logged)),
        _pg_matches(current, needle).where(current.c.id.in_(logged)),
    )
