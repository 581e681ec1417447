"""Where a table's next id comes from, on each backend: ids are never reused, even after deletes.

SQLite's ``AUTOINCREMENT`` keeps the highest id ever handed out in ``sqlite_sequence``; PostgreSQL
keeps it in the table's sequence. Undo entries hold deleted rows by id and put them back under
that id, so an id once used must never be given to a new row. These helpers let a service ask
for that high-water mark and move it past ids it stored itself, without knowing the backend.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session


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


def advance_past(session: Session, id_column: InstrumentedAttribute[int], value: int) -> None:
    """After rows were stored with explicit ids up to ``value``, make new ids start beyond it.

    SQLite's AUTOINCREMENT notices explicit ids by itself; PostgreSQL's sequence does not.
    """
    if not _is_sqlite(session):
        table = id_column.class_.__table__.name
        session.execute(
            text("SELECT setval(:sequence, :value)"), {"sequence": f"{table}_id_seq", "value": value}
        )
