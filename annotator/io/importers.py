"""Choose an importer for a file by its extension, checked against its content.

``read_document`` is the one entry point the GUI and CLI use. The extension decides unless the
content clearly says otherwise (an EPUB renamed ``.html``, a DOCX saved as ``.epub``); a file
without an extension is sniffed. Every failure is a ``DocumentImportError`` naming the file.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

from annotator.core.types import ImportedDocument
from annotator.io.ao3_epub import read_ao3_epub
from annotator.io.ao3_webpage import read_html
from annotator.io.docx import read_docx
from annotator.io.errors import DocumentImportError, printable_name
from annotator.io.limits import MAX_FILE_BYTES, check_text_length
from annotator.io.markdown import read_markdown
from annotator.io.text import read_text

Reader = Callable[[bytes, str], ImportedDocument]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".html": read_html,  # an AO3 download, a saved AO3 page (read or refused) or plain HTML
    ".htm": read_html,
    ".epub": read_ao3_epub,
    ".docx": read_docx,
    ".md": read_markdown,
    ".markdown": read_markdown,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)

_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)


def read_document(path: Path) -> ImportedDocument:
    """Import the file at ``path``; raises ``DocumentImportError`` with a one-line reason.

    The document's ``source_name`` is the file name with undecodable bytes written as escapes.
    """
    name = printable_name(path.name)
    data = read_file_bytes(path, name)
    if not data.strip():
        raise DocumentImportError(name, "file is empty")
    document = choose_reader(data, name)(data, name)
    check_text_length(len(document.text), name)
    return document


_NOT_REGULAR = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)
_CHUNK = 1024 * 1024


def read_file_bytes(path: Path, name: str) -> bytes:
    """The bytes of a regular file, at most ``MAX_FILE_BYTES`` of them, whatever its size claims.

    A device is never opened (opening one can have effects); the file is opened without blocking
    (a named pipe would wait for a writer) and checked again on the open descriptor, so a file
    swapped for a device or a pipe after the first look is still refused.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        _require_regular(os.stat(path).st_mode, name)
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise DocumentImportError(name, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        info = os.fstat(descriptor)
        _require_regular(info.st_mode, name)
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(name, f"{_size(info.st_size)}; the limit is {_size(MAX_FILE_BYTES)}")
        chunks: list[bytes] = []
        size = 0
        # Sizes can lie (files in /proc say 0, a file may grow): stop one byte past the limit.
        while size <= MAX_FILE_BYTES:
            chunk = os.read(descriptor, min(_CHUNK, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise _too_large(name, f"more than the {_size(MAX_FILE_BYTES)} allowed")
        return b"".join(chunks)
    except OSError as exc:
        raise DocumentImportError(name, f"cannot be read ({exc.strerror or exc})") from exc
    finally:
        os.close(descriptor)


def _require_regular(mode: int, name: str) -> None:
    for is_kind, kind in _NOT_REGULAR:
        if is_kind(mode):
            raise DocumentImportError(name, f"cannot be read ({kind}, not a file)")
    if not stat.S_ISREG(mode):
        raise DocumentImportError(name, "cannot be read (not a regular file)")


def _too_large(name: str, detail: str) -> DocumentImportError:
    return DocumentImportError(name, f"file is too large ({detail})")


def _size(count: int) -> str:
    return f"{count / 2**20:,.0f} MB" if count >= 2**20 else f"{count:,} bytes"


def choose_reader(data: bytes, source_name: str) -> Reader:
    """The reader for these bytes: by extension, unless the content is clearly another format."""
    suffix = Path(source_name).suffix.lower()
    sniffed = sniff_format(data)
    if suffix in READERS:
        declared = READERS[suffix]
        # Trust the content only for containers, where a mismatch is certain; a .txt that holds
        # HTML source stays text, because that may be exactly what the researcher wants.
        if sniffed in {".epub", ".docx"} and declared is not READERS[sniffed]:
            return READERS[sniffed]
        return declared
    if suffix and suffix not in {".text"}:
        raise DocumentImportError(
            source_name,
            f"unsupported file type {suffix!r} (supported: {', '.join(SUPPORTED_SUFFIXES)})",
        )
    return READERS[sniffed or ".txt"]


def sniff_format(data: bytes) -> str | None:
    """The suffix the content looks like (".epub", ".docx", ".html"), or None if unsure."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "META-INF/container.xml" in names or (
                    "mimetype" in names
                    and archive.getinfo("mimetype").file_size < 100
                    and archive.read("mimetype").strip() == b"application/epub+zip"
                ):
                    return ".epub"
                if "word/document.xml" in names:
                    return ".docx"
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            return None
        return None
    if _HTML_START.match(data[:4096]):
        return ".html"
    return None
