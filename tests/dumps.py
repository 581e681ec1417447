"""Whole-database snapshots for tests: "nothing changed" and "undo restored it" compare these."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from annotator.store.models import Base
from annotator.store.project import ProjectStore

TableDump = dict[str, list[tuple[Any, ...]]]


def dump_tables(store: ProjectStore) -> TableDump:
    """Every row of every table of the project, in primary-key order."""
    dump: TableDump = {}
    with store.reading() as session:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            dump[table.name] = [tuple(row) for row in session.execute(select(table).order_by(*order))]
    return dump
