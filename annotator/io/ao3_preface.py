"""Metadata from an AO3 download's preface: the ``dl.tags`` list, the byline and the work link.

Every value is a list of cleaned strings under a fixed key (``rating``, ``fandoms``, ``words`` …),
so an HTML and an EPUB download of the same work yield identical attributes.
"""

from __future__ import annotations

import re

from bs4 import Tag

from annotator.io.html_text import inline_text, is_text
from annotator.io.values import MAX_VALUES_PER_ATTRIBUTE, clean_value, clean_values, snake_case

# dt label (lower case, without the colon) → attribute key; AO3 pluralises labels with counts.
_TAG_KEYS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tag": "additional_tags",
    "additional tags": "additional_tags",
    "language": "language",
    "collection": "collections",
    "collections": "collections",
}
# Keys this module fills from elsewhere; a dt with the same name must not overwrite them.
RESERVED_KEYS = frozenset({"title", "authors", "url", "ao3_work_id", "series_part"})
_STAT = re.compile(r"([A-Za-z][A-Za-z ]{0,40}?)\s*:\s*(\S+)")
_SERIES_PART = re.compile(r"Part\s+(\d+)\s+of\s*$", re.IGNORECASE)
_SERIES_TEXT = re.compile(r"Part\s+(\d+)\s+of\s+(.+?)(?=,\s*Part\s+\d+\s+of\s|$)", re.IGNORECASE)
_SERIES_URL = re.compile(r"(?:^|/)series/\d")
_WORK_URL = re.compile(r"^https?://[^/\s?#]+/works/(\d{1,12})(?:[/?#]|$)")


def parse_tags(dl: Tag) -> dict[str, list[str]]:
    """Attributes from a ``<dl class="tags">`` of ``<dt>Label:</dt><dd>values</dd>`` pairs."""
    attributes: dict[str, list[str]] = {}
    for dt in dl.find_all("dt"):
        if dt.find_parent("dl") is not dl:
            continue  # a nested list's pair (the web page's ``dd.stats > dl.stats``): read with its dd
        dd = dt.find_next_sibling(["dd", "dt"])
        if not isinstance(dd, Tag) or dd.name != "dd":
            continue
        label = inline_text(dt).rstrip(":").strip().casefold()
        if label == "stats":
            _merge(attributes, _parse_stats(inline_text(dd)))
        elif label == "series":
            _merge(attributes, _parse_series(dd))
        elif label in _TAG_KEYS:
            values = _link_texts(dd) or (
                [inline_text(dd)] if label == "language" else inline_text(dd).split(",")
            )
            _merge(attributes, {_TAG_KEYS[label]: clean_values(values)})
        else:
            key = snake_case(label)
            if key in RESERVED_KEYS or key in _TAG_KEYS.values():
                key = f"other_{key}"
            if key:
                _merge(attributes, {key: clean_values(_link_texts(dd) or [inline_text(dd)])})
    return attributes


def parse_byline(byline: Tag) -> list[str]:
    """Author names from ``by <a rel="author">a</a>, <a>b</a>`` (or plain "by Anonymous")."""
    authors = [inline_text(a) for a in byline.find_all("a", rel="author")]
    if not authors:
        authors = _link_texts(byline)
    if not authors:
        text = re.sub(r"^\s*by\s+", "", inline_text(byline), flags=re.IGNORECASE)
        authors = re.split(r",\s*|\s+and\s+", text)
    return clean_values(authors)


def work_link(container: Tag) -> tuple[str, str] | None:
    """``(url, work id)`` of the first link to an AO3 work in ``container``."""
    for link in container.find_all("a", href=True):
        href = str(link["href"]).strip()
        match = _WORK_URL.match(href)
        if match:
            return clean_value(href), match.group(1)
    return None


def _parse_stats(text: str) -> dict[str, list[str]]:
    """``Published: 2016-02-14 Words: 2,899 Chapters: 1/1`` → one key per statistic."""
    stats: dict[str, list[str]] = {}
    for label, value in _STAT.findall(text):
        key = snake_case(label)
        if key == "words":
            value = re.sub(r"\D", "", value)
        if key and key not in RESERVED_KEYS:
            stats.setdefault(key, clean_values([value]))
    return stats


def _parse_series(dd: Tag) -> dict[str, list[str]]:
    """``Part 2 of <a>Some Series</a>, Part 1 of <a>Other</a>`` → titles and parts, aligned."""
    titles: list[str] = []
    parts: list[str] = []
    preceding = ""
    # The web page puts "← Previous Work" / "Next Work →" links beside the series link.
    series_links = {id(a) for a in dd.find_all("a", href=_SERIES_URL)}
    for node in dd.descendants:
        if isinstance(node, Tag) and node.name == "a" and (not series_links or id(node) in series_links):
            match = _SERIES_PART.search(" ".join(preceding.split()))
            titles.append(inline_text(node))
            parts.append(match.group(1) if match else "")
            preceding = ""
        elif is_text(node) and node.parent is not None and node.parent.name != "a":
            preceding += str(node)
    if not titles:  # no links (stripped by a converter): fall back to the text pattern
        for part, title in _SERIES_TEXT.findall(inline_text(dd)):
            titles.append(title)
            parts.append(part)
    series = [(clean_value(t), p) for t, p in zip(titles, parts, strict=True) if clean_value(t)]
    result = {"series": [t for t, _ in series]}
    if any(p for _, p in series):
        result["series_part"] = [p for _, p in series]
    return {key: value[:MAX_VALUES_PER_ATTRIBUTE] for key, value in result.items() if value}


def _link_texts(element: Tag) -> list[str]:
    return [inline_text(a) for a in element.find_all("a")]


def _merge(into: dict[str, list[str]], new: dict[str, list[str]]) -> None:
    for key, values in new.items():
        if values:
            merged = into.setdefault(key, [])
            merged.extend(v for v in values if v not in merged)
            del merged[MAX_VALUES_PER_ATTRIBUTE:]
