"""Recognise AO3 structure that survived in flattened plain text (the demo seeds are such text).

A work copied from AO3 as one run-on line keeps its labels but loses every boundary::

    story … You let him. Chapter 2 Summary: Wow, … Notes: Jeez, … (See the end of the chapter
    for more notes .) He's everywhere … never fear me again." Notes: If I know you …

This module finds chapter markers, each chapter's preface (summary, notes), and author notes that
close a chapter or the work. It is deliberately conservative: a marker must start a sentence or a
line, chapter numbers must run in sequence, and a "Notes:" block must be the last thing in its
chapter. Where a flattened preface gives no end (no "(See the end of the chapter …)" pointer, no
line break), the part is taken to end with its first sentence: a guess, documented as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.types import (
    ZONE_CHAPTER,
    ZONE_CHAPTER_END_NOTES,
    ZONE_CHAPTER_HEADING,
    ZONE_CHAPTER_NOTES,
    ZONE_CHAPTER_SUMMARY,
    ZONE_END_NOTES,
    ZONE_STORY,
    ZoneSpec,
)
from annotator.io.layout import sorted_zones

# AO3 caps a summary at 1,250 characters and notes at 5,000; a little slack for flattening.
MAX_SUMMARY_CHARS = 1_300
MAX_NOTES_CHARS = 5_100
MAX_TRAILING_NOTES_CHARS = 2 * MAX_NOTES_CHARS  # chapter end notes followed by the work's

_MARKER = re.compile(r"Chapter[ \t]+(\d{1,4})(?!\d)")
_LINE_FORM = re.compile(r"[ \t]*(?::[ \t]*(?P<title>[^\n]{1,200}?))?[ \t]*(?=\n|\Z)")
_PREFACE_FORM = re.compile(r"(?:[ \t]*:[ \t]*(?P<title>[^\n]{1,200}?))?\s+(?=(?:Summary|Notes):)")
_BARE_FORM = re.compile(r"[ \t]*\n?[ \t]*(?=[A-Z\"“'‘])")
_NOTES_LABEL = re.compile(r"Notes:")
_POINTER = re.compile(r"\(\s*See the end of the chapter for (?:more )?notes\s*\.?\s*\)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)")
_CLOSERS = frozenset(".!?…\"”’')]*~_—-")


@dataclass(frozen=True)
class _Marker:
    start: int
    heading_end: int
    number: int
    label: str


def find_flat_ao3_zones(text: str) -> list[ZoneSpec]:
    """Zones for ``text``: story, chapters with their prefaces, and trailing notes."""
    markers = _chapter_markers(text)
    zones: list[ZoneSpec] = []
    if not markers:
        story_start = _skip_space(text, 0)
        notes_start = _notes_block(text, story_start, len(text), MAX_TRAILING_NOTES_CHARS)
        _add(zones, text, ZONE_STORY, story_start, notes_start or len(text))
        if notes_start is not None:
            _add(zones, text, ZONE_END_NOTES, notes_start, len(text))
        return sorted_zones(zones)
    if markers[0].number == 2:  # chapter 1 has no marker of its own in AO3 exports
        markers.insert(0, _Marker(_skip_space(text, 0), -1, 1, "Chapter 1"))
    for index, marker in enumerate(markers):
        is_last = index == len(markers) - 1
        limit = len(text) if is_last else markers[index + 1].start
        number, label = marker.number, marker.label
        position = marker.start
        if marker.heading_end >= 0:
            _add(zones, text, ZONE_CHAPTER_HEADING, marker.start, marker.heading_end, label, number)
            position = marker.heading_end
        position, has_pointer = _preface(zones, text, position, limit, number)
        story_start = _skip_space(text, position)
        if is_last:
            notes_start = _notes_block(text, story_start, limit, MAX_TRAILING_NOTES_CHARS)
            notes_kind = ZONE_END_NOTES
        else:
            # Only a chapter whose preface points to its end notes is taken to have them.
            notes_start = _notes_block(text, story_start, limit, MAX_NOTES_CHARS) if has_pointer else None
            notes_kind = ZONE_CHAPTER_END_NOTES
        story_end = notes_start if notes_start is not None else limit
        _add(zones, text, ZONE_STORY, story_start, story_end, chapter=number)
        if notes_start is not None:
            _add(zones, text, notes_kind, notes_start, limit, chapter=None if is_last else number)
        chapter_end = story_end if is_last else limit
        _add(zones, text, ZONE_CHAPTER, marker.start, chapter_end, label, number)
    return sorted_zones(zones)


def _chapter_markers(text: str) -> list[_Marker]:
    """Accepted "Chapter N" markers: at a sentence or line start, numbered 2, 3, … (or 1, 2, …)."""
    markers: list[_Marker] = []
    expected = 2
    for match in _MARKER.finditer(text):
        number = int(match.group(1))
        opens_text = number == 1 and not markers and not text[: match.start()].strip()
        if number != expected and not opens_text:
            continue
        if markers and match.start() < markers[-1].heading_end:
            continue  # inside the previous marker's heading line
        if not _sentence_initial(text, match.start()):
            continue
        form = _marker_form(text, match)
        if form is None:
            continue
        raw_title = form.groupdict().get("title") or ""
        title = " ".join(raw_title.split())
        heading_end = form.start("title") + len(raw_title.rstrip()) if title else match.end()
        label = f"Chapter {number}: {title}" if title else f"Chapter {number}"
        markers.append(_Marker(match.start(), heading_end, number, label))
        expected = number + 1
    return markers


def _marker_form(text: str, match: re.Match[str]) -> re.Match[str] | None:
    """How the marker is followed: its own line, a preface label, or a sentence (no title)."""
    at_line_start = match.start() == 0 or text[match.start() - 1] == "\n"
    line = _LINE_FORM.match(text, match.end())
    if line and at_line_start:
        return line
    preface = _PREFACE_FORM.match(text, match.end())
    if preface:
        return preface
    return _BARE_FORM.match(text, match.end())


def _preface(zones: list[ZoneSpec], text: str, position: int, limit: int, number: int) -> tuple[int, bool]:
    """Zone a chapter preface ("Summary: …", "Notes: …") at ``position``; where it ends."""
    start = _skip_space(text, position)
    if text.startswith("Summary:", start):
        notes = _NOTES_LABEL.search(text, start, min(limit, start + MAX_SUMMARY_CHARS))
        if notes is not None and text[notes.start() - 1].isspace():
            _add(zones, text, ZONE_CHAPTER_SUMMARY, start, notes.start(), chapter=number)
            start = notes.start()
        else:
            pointer = _POINTER.search(text, start, min(limit, start + MAX_SUMMARY_CHARS))
            end = pointer.start() if pointer else _part_end(text, start, limit, MAX_SUMMARY_CHARS)
            if end is None:
                return position, False
            _add(zones, text, ZONE_CHAPTER_SUMMARY, start, end, chapter=number)
            if pointer is None:
                return end, False
            _add(zones, text, ZONE_CHAPTER_NOTES, pointer.start(), pointer.end(), chapter=number)
            return pointer.end(), True
    if not text.startswith("Notes:", start):
        return start, False
    pointer = _POINTER.search(text, start, min(limit, start + MAX_NOTES_CHARS))
    end = pointer.end() if pointer else _part_end(text, start, limit, MAX_NOTES_CHARS)
    if end is None:
        return start, False
    _add(zones, text, ZONE_CHAPTER_NOTES, start, end, chapter=number)
    return end, pointer is not None


def _part_end(text: str, start: int, limit: int, longest: int) -> int | None:
    """End of a preface part that has no explicit end: its line if lines exist, else a sentence."""
    window_end = min(limit, start + longest)
    newline = text.find("\n", start, window_end)
    if newline >= 0:
        return newline
    sentence = _SENTENCE_END.search(text, text.index(":", start) + 1, window_end)
    return sentence.end() if sentence else None


def _notes_block(text: str, story_start: int, limit: int, longest: int) -> int | None:
    """Start of the "Notes:" block closing ``[story_start, limit)``, if there is one."""
    for match in _NOTES_LABEL.finditer(text, max(story_start + 1, limit - longest), limit):
        if _sentence_initial(text, match.start()):
            return match.start()
    return None


def _sentence_initial(text: str, position: int) -> bool:
    """True at the text start, a line start, or after sentence-closing punctuation and a space."""
    before = text[max(0, position - 200) : position]
    stripped = before.rstrip(" \t")
    if not stripped or stripped.endswith("\n"):
        return True
    return len(stripped) < len(before) and stripped[-1] in _CLOSERS


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _add(
    zones: list[ZoneSpec],
    text: str,
    kind: str,
    start: int,
    end: int,
    label: str = "",
    chapter: int | None = None,
) -> None:
    """Add a zone trimmed of surrounding whitespace (nothing if only whitespace is left)."""
    start = _skip_space(text, start)
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        zones.append(ZoneSpec(kind, start, end, label, chapter))
