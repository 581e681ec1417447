"""Where a table's next id comes from, on each backend: ids are never reused, even after deletes.

SQLite's ``AUTOINCREMENT`` keeps the highest id ever handed out in ``sqlite_sequence``; PostgreSQL
keeps it in the table's sequence. Undo entries hold deleted rows by id and put them back under
that id, so an id once used must never be given to a new row. These helpers let a service ask
for that high-water mark, or take new ids for rows it inserts with explicit ids, without knowing
the backend. Ids always come from here, never from imported data: a file that named id 2**63-1
would otherwise leave the table without a next id, and every later insert would fail.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from annotator.store.errors import DataRefused

MAX_ID = 2**63 - 1  # SQLite's largest rowid


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def highest_id_ever(session: Session, id_column: InstrumentedAttribute[int]) -> int:
    """The highest id the table ever held or handed out (live rows and the sequence both count)."""
    table = id_column.class_.__table__.name
    highest = int(session.scalar(select(func.coalesce(func.max(id_column), 0))) or 0)
    if _is_sqlite(session):
        seq = session.scalar(text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table})
    else:
        # A fresh sequence reports last_value 1 before handing out any id (is_called false).
        seq = session.scalar(
            text(f'SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM "{table}_id_seq"')
        )
    return max(highest, int(seq or 0))


def allocate_ids(session: Session, id_column: InstrumentedAttribute[int], count: int) -> list[int]:
    """``count`` new ids, ascending, for rows this transaction inserts with explicit ids.

    They are ids the table would have handed out itself: the high-water mark moves by ``count``.
    """
    if count <= 0:
        return []
    table = id_column.class_.__table__.name
    if _is_sqlite(session):
        # Writers take turns (BEGIN IMMEDIATE), so the ids after the high-water mark are this
        # transaction's; inserting them moves sqlite_sequence past them.
        first = highest_id_ever(session, id_column) + 1
        if first + count - 1 > MAX_ID:
            raise DataRefused(f"the project has no {table} ids left (the largest is {MAX_ID})")
        return list(range(first, first + count))
    # nextval hands each id out once, even to transactions running side by side.
    query = text("SELECT nextval(:sequence) FROM generate_series(1, :count)")
    return sorted(session.scalars(query, {"sequence": f"{table}_id_seq", "count": count}))
