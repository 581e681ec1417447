"""The work the app shows first, read from a project file with the standard library's ``sqlite3``.

The app's first screen (:mod:`annotator.ui.first_screen`) paints this before SQLAlchemy, numpy
and the services are imported (≈ 1 s of start-up). It is read the way
:mod:`annotator.store.quick_info` reads a project for ``annotator info``: under a shared
:class:`~annotator.store.lock.ProjectLock`, with the same busy timeout, in one read transaction,
and only from a file in WAL mode whose schema is the one this version writes (head). The lock
and the connection are let go before the app opens the project exclusively. Anything else (a
server URL, a missing file, another revision, a project in use or without works, a damaged
file) gives ``None`` and the app opens the project the usual way, which says what is wrong.

The work is the one the window opens: the first in the Documents panel, the lowest id
(:func:`annotator.services.documents.list_documents` orders by id; the window opens row 0).
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from annotator.store.lock import SHARED, ProjectInUse, ProjectLock
from annotator.store.schema_head import head_revision

# The start of the text read and shown: several screens at the smallest font (as the document
# pane's PREVIEW_CHARS), never a whole 20 MB work.
FIRST_CHARS = 20_000
PURPOSE = "the annotator app (first screen)"
# As store.project.BUSY_TIMEOUT_MS: how long a read waits for another process's checkpoint.
_BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class FirstWork:
    """The start of the first work of the project file at ``path``, as stored."""

    path: Path
    document_id: int
    title: str
    text: str  # the first FIRST_CHARS code points of the stored text (all of it if shorter)
    length: int  # the whole text's, in code points
    attributes: dict[str, list[str]]


def read_first_work(location: str) -> FirstWork | None:
    """The first work of the project file ``location``, or None to open the project the usual way."""
    if "://" in location:
        return None
    path = Path(location).expanduser().resolve()
    if not path.is_file():
        return None
    try:
        lock = ProjectLock.acquire(path, SHARED, PURPOSE)
    except (ProjectInUse, OSError):
        return None
    try:
        return _read(path)
    except (sqlite3.Error, ValueError):
        return None
    finally:
        if lock is not None:
            lock.release()


def _read(path: Path) -> FirstWork | None:
    # Read-only (mode=ro): the first screen never writes; isolation_level=None: the transaction
    # below is begun explicitly, as the app's connections do.
    uri = f"{path.as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return None  # a project the app has not opened in WAL mode yet: let it
        cursor = connection.cursor()
        cursor.execute("BEGIN")  # one snapshot for every query
        try:
            revision = cursor.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision[0] != head_revision():
                return None
            return _first_work(cursor, path)
        finally:
            with contextlib.suppress(sqlite3.Error):
                cursor.execute("ROLLBACK")
    finally:
        connection.close()


def _first_work(cursor: sqlite3.Cursor, path: Path) -> FirstWork | None:
    # substr counts characters (code points) of a TEXT value, as the store's offsets do.
    row = cursor.execute(
        "SELECT id, title, substr(text, 1, ?), length FROM documents ORDER BY id LIMIT 1", (FIRST_CHARS,)
    ).fetchone()
    if row is None:
        return None  # no works: the window shows none either
    document_id, title, text, length = row
    if not isinstance(title, str) or not isinstance(text, str):
        return None
    attributes: dict[str, list[str]] = {}
    for name, value in cursor.execute(
        "SELECT name, value FROM document_attributes WHERE document_id = ? ORDER BY position, id",
        (document_id,),
    ):
        attributes.setdefault(str(name), []).append(str(value))
    return FirstWork(path, int(document_id), title, text, int(length), attributes)
