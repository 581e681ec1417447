"""The one conversion between stored offsets (code points) and Qt's offsets (UTF-16 units).

Qt counts a character outside the Basic Multilingual Plane (most emoji) as two units; the store
counts it as one. Every offset that crosses the ui boundary goes through an ``OffsetMap``.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def may_have_astral(text: str) -> bool:
    """False when ``text`` surely has no character outside the BMP, decided without reading it.

    CPython stores a string with 1, 2 or 4 bytes a character, the width its widest character needs
    (PEP 393), so a long string under 4 bytes a character has none: 5M CJK characters skip a 20 ms
    scan. Short strings, and other Pythons (where the size says nothing), are simply scanned.
    """
    if text.isascii():
        return False
    return len(text) < 4096 or sys.getsizeof(text) >= 4 * len(text)


class OffsetMap:
    """Maps code-point offsets of one text to UTF-16 offsets and back in O(log n)."""

    __slots__ = ("_astral_cp", "_astral_u16", "_length")

    def __init__(self, text: str) -> None:
        # Code-point indices of the characters that take two UTF-16 units.
        # A regex scan is ~10x faster than a Python loop over a 5 MB text.
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)] if may_have_astral(text) else []
        # The UTF-16 index at which each of those characters starts.
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral_cp)]
        self._length = len(text)

    @property
    def utf16_length(self) -> int:
        return self._length + len(self._astral_cp)

    def to_utf16(self, cp: int) -> int:
        """UTF-16 offset of code-point offset ``cp`` (0 ≤ cp ≤ len(text))."""
        return cp + bisect_left(self._astral_cp, cp)

    def to_code_point(self, u16: int) -> int:
        """Code-point offset of UTF-16 offset ``u16``.

        An offset that falls between the two halves of a surrogate pair is moved to the start of
        that character, so a selection never splits an emoji.
        """
        # Astral characters that end at or before u16 each shift the offset by one.
        k = bisect_right(self._astral_u16, u16 - 2)
        if k < len(self._astral_u16) and self._astral_u16[k] == u16 - 1:
            # Inside a surrogate pair: snap back to the character's first unit.
            return u16 - 1 - k
        return u16 - k
