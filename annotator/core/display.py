"""Display blocks: where the viewer starts a new line that the stored text does not have.

Many works arrive as one run-on line; a single Qt text block of that size is unusably slow to lay
out and paint (a 200k-character block took seconds). The viewer therefore shows the text in
display blocks of bounded length, and the store never sees them:

- A display break is given as the stored offset where the next display block starts.
- If the character before it is a space (U+0020), the space itself is shown as the line end
  (same length); otherwise a line end is inserted before it (CJK punctuation, a hard cut).
- ``DisplayMap`` turns stored offsets (code points) into offsets of the shown document (UTF-16
  units plus the inserted line ends) and back; it is the only place that knows about either.

Where to break, best first: after a sentence end (``. ! ? …`` before a space; ``。！？`` anywhere;
closing quotes or brackets after them), after other punctuation (``，、；：,;:``), at whitespace,
and else a hard cut at a grapheme-cluster boundary (never inside an emoji ZWJ sequence, a flag, a
base and its combining marks, or CR LF). Every display block is at most ``1.5 × target``
characters long (900 by default: about eleven lines of the column, laid out in well under a
millisecond), unless one grapheme cluster is longer than that. Finding the breaks is linear in the
text: each block looks at a window of at most that length.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

import regex

from annotator.core.offsets import OffsetMap
from annotator.core.types import ZoneSpec

DEFAULT_TARGET = 600

_CLOSERS = "\"'\u201d\u2019\u00bb)\\]}\u300d\u300f\u3011\u3015\u3009\u300b\uff09\uff3d\uff5d\u3017\u3019"
# Best: a sentence end. Latin marks only before a space ("3.14", "e.g.x" are not ends), which the
# match takes in so the break can replace it; CJK marks need none.
_SENTENCE_END = rf"[.!?\u2026][{_CLOSERS}]* |[\u3002\uff01\uff1f\uff0e\uff61][{_CLOSERS}]* ?"
# Next best: a clause end ("1,000" is none).
_CLAUSE_END = rf"[,;:][{_CLOSERS}]* |[\uff0c\u3001\uff1b\uff1a\uff64][{_CLOSERS}]* ?"
# Then any breakable whitespace (not a no-break space).
_SPACE = r"[ \t\u1680\u2000-\u200a\u205f\u3000]+"
# Each tier with the characters its matches start with: these are found with ``str.find``, which
# skips a character absent from the text at once and is far faster than a regex scan.
_TIERS = [
    (".!?\u2026\u3002\uff01\uff1f\uff0e\uff61", _SENTENCE_END),
    (",;:\uff0c\u3001\uff1b\uff1a\uff64", _CLAUSE_END),
    (" \t\u1680\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))), _SPACE),
]
# Two characters between which UAX #29 always breaks: a base (Other, LV, LVT) after a base, or
# after a mark unless an Indic conjunct could join them (GB9c). Found backwards: the fast hard cut.
_BASE = r"[\p{GCB=Other}\p{GCB=LV}\p{GCB=LVT}]"
_SURE_BOUNDARY = regex.compile(
    rf"(?r)(?:{_BASE}|[\p{{GCB=Extend}}\p{{GCB=SpacingMark}}](?=\P{{InCB=Consonant}})){_BASE}"
)
# What never starts a grapheme cluster (UAX #29 GB9, GB9a): no block may start with one.
_JOINS_PREVIOUS = regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]")
# Slow but general: the clusters from a known boundary; group 1 is the last one seen.
_CLUSTERS = regex.compile(r"(?:\X)*(\X)", regex.V0)
_CLUSTER = regex.compile(r"\X", regex.V0)


def zone_break_positions(text: str, zones: Sequence[ZoneSpec]) -> list[int]:
    """Spaces that sit on a zone boundary, so each zone starts (and ends) its own block."""
    n = len(text)
    found: set[int] = set()
    for zone in zones:
        for boundary, prefer_before in ((zone.start, True), (zone.end, False)):
            options = (boundary - 1, boundary) if prefer_before else (boundary, boundary - 1)
            for pos in options:
                if 0 < pos < n - 1 and text[pos] == " ":
                    # A break next to a real line end would only make an empty block.
                    if text[pos - 1] != "\n" and text[pos + 1] != "\n":
                        found.add(pos)
                    break
    return sorted(found)


def display_breaks(text: str, zones: Sequence[ZoneSpec] = (), target: int = DEFAULT_TARGET) -> list[int]:
    """Return the sorted offsets at which the viewer starts a display block the text lacks.

    Blocks stay near ``target`` characters and never exceed ``1.5 × target`` (see the module
    docstring for where they are cut). Spaces on zone boundaries always break.
    """
    return display_breaks_between(text, zones, 0, len(text), target)[0]


def display_breaks_between(
    text: str,
    zones: Sequence[ZoneSpec],
    start: int,
    stop: int,
    target: int = DEFAULT_TARGET,
    zone_breaks: Sequence[int] | None = None,
) -> tuple[list[int], int]:
    """The ``display_breaks`` of the display blocks that start in ``[start, stop)``.

    Returns ``(breaks, next_start)``: ``next_start`` (≥ ``stop``, at most ``len(text)``) is where
    the following display block starts: after a line end, or one of the breaks. ``start`` must be
    0 or a ``next_start`` returned before; chaining calls from 0 until ``len(text)`` yields exactly
    ``display_breaks(text, zones, target)``, a chunk at a time, so a viewer can show the start of
    a long text without scanning all of it. A caller going through a text in chunks passes
    ``zone_breaks`` (``zone_break_positions(text, zones)``, found once) rather than ``zones``.
    """
    if target < 2:
        raise ValueError(f"target must be at least 2, got {target}")
    n = len(text)
    if not 0 <= start <= n:
        raise ValueError(f"display block cannot start at {start}")
    if zone_breaks is None:
        zone_breaks = zone_break_positions(text, zones)
    breaks: list[int] = []
    pos = start  # start of the current display block
    zi = bisect_left(zone_breaks, start)
    line_end = -1
    limit = min(n, stop)
    cutter = _Cutter(text, target, min(n, limit + 2 * target))
    while pos < limit:
        if line_end < pos:
            line_end = text.find("\n", pos)
            if line_end < 0:
                line_end = n
        while zi < len(zone_breaks) and zone_breaks[zi] < pos:
            zi += 1
        hard_end = line_end  # the block cannot run past this (a line end or a zone's space)
        is_zone_break = zi < len(zone_breaks) and zone_breaks[zi] < line_end
        if is_zone_break:
            hard_end = zone_breaks[zi]
        cut = hard_end if hard_end - pos <= target else cutter.cut(pos, hard_end)
        if cut >= hard_end:  # a short block, or one grapheme cluster fills the rest
            if is_zone_break:
                breaks.append(hard_end + 1)
            pos = hard_end + 1
            continue
        breaks.append(cut)
        pos = cut
    return breaks, min(pos, n)


class _Forward:
    """The first match of a tier at or after a point, remembered while the point moves on.

    The point only grows (blocks are cut in order), so each character is searched at most once
    per trigger character: a text with no sentence end at all is not scanned for one per block.
    """

    __slots__ = ("_found", "_from", "_horizon", "_next", "_pattern", "_text")

    def __init__(self, triggers: str, pattern: str, text: str, horizon: int) -> None:
        self._text = text
        self._horizon = horizon
        self._next = dict.fromkeys(triggers, -2)  # next position of each; -2: not searched, -1: none
        self._pattern = re.compile(pattern)
        self._from = sys.maxsize
        self._found: re.Match[str] | None = None

    def first(self, at: int) -> re.Match[str] | None:
        """The first match starting at or after ``at`` (and before the horizon), if any."""
        found = self._found
        if self._from <= at and (found is None or found.start() >= at):
            return found
        self._from = at
        while True:
            trigger = self._next_trigger(at)
            found = None if trigger < 0 else self._pattern.match(self._text, trigger, self._horizon)
            if trigger < 0 or found is not None:
                break
            at = trigger + 1  # "3.14": a mark but no sentence end
        self._found = found
        return found

    def _next_trigger(self, at: int) -> int:
        best = -1
        for ch, where in self._next.items():
            if where == -1:
                continue
            if where < at:
                where = self._text.find(ch, at, self._horizon)
                self._next[ch] = where
                if where < 0:
                    continue
            if best < 0 or where < best:
                best = where
        return best


class _Cutter:
    """Chooses where display blocks end, for blocks starting before ``horizon - 2 × target``."""

    def __init__(self, text: str, target: int, horizon: int) -> None:
        self._text = text
        self._target = target
        self._tiers = [
            (_Forward(triggers, pattern, text, horizon), regex.compile(pattern, regex.REVERSE | regex.V0))
            for triggers, pattern in _TIERS
        ]

    def cut(self, pos: int, hard_end: int) -> int:
        """Where the display block starting at ``pos`` (running on past ``pos + target``) ends.

        The result is the next block's start, in ``(pos, hard_end)``, or ``hard_end`` or beyond
        when a single grapheme cluster runs from ``pos`` past it.
        """
        target = self._target
        shortest = pos + max(1, target // 4)  # no tiny blocks: keeps the work linear
        ideal = pos + target
        longest = min(pos + target * 3 // 2, hard_end - 1)  # a block start; the block is not empty
        for forward, backward in self._tiers:
            first = forward.first(shortest - 1)
            if first is None or first.end() > longest:
                continue
            if first.end() > ideal:  # none up to the ideal length: the first one after it
                cut = first.end()
            else:
                last = backward.search(self._text, first.start(), ideal)
                cut = first.end() if last is None else max(first.end(), last.end())
            # A combining mark on the space or punctuation keeps them one character.
            if _JOINS_PREVIOUS.match(self._text, cut) is None:
                return cut
        return hard_cut(self._text, pos, min(ideal, longest))


def hard_cut(text: str, pos: int, at: int) -> int:
    """The grapheme-cluster boundary in ``(pos, at]`` nearest ``at`` (``pos`` is one).

    If one cluster covers all of ``(pos, at]``, the end of that cluster (which may lie beyond).
    """
    sure = _SURE_BOUNDARY.search(text, pos, at + 1)
    known = pos if sure is None else sure.start() + 1  # a boundary for certain
    if known == at:
        return at
    # Marks, jamo, emoji or flags after it: walk the clusters from there.
    found = _CLUSTERS.match(text, known, at + 1)
    last = found.start(1) if found is not None else known
    if last > pos:
        return last
    cluster = _CLUSTER.match(text, pos)
    return cluster.end() if cluster is not None else at


def display_text(text: str, breaks: Sequence[int]) -> str:
    """Return ``text`` as shown: a space before a break becomes "\\n", else "\\n" is inserted."""
    parts: list[str] = []
    prev = 0
    for pos in breaks:
        if not (prev < pos < len(text)) or text[pos - 1] == "\n":
            raise ValueError(f"display break at {pos} is not inside a line (or breaks are unsorted)")
        parts.append(text[prev : pos - 1] if text[pos - 1] == " " else text[prev:pos])
        prev = pos
    parts.append(text[prev:])
    return "\n".join(parts)


def inserted(text: str, breaks: Iterable[int]) -> list[int]:
    """The breaks of ``breaks`` that insert a line end (those not shown on a space)."""
    return [b for b in breaks if text[b - 1] != " "]


class DisplayMap(OffsetMap):
    """Maps stored code-point offsets to offsets of the shown document (UTF-16) and back.

    The shown document has a line end inserted before each offset in ``inserts`` (see
    ``display_text``); a position at such a break maps to the start of the next display block.
    Breaks are added in order as the viewer shows the text (``add_inserts``).
    """

    __slots__ = ("_inserts", "_shown_at")

    def __init__(self, text: str, inserts: Iterable[int] = ()) -> None:
        super().__init__(text)
        self._inserts: list[int] = []  # stored offsets with a line end shown before them
        self._shown_at: list[int] = []  # the shown position of each of those line ends
        self.add_inserts(inserts)

    def add_inserts(self, inserts: Iterable[int]) -> None:
        """Record more inserted line ends; each offset must be greater than those before."""
        for cp in inserts:
            if self._inserts and cp <= self._inserts[-1]:
                raise ValueError(f"inserted break at {cp} is not after {self._inserts[-1]}")
            self._shown_at.append(super().to_utf16(cp) + len(self._inserts))
            self._inserts.append(cp)

    @property
    def utf16_length(self) -> int:
        return super().utf16_length + len(self._inserts)

    def to_utf16(self, cp: int) -> int:
        """Shown offset of stored offset ``cp`` (after a line end inserted before ``cp``)."""
        return super().to_utf16(cp) + bisect_right(self._inserts, cp)

    def to_code_point(self, u16: int) -> int:
        """Stored offset of shown offset ``u16``; an inserted line end maps to the offset after it."""
        k = bisect_left(self._shown_at, u16)
        if k < len(self._shown_at) and self._shown_at[k] == u16:
            return self._inserts[k]
        return super().to_code_point(u16 - k)

    def is_inserted(self, u16: int) -> bool:
        """True if the shown character at ``u16`` is a line end inserted by the viewer."""
        k = bisect_left(self._shown_at, u16)
        return k < len(self._shown_at) and self._shown_at[k] == u16
