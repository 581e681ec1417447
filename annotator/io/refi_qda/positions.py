"""Where a REFI-QDA selection falls in annotator's text: position conventions, exactly converted.

The standard counts Unicode code points of the plain text from 0, end exclusive. Real exports
differ: NVivo for Windows counts UTF-16 code units of the text after its byte-order mark, with
CRLF as two; ATLAS.ti writes CRLF but counts it as one. Annotator stores the text NFC-normalised
with ``\\n`` line ends and counts code points of that. :class:`PositionMap` converts a file's
positions to stored offsets *exactly*: a position that falls inside a line end, a surrogate
pair or a character NFC composes has no stored offset, and the caller reports it instead of
moving it. :func:`detect_convention` picks, per file, the reading under which the selections
land on the text (all inside it, starting and ending on word boundaries), the ``origin``
attribute breaking ties.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.text import normalise_text

CODE_POINTS = "code points"
CODE_POINTS_CRLF_AS_ONE = "code points, CRLF as one"
UTF16 = "UTF-16 units"
UTF16_CRLF_AS_ONE = "UTF-16 units, CRLF as one"
CONVENTIONS = (CODE_POINTS, CODE_POINTS_CRLF_AS_ONE, UTF16, UTF16_CRLF_AS_ONE)
_LINE_BREAKS = frozenset("\r\n\u2028\u2029\x85")
_MISSING = -1
_DROPPED = frozenset(chr(c) for c in (*range(9), 11, 12, *range(14, 32), 127))
_SPECIAL = re.compile(
    "\r\n|[" + re.escape("".join(sorted(_LINE_BREAKS - {"\n"} | _DROPPED | {"\ufeff"}))) + "]"
)
_UNITS_SPECIAL = {
    (False, True): re.compile("\r\n"),
    (True, False): re.compile("[\U00010000-\U0010ffff]"),
    (True, True): re.compile("\r\n|[\U00010000-\U0010ffff]"),
}


def _origin_hint(origin: str) -> str:
    lowered = origin.casefold()
    if "nvivo" in lowered or "maxqda" in lowered:
        return UTF16
    if "atlas" in lowered:
        return CODE_POINTS_CRLF_AS_ONE
    return CODE_POINTS


class PositionMap:
    """Stored offsets of the positions in ``raw`` (the source text as the file holds it)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw.removeprefix("\ufeff")
        self.text = normalise_text(self.raw)
        self._stored_at_raw = _stored_offsets(self.raw, self.text)
        self._units: dict[str, list[int]] = {}

    def _table(self, convention: str) -> list[int]:
        """For each position in ``convention``'s units, the stored offset (or ``_MISSING``)."""
        table = self._units.get(convention)
        if table is None:
            table = self._units[convention] = _unit_table(self.raw, self._stored_at_raw, convention)
        return table

    def stored(self, position: int, convention: str) -> int | None:
        """The stored offset of ``position``, or None when it is not a boundary of the stored text."""
        table = self._table(convention)
        if not 0 <= position < len(table):
            return None
        found = table[position]
        return None if found == _MISSING else found

    def length(self, convention: str) -> int:
        return len(self._table(convention)) - 1


def _stored_offsets(raw: str, stored: str) -> list[int]:
    """For each raw code-point boundary, the stored offset it becomes (``_MISSING`` if none).

    Line ends become one ``\\n`` (a boundary inside CRLF has none), control characters vanish,
    then NFC runs over chunks that start at a character NFC cannot merge with what precedes it;
    inside a chunk NFC changed, only its two ends have offsets.
    """
    pieces: list[str] = []
    at: list[int] = []  # raw boundary -> boundary in the middle text (line ends and controls done)
    done = kept = 0  # raw characters walked, middle characters made
    # Runs of ordinary characters map one to one; only line ends, controls and marks need a look.
    for match in _SPECIAL.finditer(raw):
        start = match.start()
        at.extend(range(kept, kept + start - done))
        pieces.append(raw[done:start])
        kept += start - done
        found = match.group()
        at.append(kept)
        if found == "\r\n":
            at.append(_MISSING)
            pieces.append("\n")
            kept += 1
        elif found in _LINE_BREAKS:
            pieces.append("\n")
            kept += 1
        elif found == "\ufeff" and kept:  # normalise_text drops only a leading mark
            pieces.append(found)
            kept += 1
        done = match.end()
    at.extend(range(kept, kept + len(raw) - done))
    pieces.append(raw[done:])
    kept += len(raw) - done
    at.append(kept)
    middle_text = "".join(pieces)
    if unicodedata.is_normalized("NFC", middle_text):  # NFC changes nothing: offsets stay
        return at if kept == len(stored) else [_MISSING] * len(at)
    middle_to_stored = _nfc_offsets(middle_text)
    result = [_MISSING if m == _MISSING else middle_to_stored[m] for m in at]
    if result[-1] != len(stored):  # normalise_text and this walk disagree: place nothing rather than guess
        return [_MISSING] * len(result)
    return result


