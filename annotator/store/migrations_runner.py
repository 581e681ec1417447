"""Runs the Alembic migrations that create and upgrade a project's schema.

Every upgrade runs inside one transaction on both backends (PostgreSQL's DDL is transactional, and
the project's engine begins SQLite transactions itself, so SQLite's is too): a failed or killed
upgrade leaves the old schema untouched. ``tests/store/test_upgrade_atomicity.py`` kills one at
each statement to hold that. Before upgrading an existing SQLite project, a copy of the file is
saved next to it (``NAME.backup-REV-TIME``, with the project's file mode), using SQLite's online
backup so the copy is consistent.

Opening a project that is already up to date (the usual case) costs one query and no Alembic:
the head revision is read from the migration files' ``revision`` / ``down_revision`` lines
(:func:`head_revision`) and compared with ``alembic_version``; Alembic (≈ 0.15–0.25 s to import)
is imported only when an upgrade actually runs.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from annotator.store.schema_head import MIGRATIONS_DIR, head_revision

if TYPE_CHECKING:
    from alembic.config import Config

# PostgreSQL advisory lock (per database) held by the transaction that migrates the schema.
MIGRATION_LOCK_KEY = 0x616E6E6F74617472  # "annotatr"


# Made with plain SQL by migrations 0006-0008 (segment search), so the ORM models do not describe
# them: the SQLite FTS5 table, its shadow tables and change log; the PostgreSQL side table, its
# change log and trigram indexes (on ``annotations`` itself before 0008).
SEARCH_INDEX_PREFIX = "annotation_search"
SEARCH_INDEX_NAMES = frozenset(
    {
        "ix_annotations_quote_trgm",
        "ix_annotations_memo_trgm",
        "ix_annotation_search_quote_trgm",
        "ix_annotation_search_memo_trgm",
    }
)


def described_by_models(name: str | None, _type: str, _parents: object) -> bool:
    """Alembic ``include_name`` hook: whether a schema object is one the models describe."""
    return not (name and (name.startswith(SEARCH_INDEX_PREFIX) or name in SEARCH_INDEX_NAMES))


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def revision_in(connection: Connection) -> str | None:
    """The schema revision as seen by ``connection`` (inside its transaction, if one is open).

    One query on Alembic's own table; None when the table is missing (a database not yet made).
    """
    try:
        with connection.begin_nested() if connection.in_transaction() else _no_savepoint():
            row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    except DBAPIError:
        return None
    return None if row is None else str(row[0])


@contextmanager
def _no_savepoint() -> Iterator[None]:
    yield


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return revision_in(connection)


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy an SQLite project consistently (WAL included) to a sibling file; return its path.

    The copy gets the project's file mode (a private project's backup is private too) and its
    name only once it is complete: it is written under a hidden name and renamed.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    mode = stat.S_IMODE(path.stat().st_mode)
    # Created with at most the project's permissions before a byte is written; the umask may have
    # narrowed them, so they are then set exactly.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
    try:
        os.chmod(partial, mode)
        source = sqlite3.connect(path)
        try:
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside one transaction, fit for running migrations on either backend.

    The transaction holds the right to migrate from its start (SQLite ``BEGIN IMMEDIATE``, a
    PostgreSQL advisory lock), so two processes opening an old project at once take turns: the
    second finds the schema already upgraded, instead of failing on a stale snapshot.

    SQLite batch migrations recreate a table (copy, DROP, rename). With foreign keys on, that DROP
    deletes every row first and the deletes cascade: recreating ``coders`` emptied
    ``annotations``. So foreign keys are off while migrating (the pragma is ignored inside a
    transaction, hence before it begins) and ``foreign_key_check`` must pass before the commit.
    """
    # project.py imports this module, so its names are looked up only when needed.
    from annotator.store.project import WRITE_OPTION

    with engine.connect() as connection:
        dialect = connection.dialect.name
        # On the driver's connection, outside any transaction (SQLAlchemy would begin one first).
        raw = connection.connection.driver_connection if dialect == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            # The whole upgrade is one transaction, schema changes included (the project's
            # engine begins SQLite transactions explicitly): a crash leaves the old schema.
            with connection.execution_options(**{WRITE_OPTION: True}).begin():
                if dialect == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
                yield connection
                if dialect == "sqlite":
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        example = tuple(broken[0])
                        raise RuntimeError(f"migration broke {len(broken)} foreign key(s), e.g. {example}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade_in(connection: Connection, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` on a connection from :func:`migration_connection`."""
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def upgrade_to_head(engine: Engine, url: URL, *, revision: str = "head") -> Path | None:
    """Bring the schema to ``revision``; return the backup's path when one was made."""
    target = head_revision() if revision == "head" else revision
    if current_revision(engine) == target:
        return None  # the usual case: no write lock taken
    backup: Path | None = None
    with migration_connection(engine) as connection:
        # Read again under the lock: another process may have upgraded it meanwhile. The backup
        # is taken now, so it holds exactly the schema and rows this upgrade starts from.
        current = revision_in(connection)
        if current == target:
            return None
        if current is not None and url.get_backend_name() == "sqlite" and url.database:
            backup = backup_sqlite(Path(url.database), current)
        upgrade_in(connection, revision)
    return backup
