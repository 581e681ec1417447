"""The lengths of the store's ``String(n)`` columns, read from the models so each is written once.

Services cut user-supplied names and labels to these lengths before storing them (PostgreSQL
refuses longer values, SQLite would keep them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import InstrumentedAttribute


def max_length(column: InstrumentedAttribute[Any]) -> int:
    """The declared length of a model's ``String(n)`` column, e.g. ``max_length(Document.title)``."""
    column_type = column.expression.type
    if not isinstance(column_type, String) or column_type.length is None:
        raise TypeError(f"{column} is not a String column with a length")
    return column_type.length
