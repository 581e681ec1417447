"""Mouse behaviour that is not Qt's: choosing among overlapping highlights, dragging handles.

Kept as small state objects so the widget's event handlers stay short and the logic is testable.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.ui.plain import escape, safe_colour
from annotator.ui.viewer.highlight import Highlight


class ClickCycler:
    """Picks the innermost highlight under a click; clicking the same stack again cycles."""

    def __init__(self) -> None:
        self._stack: tuple[int, ...] = ()
        self._index = 0

    def pick(self, candidates: list[Highlight]) -> Highlight | None:
        """``candidates`` come innermost first (shortest span first)."""
        if not candidates:
            self._stack = ()
            return None
        stack = tuple(h.annotation_id for h in candidates)
        if set(stack) == set(self._stack):
            self._index = (self._index + 1) % len(candidates)
        else:
            self._index = 0
        self._stack = stack
        return candidates[self._index]

    def reset(self) -> None:
        self._stack = ()


@dataclass
class HandleDrag:
    """A drag of one end of the selected annotation, in code points."""

    annotation_id: int
    start: int
    end: int
    moving_start: bool

    def move_to(self, position: int) -> None:
        if self.moving_start:
            self.start = position
        else:
            self.end = position

    def span(self) -> tuple[int, int]:
        """The dragged span, ordered (a handle dragged past the other end swaps roles)."""
        return (min(self.start, self.end), max(self.start, self.end))


def tooltip_html(highlights: list[Highlight]) -> str:
    """One row per highlight: colour swatch, code, coder, and the memo (shortened) below.

    Rich text built from user values: each one escaped, the colour checked to be ``#rrggbb``.
    """
    rows = []
    for h in highlights:
        row = (
            f'<span style="color:{safe_colour(h.colour)}">&#9632;</span> <b>{escape(h.code_name)}</b>'
            f" &middot; {escape(h.coder_name)}"
        )
        if h.memo:
            memo = h.memo if len(h.memo) <= 400 else h.memo[:399] + "\u2026"
            row += f"<br/><i style='white-space:pre-wrap'>{escape(memo)}</i>"
        rows.append(row)
    return "<br/>".join(rows)
