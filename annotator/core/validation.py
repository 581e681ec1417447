"""Rules a value must satisfy before it reaches the store; messages are meant for the user."""

from __future__ import annotations

import re

from annotator.core.errors import UserError

MAX_NAME_LENGTH = 500
MAX_CODER_NAME_LENGTH = 200
# Codebooks nest a few levels. A file naming a code 5,000 levels deep took 25 s to import and made
# every later listing of the codebook build paths quadratic in the depth.
MAX_CODE_DEPTH = 50
# The one colour rule: codebook CSV, merges and every edit check colours with ``is_colour``.
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


# PostgreSQL's text cannot hold NUL, and no driver can encode half of a surrogate pair (what
# ``surrogateescape`` makes of bytes that are not UTF-8). Importers refuse both before the store
# sees them, so SQLite (which would keep a NUL) and PostgreSQL give the same answer.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class InvalidInputError(UserError):
    """A value a user supplied breaks a rule; ``str(error)`` says which and why."""


class InvalidSpanError(InvalidInputError):
    pass


def validate_span(start: int, end: int, length: int) -> None:
    """A span must be non-empty and inside ``[0, length]``."""
    if start < 0:
        raise InvalidSpanError(f"span start {start} is negative")
    if end > length:
        raise InvalidSpanError(f"span end {end} is past the end of the document ({length} characters)")
    if start >= end:
        raise InvalidSpanError(f"span start {start} must be before its end {end}")


def clean_name(name: str, *, what: str = "code name", limit: int = MAX_NAME_LENGTH) -> str:
    """Whitespace-collapsed name; empty, over-long or multi-line names are refused."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInputError(f"{what} is empty")
    if len(cleaned) > limit:
        raise InvalidInputError(f"{what} is {len(cleaned)} characters long; the limit is {limit}")
    return cleaned


def is_colour(value: str) -> bool:
    """Whether ``value`` is a colour as the app stores it: exactly ``#rrggbb``, hex digits in either case.

    Nothing else passes, so a colour never carries markup or more text into a style sheet or a report.
    """
    return _COLOUR.fullmatch(value) is not None


def unstorable_character(text: str) -> str | None:
    """What in ``text`` no project can store, in words for an error message; None if it can all be stored.

    ``"holds a NUL character at character 3, which a project cannot store"``.
    """
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    where = f"at character {found.start() + 1}"
    if found.group() == "\x00":
        return f"holds a NUL character {where}, which a project cannot store"
    return (
        f"holds U+{ord(found.group()):04X} {where}, half of a surrogate pair (bytes that were not UTF-8?), "
        "which a project cannot store"
    )


def clean_colour(colour: str) -> str:
    if not is_colour(colour.strip()):
        raise InvalidInputError(f"colour {colour!r} is not of the form #rrggbb")
    return colour.strip().lower()
