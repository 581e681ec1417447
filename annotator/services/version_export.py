"""An old version of an updated work, written out as plain text on request.

A version is read-only in the app (``ui.updates.version_viewer``); this is its one way out, for
the CLI (``annotator versions … --export``) and the versions dialog's Export… button alike: the
text exactly as stored (NFC, ``\\n`` line ends), as UTF-8 without a byte-order mark, written
atomically so the target is either its old content or the whole version.
"""

from __future__ import annotations

import os
from typing import TextIO

from annotator.io.atomic import atomic_write_text
from annotator.services.version_history import version_text
from annotator.store.project import ProjectStore

ENCODING = "utf-8"  # plain text for any editor or script: no byte-order mark


def write_version_text(store: ProjectStore, document_id: int, number: int, out: TextIO) -> int:
    """Write version ``number`` of document ``document_id`` to ``out``; return its characters.

    A ``NotFoundError`` names a document or version that does not exist.
    """
    text = version_text(store, document_id, number)
    out.write(text)
    return len(text)


def export_version(store: ProjectStore, document_id: int, number: int, path: str | os.PathLike[str]) -> int:
    """Write version ``number``'s text to ``path`` atomically (UTF-8); return its characters."""
    text = version_text(store, document_id, number)  # read first: a missing version leaves no file

    def write(out: TextIO) -> int:
        out.write(text)
        return len(text)

    return atomic_write_text(path, write, encoding=ENCODING)
