"""Making a new project all at once: a crash leaves a complete project, or nothing in the way.

A new project is its schema plus what the caller puts in it (the starting codebook). Made in
place, a crash between the two (or in the middle of either) left a location that could neither
be opened nor created again. So:

- **SQLite**: the project is built in a hidden file beside the target
  (``.NAME.creating-PID.HOST.RANDOM``), switched out of WAL mode so it is all in that one file,
  synced, and only then linked to the target name, which never held anything but a complete
  project. Linking refuses to replace a file that appeared meanwhile. A crash leaves at most the
  hidden file, which blocks nothing; any failure we see removes it, and the next project created
  or opened in the folder removes those of processes that were killed
  (:mod:`annotator.store.leftovers`).
- **PostgreSQL**: the schema and the caller's rows are written in one transaction, so a crash
  leaves the database as empty as it was.

``tests/services/test_project_creation.py`` kills ``create_project`` at each statement.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from annotator.core.errors import one_line
from annotator.store.errors import translated
from annotator.store.leftovers import creating_path, remove_stale_creations
from annotator.store.project import (
    ProjectError,
    ProjectStore,
    _has_annotator_schema,
    _make_engine,
    open_project,
    resolve_display,
    resolve_target,
)

# SQLite files that belong to a database of the same name (its rollback journal, its WAL).
SIDE_FILES = ("-journal", "-wal", "-shm")
# Where os.link cannot make a second name (FAT, some network shares), rename after a check.
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS, errno.EMLINK}

Populate = Callable[[Session], object]


def create_store(target: str | os.PathLike[str], populate: Populate) -> ProjectStore:
    """Make a new project at ``target`` holding what ``populate(session)`` adds, or nothing at all.

    Refuses a location that already holds a project (or, for SQLite, any non-empty file).
    Exceptions from ``populate`` come out unchanged, and nothing is left behind.
    """
    url = resolve_target(target)
    if url.get_backend_name() == "sqlite" and url.database:
        path = Path(url.database)
        _create_sqlite_file(path, populate)
        return open_project(path)
    return ProjectStore(_create_schema(url, url, populate), url)


def _create_schema(url: URL, shown: URL, populate: Populate) -> Engine:
    """An engine on ``url``, whose empty database now holds the schema and the caller's rows.

    Both are written in one transaction: a failure or a crash leaves the database as it was.
    ``shown`` is the location named in messages.
    """
    # Imported here: alembic is needed to create a project, not to start the app or the CLI.
    from annotator.store.migrations_runner import migration_connection, revision_in, upgrade_in

    try:
        engine = _make_engine(url)
        exists = _has_annotator_schema(engine)
    except Exception as exc:
        raise ProjectError(f"cannot open {resolve_display(shown)}: {one_line(exc)}") from exc
    try:
        if exists:
            raise ProjectError(f"{resolve_display(shown)} already holds a project")
        with translated(), migration_connection(engine) as connection:
            if revision_in(connection) is not None:  # made by another process since we looked
                raise ProjectError(f"{resolve_display(shown)} already holds a project")
            try:
                upgrade_in(connection)
            except Exception as exc:
                raise ProjectError(f"cannot prepare {resolve_display(shown)}: {one_line(exc)}") from exc
            with Session(bind=connection) as session:  # joins the transaction; commits nothing itself
                populate(session)
                session.flush()
    except BaseException:
        engine.dispose()
        raise
    return engine


def _create_sqlite_file(path: Path, populate: Populate) -> None:
    _check_free(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"cannot create {path}: {exc.strerror or exc}") from exc
    with contextlib.suppress(OSError):  # tidying up must never stop the creation itself
        remove_stale_creations(path.parent)
    temporary = creating_path(path)
    try:
        building = URL.create("sqlite", database=str(temporary))
        engine = _create_schema(building, URL.create("sqlite", database=str(path)), populate)
        try:
            engine.dispose()  # leaving WAL mode needs the only connection to the file
            _leave_wal_mode(engine)
        finally:
            engine.dispose()
        _sync_file(temporary)
        _move_into_place(temporary, path)
        _sync_folder(path.parent)
    except OSError as exc:
        raise ProjectError(f"cannot create {path}: {exc.strerror or exc}") from exc
    finally:
        for suffix in ("", *SIDE_FILES):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)


def _check_free(path: Path) -> None:
    """Refuse a file with content, and a journal or WAL left without its database.

    SQLite would replay a stray WAL or journal into the new file and corrupt it.
    """
    if path.is_dir():
        raise ProjectError(f"{path} is a folder; choose a file name")
    if _has_content(path):
        raise ProjectError(f"{path} already exists; choose another file name")
    for suffix in SIDE_FILES[:2]:
        side = Path(f"{path}{suffix}")
        if _has_content(side):
            raise ProjectError(f"{side} is left from an earlier database; move it or choose another name")


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False


def _leave_wal_mode(engine: Engine) -> None:
    """Put the whole database into its main file (the WAL is merged and deleted)."""
    with engine.connect() as connection:
        # On the driver's connection: SQLAlchemy would begin a transaction, inside which
        # SQLite refuses to change the journal mode. The project's engine switches back on open.
        raw = connection.connection.driver_connection
        assert raw is not None
        [mode] = raw.execute("PRAGMA journal_mode=DELETE").fetchone()
    if str(mode).lower() != "delete":
        raise ProjectError(f"cannot finish the new project: its journal stayed in {mode} mode")


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(path: Path) -> None:
    """Make a new name in the folder durable, where the platform allows it (not Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _move_into_place(temporary: Path, path: Path) -> None:
    """Give ``temporary`` the name ``path``, never replacing a project that appeared meanwhile."""
    try:
        os.link(temporary, path)  # fails if the name exists, however it got there
        return
    except FileExistsError:
        pass
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    if _has_content(path):
        raise ProjectError(f"{path} already exists; choose another file name")
    os.replace(temporary, path)  # the name is free, or an empty file a file dialog made