def _nfc_chunks(text: str) -> list[str]:
    chunks: list[str] = []
    for ch in text:
        if chunks and unicodedata.combining(ch):
            chunks[-1] += ch
        else:
            chunks.append(ch)
    merged: list[str] = []
    for chunk in chunks:
        if merged and not (chunk.isascii() and merged[-1].isascii()):
            together = merged[-1] + chunk
            if _nfc(together) != _nfc(merged[-1]) + _nfc(chunk):  # Hangul jamo, and the like
                merged[-1] = together
                continue
        merged.append(chunk)
    return merged


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _nfc_offsets(text: str) -> list[int]:
    offsets: list[int] = []
    stored = 0
    for chunk in _nfc_chunks(text):
        composed = unicodedata.normalize("NFC", chunk)
        if composed == chunk:
            offsets.extend(range(stored, stored + len(chunk)))
        else:
            offsets.append(stored)
            offsets.extend([_MISSING] * (len(chunk) - 1))
        stored += len(composed)
    offsets.append(stored)
    return offsets


def _unit_table(raw: str, stored_at_raw: Sequence[int], convention: str) -> list[int]:
    utf16 = convention in (UTF16, UTF16_CRLF_AS_ONE)
    crlf_as_one = convention in (CODE_POINTS_CRLF_AS_ONE, UTF16_CRLF_AS_ONE)
    pattern = _UNITS_SPECIAL.get((utf16, crlf_as_one))
    if pattern is None:  # code points: one position per raw character
        return list(stored_at_raw)
    table: list[int] = []
    done = 0
    for match in pattern.finditer(raw):
        start = match.start()
        table.extend(stored_at_raw[done:start])
        table.append(stored_at_raw[start])
        if match.group() != "\r\n":
            table.append(_MISSING)  # between the two halves of a surrogate pair
        done = match.end()  # CRLF as one: no position between \r and \n
    table.extend(stored_at_raw[done:])
    return table


@dataclass(frozen=True)
class ConventionScore:
    convention: str
    placed: int  # selections whose both ends have stored offsets
    on_word_edges: int  # how many of their starts and ends fall on word boundaries


def _on_edge(text: str, offset: int) -> bool:
    if offset <= 0 or offset >= len(text):
        return True
    return not (text[offset - 1].isalnum() and text[offset].isalnum())


_Maps = Iterable[tuple[PositionMap, Sequence[tuple[int, int]]]]


def score(maps: _Maps, convention: str) -> ConventionScore:
    placed = edges = 0
    for position_map, spans in maps:
        for start, end in spans:
            a, b = position_map.stored(start, convention), position_map.stored(end, convention)
            if a is None or b is None or a >= b:
                continue
            placed += 1
            edges += _on_edge(position_map.text, a) + _on_edge(position_map.text, b)
    return ConventionScore(convention, placed, edges)


def detect_convention(
    maps: Sequence[tuple[PositionMap, Sequence[tuple[int, int]]]], origin: str = ""
) -> tuple[str, list[ConventionScore]]:
    """The convention under which most selections land on word edges of the text (then: most land
    at all); ties go to ``origin``'s, then the standard's. Returns it with every convention's
    score (for the report)."""
    hint = _origin_hint(origin)
    scores = [score(maps, convention) for convention in CONVENTIONS]
    preference = {CODE_POINTS: 1, hint: 2}

    def rank(s: ConventionScore) -> tuple[int, int, int]:
        return (s.on_word_edges, s.placed, preference.get(s.convention, 0))

    best = max(scores, key=rank)
    return best.convention, scores


def export_offsets(text: str, *, utf16: bool, crlf: bool) -> list[int]:
    """For each stored offset of ``text``, the position written for it under an export convention."""
    table = [0]
    units = 0
    for ch in text:
        units += (2 if crlf and ch == "\n" else 1) + (1 if utf16 and ord(ch) > 0xFFFF else 0)
        table.append(units)
    return table
