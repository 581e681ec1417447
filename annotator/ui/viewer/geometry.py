"""Geometry of what is on screen: the visible lines, and text ranges turned into rectangles.

A ``VisibleLines`` snapshot is taken once per paint (O(visible lines)); every highlight is then
mapped to rectangles by binary search over it. Positions here are UTF-16 offsets, as in Qt.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextLine


@dataclass(slots=True)
class LineBox:
    start: int  # document position (UTF-16) of the line's first character
    end: int  # position after its last character
    line: QTextLine
    block_start: int
    top: float  # viewport y of the line's top
    height: float
    baseline: float  # viewport y of the baseline
    left: float  # viewport x of the line's left edge
    right: float  # viewport x after the text (natural width)
    underline_limit: float  # lowest y an underline may use without touching the next line


@dataclass(slots=True)
class BlockBox:
    block: QTextBlock
    top: float
    bottom: float
    first_line: int  # index into VisibleLines.lines


@dataclass
class VisibleLines:
    """The lines intersecting the viewport, in document order."""

    lines: list[LineBox] = field(default_factory=list)
    blocks: list[BlockBox] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def add_block(self, block: QTextBlock, offset: QPointF, bottom: float) -> None:
        layout = block.layout()
        base = block.position()
        self.blocks.append(BlockBox(block, offset.y(), offset.y() + bottom, len(self.lines)))
        count = layout.lineCount()
        for i in range(count):
            line = layout.lineAt(i)
            top = offset.y() + line.y()
            next_top = offset.y() + (layout.lineAt(i + 1).y() if i + 1 < count else bottom + 8)
            start = base + line.textStart()
            box = LineBox(
                start=start,
                end=start + line.textLength(),
                line=line,
                block_start=base,
                top=top,
                height=line.height(),
                baseline=top + line.ascent(),
                left=offset.x() + line.x(),
                right=offset.x() + line.x() + line.naturalTextWidth(),
                underline_limit=next_top - 1.0,
            )
            self.lines.append(box)
            self._starts.append(start)

    @property
    def first_position(self) -> int:
        return self.lines[0].start if self.lines else 0

    @property
    def last_position(self) -> int:
        return self.lines[-1].end + 1 if self.lines else 0

    def x_at(self, box: LineBox, position: int) -> float:
        result: Any = box.line.cursorToX(position - box.block_start)  # PySide: (x, position)
        x = float(result[0] if isinstance(result, tuple) else result)
        return box.left - box.line.x() + x

    def segments(self, start: int, end: int) -> list[tuple[LineBox, float, float]]:
        """Per visible line, the horizontal extent ``(box, x1, x2)`` of ``[start, end)``."""
        out: list[tuple[LineBox, float, float]] = []
        i = max(0, bisect_right(self._starts, start) - 1)
        lines = self.lines
        while i < len(lines) and lines[i].start < end:
            box = lines[i]
            i += 1
            if box.end < start or (box.end == start and box.end > box.start):
                continue
            x1 = box.left if start <= box.start else self.x_at(box, start)
            x2 = self.x_at(box, min(end, box.end))
            if end > box.end:  # runs on past this line: reach the end of its text
                x2 = max(x2, box.right)
            if x2 > x1:
                out.append((box, x1, x2))
        return out

    def rects(self, start: int, end: int) -> list[QRectF]:
        return [QRectF(x1, b.top, x2 - x1, b.height) for b, x1, x2 in self.segments(start, end)]

    def line_at_y(self, y: float) -> LineBox | None:
        for box in self.lines:
            if box.top <= y < box.top + box.height:
                return box
        return None

    def character_at(self, point: QPointF) -> int | None:
        """Position of the character drawn under ``point``, or None off the text."""
        box = self.line_at_y(point.y())
        if box is None or not (box.left <= point.x() < box.right):
            return None
        if box.end <= box.start:
            return None
        relative = point.x() - (box.left - box.line.x())
        position = box.block_start + box.line.xToCursor(relative, QTextLine.CursorPosition.CursorOnCharacter)
        return min(max(position, box.start), box.end - 1)
