"""Clean-up for titles and attribute values taken from untrusted files.

Hostile or broken input can carry a 10 MB "title"; everything that becomes a name or an
attribute passes through here, so it is one line, normalised, and of bounded size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath

from annotator.core.text import normalise_text

MAX_TITLE_CHARS = 1_000
MAX_VALUE_CHARS = 2_000
MAX_VALUES_PER_ATTRIBUTE = 1_000  # AO3 works with hundreds of tags exist; tens of thousands do not
MAX_KEY_CHARS = 64

_NON_KEY = re.compile(r"[^0-9a-z]+")
# "/" or "\\" between folders, but not the backslash of an escape ``printable_name`` wrote for a
# byte of a file name that was not UTF-8 ("caf\\xe9.txt" is one name, not folder "caf").
_FOLDER_SEPARATOR = re.compile(r"/|\\(?!x[0-9a-f]{2}|u[0-9a-f]{4})")


def clean_value(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """One line: normalised, whitespace collapsed, stripped and cut to ``limit`` characters."""
    # Cut before the expensive steps too, so a 10 MB value costs no more than a long one.
    text = normalise_text(text[: limit * 4])
    return " ".join(text.split())[:limit].rstrip()


def clean_title(text: str) -> str:
    return clean_value(text, MAX_TITLE_CHARS)


def clean_values(values: Iterable[str]) -> list[str]:
    """Cleaned, non-empty values in their original order, at most ``MAX_VALUES_PER_ATTRIBUTE``."""
    cleaned: list[str] = []
    for value in values:
        value = clean_value(value)
        if value:
            cleaned.append(value)
            if len(cleaned) >= MAX_VALUES_PER_ATTRIBUTE:
                break
    return cleaned


def snake_case(label: str) -> str:
    """``"Additional Tags:"`` → ``"additional_tags"``; empty when nothing word-like is left."""
    return _NON_KEY.sub("_", clean_value(label, 200).casefold()).strip("_")[:MAX_KEY_CHARS]


def stem_title(source_name: str) -> str:
    """The fallback title: the file name without folder and extension."""
    return clean_title(PurePath(_FOLDER_SEPARATOR.split(source_name)[-1]).stem) or "Untitled"
