"""Display blocks: where the viewer may show a paragraph break that the stored text lacks.

Many works arrive as one run-on line; a single Qt text block of that size is unusably slow to lay
out and paint. The viewer therefore shows some spaces as line breaks. Only U+0020 characters are
ever replaced, one for one, so display offsets are identical to stored offsets (code points) and
annotations need no translation.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from annotator.core.types import ZoneSpec

# A sentence end: terminal punctuation, optional closing quotes or brackets, then one space.
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]* ")

DEFAULT_TARGET = 600


def _zone_break_positions(text: str, zones: Sequence[ZoneSpec]) -> set[int]:
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
    return found


def display_breaks(text: str, zones: Sequence[ZoneSpec] = (), target: int = DEFAULT_TARGET) -> list[int]:
    """Return the sorted code-point positions of spaces the viewer should show as line breaks.

    Breaks go after sentence ends so that display blocks stay near ``target`` characters; a
    sentence that runs on for more than 1.5 × ``target`` is broken at the last space that fits.
    Spaces on zone boundaries always break. Text without spaces cannot be broken.
    """
    return display_breaks_between(text, zones, 0, len(text), target)[0]


def display_breaks_between(
    text: str, zones: Sequence[ZoneSpec], start: int, stop: int, target: int = DEFAULT_TARGET
) -> tuple[list[int], int]:
    """The ``display_breaks`` of the display blocks that start in ``[start, stop)``.

    Returns ``(breaks, next_start)``: ``next_start`` (≥ ``stop``, at most ``len(text)``) is where
    the following display block starts, so ``text[next_start - 1]`` is a line end or one of the
    breaks. ``start`` must be 0 or a ``next_start`` returned before; chaining calls from 0 until
    ``len(text)`` yields exactly ``display_breaks(text, zones, target)``, a chunk at a time, so a
    viewer can show the start of a long text without scanning all of it.
    """
    if target < 2:
        raise ValueError(f"target must be at least 2, got {target}")
    n = len(text)
    if not 0 <= start <= n or (start > 0 and text[start - 1] not in " \n"):
        raise ValueError(f"display block cannot start at {start}")
    zone_breaks = sorted(_zone_break_positions(text, zones))
    breaks: list[int] = []
    pos = start  # start of the current display block
    zi = bisect_left(zone_breaks, start)
    line_end = -1
    limit = min(n, stop)
    while pos < limit:
        if line_end < pos:
            line_end = text.find("\n", pos)
            if line_end < 0:
                line_end = n
        while zi < len(zone_breaks) and zone_breaks[zi] < pos:
            zi += 1
        hard_end = line_end
        is_zone_break = zi < len(zone_breaks) and zone_breaks[zi] < line_end
        if is_zone_break:
            hard_end = zone_breaks[zi]
        if hard_end - pos <= target:
            if is_zone_break:
                breaks.append(hard_end)
            pos = hard_end + 1
            continue
        cut = _choose_cut(text, pos, hard_end, target)
        if cut < 0:  # no space at all before the hard end: leave the block long
            if is_zone_break:
                breaks.append(hard_end)
            pos = hard_end + 1
            continue
        breaks.append(cut)
        pos = cut + 1
    return breaks, min(pos, n)


def _choose_cut(text: str, pos: int, hard_end: int, target: int) -> int:
    """Pick the space that ends the display block starting at ``pos`` (or -1 if none exists)."""
    limit = pos + target
    window_end = min(pos + target * 3 // 2, hard_end - 1) + 1
    # The space of each sentence end in the window; scanning only windows keeps this O(n).
    sentence_ends = [m.end() - 1 for m in _SENTENCE_END.finditer(text, pos + 1, window_end)]
    # Last sentence end that fits, if it leaves a block of reasonable size.
    i = bisect_right(sentence_ends, min(limit, hard_end - 1)) - 1
    if i >= 0 and sentence_ends[i] > pos and sentence_ends[i] - pos >= target // 4:
        return sentence_ends[i]
    # Else a sentence end a little past the target beats cutting mid-sentence.
    j = bisect_left(sentence_ends, limit + 1)
    stretch = min(pos + target * 3 // 2, hard_end - 1)
    if j < len(sentence_ends) and sentence_ends[j] <= stretch:
        return sentence_ends[j]
    if i >= 0 and sentence_ends[i] > pos:
        return sentence_ends[i]
    space = text.rfind(" ", pos + 1, min(limit, hard_end - 1) + 1)
    if space > pos:
        return space
    space = text.find(" ", limit, hard_end)
    return space if space > pos else -1


def display_text(text: str, breaks: Sequence[int]) -> str:
    """Return ``text`` with the spaces at ``breaks`` replaced by "\\n" (same length)."""
    parts: list[str] = []
    prev = 0
    for pos in breaks:
        if not (prev <= pos < len(text)) or text[pos] != " ":
            raise ValueError(f"display break at {pos} is not a space (or breaks are unsorted)")
        parts.append(text[prev:pos])
        prev = pos + 1
    parts.append(text[prev:])
    return "\n".join(parts)
