"""``annotator info`` on a project file without SQLAlchemy: the standard library's ``sqlite3``.

A script may call ``annotator info`` often; importing SQLAlchemy alone takes ≈ 0.4 s of each
call. A project file whose schema is the one this version writes is read here directly, under
the same shared :class:`~annotator.store.lock.ProjectLock` and busy timeout as
:func:`~annotator.store.project.open_project`, in one read transaction. Anything else (a server
URL, a missing file, an older schema to upgrade, a newer one, a file that is not a project, a
project in use) returns ``None`` and the caller opens the project the usual way, which upgrades
it or says what is wrong.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from annotator.store.lock import SHARED, ProjectInUse, ProjectLock
from annotator.store.project_summary import ProjectInfo, read_project_info
from annotator.store.schema_head import head_revision

# As store.project.BUSY_TIMEOUT_MS: how long a read waits for another process's checkpoint.
_BUSY_TIMEOUT_MS = 10_000
_Read = TypeVar("_Read")


def quick_project_info(target: str) -> ProjectInfo | None:
    """What ``annotator info`` shows of the project file ``target``, or None to open it fully."""
    return read_head_project(target, "annotator info", read_project_info)


def read_head_project(
    target: str, purpose: str, read: Callable[[sqlite3.Cursor, str], _Read | None]
) -> _Read | None:
    """``read(cursor, path)`` on the project file ``target`` if its schema is this version's, or
    None (a URL, a missing file, another revision, a project in use or not in WAL mode, a file
    that is not a project): the caller then opens the project the usual way.

    Under a shared :class:`~annotator.store.lock.ProjectLock` (``purpose`` names the reader to a
    process waiting for it), with the project's busy timeout, in one read transaction; the lock
    and the connection are let go before this returns.
    """
    if "://" in target:
        return None
    path = Path(target).expanduser().resolve()
    if not path.is_file():
        return None
    try:
        lock = ProjectLock.acquire(path, SHARED, purpose)
    except (ProjectInUse, OSError):
        return None  # in use, or no lock file can be made: the usual open says which
    try:
        return _read(path, read)
    except (sqlite3.Error, ValueError):
        return None  # not a project, or damaged: the usual open words it
    finally:
        if lock is not None:
            lock.release()


def _read(path: Path, read: Callable[[sqlite3.Cursor, str], _Read | None]) -> _Read | None:
    # Read-only (mode=ro): a quick reader never writes. isolation_level=None: the transaction
    # below is begun explicitly, as the app's connections do.
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return None  # a project the app has not opened in WAL mode yet: let it
        cursor = connection.cursor()
        cursor.execute("BEGIN")  # one snapshot for every query
        try:
            cursor.execute("SELECT version_num FROM alembic_version")
            revision = cursor.fetchone()
            if revision is None or revision[0] != head_revision():
                return None
            return read(cursor, str(path))
        finally:
            with contextlib.suppress(sqlite3.Error):
                cursor.execute("ROLLBACK")
    finally:
        connection.close()
