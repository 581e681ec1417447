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

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from annotator.store.quick_info import read_head_project

# The start of the text read and shown: several screens at the smallest font (as the document
# pane's PREVIEW_CHARS), never a whole 20 MB work.
FIRST_CHARS = 20_000
PURPOSE = "the annotator app (first screen)"


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
    return read_head_project(location, PURPOSE, _first_work)


def _first_work(cursor: sqlite3.Cursor, path: str) -> FirstWork | None:
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
    return FirstWork(Path(path), int(document_id), title, text, int(length), attributes)
