"""Rules a value must satisfy before it reaches the store; messages are meant for the user."""

from __future__ import annotations

import re

from annotator.core.errors import UserError

MAX_NAME_LENGTH = 500
MAX_CODER_NAME_LENGTH = 200
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


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


def clean_colour(colour: str) -> str:
    if not _COLOUR.match(colour.strip()):
        raise InvalidInputError(f"colour {colour!r} is not of the form #rrggbb")
    return colour.strip().lower()
