"""Whole-row copies taken before a destructive action, so undo can put rows back exactly.

Rows are restored under their old primary keys; ids are never reused (SQLite AUTOINCREMENT,
PostgreSQL sequences), so an old id is always free again after its row was deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, insert, select
from sqlalchemy.orm import Session

from annotator.store.models import Base

Row = dict[str, Any]


def take(session: Session, model: type[Base], condition: ColumnElement[bool]) -> list[Row]:
    table = model.__table__
    rows = session.execute(select(table).where(condition).order_by(table.c.id)).mappings()
    return [dict(row) for row in rows]


def put_back(session: Session, model: type[Base], rows: Sequence[Row]) -> None:
    if rows:
        session.execute(insert(cast(Table, model.__table__)), list(rows))
