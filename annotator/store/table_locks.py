"""Locks that make concurrent writers of one table take turns, on each backend.

SQLite needs none: every write transaction begins with ``BEGIN IMMEDIATE`` (see ``project``), so
writers run one at a time and what one reads cannot change before it writes. PostgreSQL runs
READ COMMITTED transactions side by side: a service that checks a rule spanning several rows
(no code inside itself, one name per sibling group) first takes the table's lock here, and
then reads.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from annotator.store.models import Base


def take_turns_changing(session: Session, model: type[Base]) -> None:
    """Until this transaction ends, no other transaction changes ``model``'s table (PostgreSQL).

    SHARE ROW EXCLUSIVE waits for transactions that inserted, updated or deleted rows of the table
    to end and holds back new ones, and conflicts with itself; it lets reads and the key-share
    locks of foreign key checks through, so annotations can still be made while codes change.
    """
    if session.get_bind().dialect.name == "postgresql":
        table = model.__table__.name  # type: ignore[attr-defined]
        session.execute(text(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE'))
