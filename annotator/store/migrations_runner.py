"""Runs the Alembic migrations that create and upgrade a project's schema.

Before upgrading an existing SQLite project to a newer schema, a copy of the file is saved next
to it (``NAME.backup-REV``), using SQLite's online backup so the copy is consistent. PostgreSQL
upgrades run inside one transaction (its DDL is transactional), so a failed upgrade leaves the
old schema untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy an SQLite project consistently (WAL included) to a sibling file; return its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside one transaction, fit for running migrations on either backend.

    SQLite batch migrations recreate a table (copy, DROP, rename). With foreign keys on, that DROP
    deletes every row first and the deletes cascade: recreating ``coders`` emptied
    ``annotations``. So foreign keys are off while migrating (the pragma is ignored inside a
    transaction, hence before it begins) and ``foreign_key_check`` must pass before the commit.
    """
    with engine.connect() as connection:
        is_sqlite = connection.dialect.name == "sqlite"
        if is_sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                yield connection
                if is_sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        example = tuple(broken[0])
                        raise RuntimeError(f"migration broke {len(broken)} foreign key(s), e.g. {example}")
        finally:
            if is_sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade_to_head(engine: Engine, url: URL, *, revision: str = "head") -> Path | None:
    """Bring the schema to ``revision``; return the backup's path when one was made."""
    current = current_revision(engine)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    backup: Path | None = None
    if current is not None and url.get_backend_name() == "sqlite" and url.database:
        backup = backup_sqlite(Path(url.database), current)
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return backup
