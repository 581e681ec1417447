"""The one error importers raise, and the guard that keeps any other exception from leaking out.

A researcher sees ``str(error)``: one line naming the file and what is wrong with it, e.g.
``story.epub: not a valid EPUB (zip is truncated)``. Tracebacks stay in the exception chain.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TypeVar

from annotator.core.errors import UserError
from annotator.core.types import ImportedDocument

_MAX_REASON_CHARS = 300  # a reason quotes file content at times; keep the message one short line
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable_name(name: str) -> str:
    """A file name fit to store and print: bytes that were not UTF-8 become ``\\xff`` escapes.

    On POSIX, Python keeps such bytes of a file name as lone surrogates (U+DC80–U+DCFF), which no
    database, terminal or UTF-8 file accepts; written as escapes the name stays recognisable.
    """
    return _SURROGATE.sub(_escape_surrogate, name)


def _escape_surrogate(match: re.Match[str]) -> str:
    point = ord(match.group())
    return f"\\x{point - 0xDC00:02x}" if 0xDC80 <= point <= 0xDCFF else f"\\u{point:04x}"


class DocumentImportError(UserError):
    """A file cannot be imported; nothing from it was stored. ``str()`` is fit for the user."""

    def __init__(self, source_name: str, reason: str) -> None:
        reason = " ".join(reason.split())[:_MAX_REASON_CHARS]
        name = " ".join(printable_name(source_name).split())[:200] or "file"
        super().__init__(f"{name}: {reason}")
        self.source_name = source_name
        self.reason = reason


Reader = TypeVar("Reader", bound=Callable[[bytes, str], ImportedDocument])


def import_guard(what: str) -> Callable[[Reader], Reader]:
    """Wrap a ``read_xxx(data, source_name)`` so any unexpected failure becomes an import error.

    Parsers deep in third-party libraries raise whatever they like (``KeyError`` from python-docx,
    ``RecursionError`` on absurd nesting, ``MemoryError``); the user should still get a sentence,
    and the original exception stays chained for the log.
    """

    def decorate(reader: Reader) -> Reader:
        @functools.wraps(reader)
        def guarded(data: bytes, source_name: str) -> ImportedDocument:
            try:
                return reader(data, source_name)
            except DocumentImportError:
                raise
            except Exception as exc:  # converting is the point of this guard
                raise DocumentImportError(
                    source_name, f"could not be read as {what} ({type(exc).__name__})"
                ) from exc

        return guarded  # type: ignore[return-value]

    return decorate
