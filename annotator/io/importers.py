"""Choose an importer for a file by its extension, checked against its content.

``read_document`` is the one entry point the GUI and CLI use. The extension decides unless the
content clearly says otherwise (an EPUB renamed ``.html``, a DOCX saved as ``.epub``); a file
without an extension is sniffed. Every failure is a ``DocumentImportError`` naming the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from annotator.core.types import ImportedDocument
from annotator.io.ao3_epub import read_ao3_epub
from annotator.io.ao3_html import read_ao3_html
from annotator.io.docx import read_docx
from annotator.io.errors import DocumentImportError
from annotator.io.markdown import read_markdown
from annotator.io.text import read_text

Reader = Callable[[bytes, str], ImportedDocument]

MAX_FILE_BYTES = 100 * 1024 * 1024  # a 100 MB story is a mistake, not a story

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".html": read_ao3_html,
    ".htm": read_ao3_html,
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
    """Import the file at ``path``; raises ``DocumentImportError`` with a one-line reason."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentImportError(
                name, f"file is too large ({size / 2**20:,.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentImportError(name, f"cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise DocumentImportError(name, "file is empty")
    return choose_reader(data, name)(data, name)


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
