"""How much one imported file may hold: bytes on disk, and characters of the text it becomes.

A 100 MB story is a mistake, not a story. Bounding the file alone is not enough: a container
can list one chapter many times or unpack to far more than its size, so the text a file turns
into is bounded by the same figure, counted in characters.
"""

from __future__ import annotations

from annotator.io.errors import DocumentImportError

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_TEXT_CHARS = 100 * 1024 * 1024


def check_text_length(length: int, source_name: str, what: str = "its text") -> None:
    """Refuse a document whose text (or the markup it comes from) exceeds ``MAX_TEXT_CHARS``."""
    if length > MAX_TEXT_CHARS:
        raise DocumentImportError(
            source_name, f"{what} is too long ({length:,} characters; the limit is {MAX_TEXT_CHARS:,})"
        )
