"""Ids handed out for rows that do not exist yet (an annotation a review row keeps for later).

:func:`annotator.store.id_sequences.allocate_ids` gives ids for rows a transaction inserts; on
SQLite the high-water mark moves only when those rows go in. A merged annotation that is orphaned
(its text is gone) never goes in: its review row keeps it under an id, to be put back when someone
re-selects a span. That id must never go to another row, so it is reserved here: the high-water
mark moves past it now.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import InstrumentedAttribute, Session

from annotator.store.id_sequences import allocate_ids


def reserve_ids(session: Session, id_column: InstrumentedAttribute[int], count: int) -> list[int]:
    """``count`` new ids, ascending, that the table will never hand out (whether used or not)."""
    ids = allocate_ids(session, id_column, count)
    if ids and session.get_bind().dialect.name == "sqlite":
        # PostgreSQL's nextval already consumed them; SQLite's AUTOINCREMENT counter is a row.
        table, last = id_column.class_.__table__.name, ids[-1]
        moved = session.execute(
            text("UPDATE sqlite_sequence SET seq = :last WHERE name = :t AND seq < :last"),
            {"t": table, "last": last},
        )
        exists = session.scalar(text("SELECT 1 FROM sqlite_sequence WHERE name = :t"), {"t": table})
        if not moved.rowcount and exists is None:  # type: ignore[attr-defined]
            session.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :last)"), {"t": table, "last": last}
            )
    return ids
