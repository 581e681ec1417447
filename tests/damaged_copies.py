"""Coders' copies damaged by hand, for the merge tests: made by the app, then edited with raw SQL.

``alice_copy`` is the demo project (fandom codebook, five seed works) with alice's four
annotations and a document memo, made with the services on either backend. ``damage`` then
edits it the way someone with an SQLite browser or a PostgreSQL console would: on SQLite with
``PRAGMA foreign_keys=OFF`` and ``PRAGMA ignore_check_constraints=ON``; on PostgreSQL with the
foreign key triggers off (``session_replication_role = replica``) and the span CHECKs dropped.
Statements use ``?`` placeholders on both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from annotator.services.commands import SetDocumentMemo
from annotator.store.project import ProjectStore
from tests.team_support import ALICE, code_as, document_id, seeded_copy

Statement = str | tuple[str, tuple[Any, ...]]


def location_of(store: ProjectStore) -> str:
    """What ``merge_from`` is given for ``store``: its file, or its URL with the password."""
    return store.location if store.is_sqlite else store.url.render_as_string(hide_password=False)


def alice_copy(location: str, tmp_path: Path) -> str:
    """Alice's coded copy of the demo project at ``location`` (closed again); returns where it is."""
    store = seeded_copy(location, tmp_path)
    try:
        code_as(store, "alice", ALICE)
        SetDocumentMemo(store, document_id(store, 2), "alice", "a memo on the third work").apply()
        return location_of(store)
    finally:
        store.close()


@contextmanager
def unguarded(location: str) -> Iterator[Callable[[str, Sequence[Any]], list[Any]]]:
    """An ``execute(sql, params)`` on the closed project at ``location`` with its constraints
    off (``?`` placeholders on both backends); committed when the block ends without error."""
    if "://" not in location:
        connection = sqlite3.connect(location)
        try:
            connection.execute("PRAGMA foreign_keys=OFF")
            connection.execute("PRAGMA ignore_check_constraints=ON")
            yield lambda sql, params: connection.execute(sql, params).fetchall()
            connection.commit()
        finally:
            connection.close()
        return
    engine = create_engine(location)
    try:
        with engine.begin() as pg:
            pg.exec_driver_sql("SET session_replication_role = replica")
            for table in ("annotations", "document_zones"):
                pg.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS ck_{table}_span")

            def execute(sql: str, params: Sequence[Any]) -> list[Any]:
                result = pg.exec_driver_sql(sql.replace("?", "%s"), tuple(params))
                return list(result) if result.returns_rows else []

            yield execute
    finally:
        engine.dispose()


def damage(location: str, *statements: Statement) -> str:
    """Run ``statements`` on the closed project at ``location`` with its constraints off; return it."""
    with unguarded(location) as execute:
        for statement in statements:
            sql, params = (statement, ()) if isinstance(statement, str) else statement
            execute(sql, params)
    return location


def ids(location: str, sql: str) -> list[Any]:
    """The first column of ``sql`` on the project at ``location`` (to name rows in expectations)."""
    if "://" not in location:
        connection = sqlite3.connect(location)
        try:
            return [row[0] for row in connection.execute(sql)]
        finally:
            connection.close()
    engine = create_engine(location)
    try:
        with engine.connect() as connection:
            return [row[0] for row in connection.exec_driver_sql(sql)]
    finally:
        engine.dispose()
