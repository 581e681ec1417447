"""Find in the stored text (not Qt's copy, whose display breaks replace some spaces)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field


def find_all(text: str, query: str, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Non-overlapping ``[start, end)`` code-point ranges of ``query`` in ``text``.

    Case-insensitive search uses a regular expression rather than ``lower()``, which can change
    the length of the text (e.g. "İ") and so shift every offset after it.
    """
    if not query:
        return []
    flags = 0 if case_sensitive else re.IGNORECASE
    pattern = re.compile(re.escape(query), flags)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


@dataclass
class FindMatches:
    """Sorted matches and which one is current; lookups by range are binary searches."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    current: int = -1
    _starts: list[int] = field(default_factory=list)
    _longest: int = 0

    def set(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self._starts = [s for s, _ in self.spans]
        self._longest = max((e - s for s, e in self.spans), default=0)
        self.current = -1

    def visible(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Matches overlapping ``[lo, hi)``."""
        i = bisect_left(self._starts, lo - self._longest)
        j = bisect_right(self._starts, hi)
        return [(s, e) for s, e in self.spans[i:j] if e > lo and s < hi]

    def step(self, forward: bool) -> tuple[int, int] | None:
        if not self.spans:
            return None
        if self.current < 0:
            self.current = 0 if forward else len(self.spans) - 1
        else:
            self.current = (self.current + (1 if forward else -1)) % len(self.spans)
        return self.spans[self.current]

    def current_span(self) -> tuple[int, int] | None:
        return self.spans[self.current] if 0 <= self.current < len(self.spans) else None
