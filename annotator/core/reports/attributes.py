"""The values a work has for an attribute a report is faceted by, derived ones included.

Stored AO3 attributes are keyed as the importer writes them (``fandoms``, ``additional_tags``);
people type them as AO3 names them, singular or plural (``fandom``, ``freeform``). Two facets
are derived: ``words_band`` from the work's word count and ``published_year`` from ``published``.
A work with no value is counted under ``(none)``; a work with several values under each of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from annotator.core.reports.data import NO_VALUE

WORDS_BAND = "words_band"
PUBLISHED_YEAR = "published_year"
# Upper bounds (exclusive) of the bands, in words; the last band has none.
WORD_BANDS: tuple[tuple[int | None, str], ...] = (
    (1_000, "<1k"),
    (5_000, "1k-5k"),
    (10_000, "5k-10k"),
    (20_000, "10k-20k"),
    (50_000, "20k-50k"),
    (100_000, "50k-100k"),
    (None, "100k+"),
)
_ALIASES = {
    "rating": "rating",
    "ratings": "rating",
    "warning": "warnings",
    "archive warnings": "warnings",
    "archive_warnings": "warnings",
    "category": "categories",
    "fandom": "fandoms",
    "relationship": "relationships",
    "ship": "relationships",
    "character": "characters",
    "freeform": "additional_tags",
    "freeforms": "additional_tags",
    "freeform tag": "additional_tags",
    "freeform_tag": "additional_tags",
    "freeform tags": "additional_tags",
    "tag": "additional_tags",
    "tags": "additional_tags",
    "additional tags": "additional_tags",
    "words band": WORDS_BAND,
    "words-band": WORDS_BAND,
    "published year": PUBLISHED_YEAR,
    "published-year": PUBLISHED_YEAR,
    "year": PUBLISHED_YEAR,
}
_YEAR = re.compile(r"\b(\d{4})\b")


def attribute_name(typed: str) -> str:
    """The attribute key for a name as typed (``Fandom`` → ``fandoms``); unknown names pass as typed."""
    cleaned = " ".join(typed.split()).casefold()
    return _ALIASES.get(cleaned, cleaned)


def stated_words(attributes: Mapping[str, Sequence[str]]) -> int | None:
    """AO3's stated word count ("12,345"), or None when the work states none."""
    for value in _values(attributes, "words"):
        digits = value.replace(",", "").replace(".", "").replace(" ", "").replace("\u202f", "")
        if digits.isdigit():
            return int(digits)
    return None


def words_band(words: int) -> str:
    for bound, label in WORD_BANDS:
        if bound is None or words < bound:
            return label
    raise AssertionError("the last band has no bound")  # pragma: no cover


def _values(attributes: Mapping[str, Sequence[str]], key: str) -> list[str]:
    return [v for name, values in attributes.items() if name.casefold() == key for v in values]


def values_of(attributes: Mapping[str, Sequence[str]], key: str, words: int) -> list[str]:
    """The distinct values a work counts under for attribute ``key`` (``[NO_VALUE]`` if none)."""
    if key == WORDS_BAND:
        return [words_band(words)]
    if key == PUBLISHED_YEAR:
        years = [m.group(1) for v in _values(attributes, "published") if (m := _YEAR.search(v))]
        return years[:1] or [NO_VALUE]
    values = list(dict.fromkeys(v.strip() for v in _values(attributes, key) if v.strip()))
    return values or [NO_VALUE]


def value_order(key: str, counts: Mapping[str, int]) -> list[str]:
    """Columns in reading order: bands and years ascending, other values by works (most first)
    then name; ``(none)`` last."""
    values = [v for v in counts if v != NO_VALUE]
    if key == WORDS_BAND:
        rank = {label: i for i, (_, label) in enumerate(WORD_BANDS)}
        values.sort(key=lambda v: rank.get(v, len(rank)))
    elif key == PUBLISHED_YEAR:
        values.sort()
    else:
        values.sort(key=lambda v: (-counts[v], v.casefold(), v))
    return values + ([NO_VALUE] if NO_VALUE in counts else [])
