"""Block layout that honours block formats inside a ``QPlainTextEdit``.

``QPlainTextDocumentLayout`` (the only layout ``QPlainTextEdit`` accepts, and the reason it can
show 5 MB quickly: it lays out only visible blocks) ignores a block format's margins, indent and
line height. The viewer re-lays out each block it is about to show with ``lay_out_block``, which
does honour them and centres the text in a column of readable width. A block laid out by the
plain layout has its first line at y = 0; ours never does, which is how stale ones are spotted.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QTextBlock, QTextBlockFormat, QTextLayout

# Extra line height beyond the font's, as a factor: room for stacked underlines.
DEFAULT_LINE_HEIGHT = 1.55
MIN_TOP = 0.5  # every block of ours starts below y = 0 (see module docstring)
MEASURE_CH = 80  # readable line length, in widths of "0"


@dataclass(frozen=True, slots=True)
class Column:
    """Where text goes in the viewport: left edge and width, in pixels."""

    left: float
    width: float
    paragraph_gap: float  # default space above a block

    @staticmethod
    def centred(viewport_width: float, measure: float, gutter: float, gap: float) -> Column:
        """A column at most ``measure`` wide, centred, leaving ``gutter`` px on the left."""
        width = max(80.0, min(measure, viewport_width - gutter - 12.0))
        left = max(gutter, (viewport_width - width) / 2.0)
        return Column(left, width, gap)

    @staticmethod
    def for_font(font: QFont, viewport_width: float, gutter: float) -> Column:
        """A centred column ``MEASURE_CH`` zeros wide in ``font``, with paragraph gaps to match."""
        metrics = QFontMetricsF(font)
        measure = metrics.horizontalAdvance("0") * MEASURE_CH
        return Column.centred(viewport_width, measure, gutter, metrics.height() * 0.8)


def needs_layout(layout: QTextLayout) -> bool:
    """True if the block has no layout or one made by ``QPlainTextDocumentLayout``."""
    return layout.lineCount() == 0 or layout.lineAt(0).y() < MIN_TOP / 2


def lay_out_block(block: QTextBlock, column: Column, joined: bool = False) -> bool:
    """Lay out ``block`` in ``column`` honouring its block format.

    A ``joined`` block continues the previous one: the viewer broke a run-on line there (a
    display break), so it gets no paragraph space above it, only the usual line spacing: the
    work has no paragraph break there and the page must not show one.

    Returns True if its line count changed (the scroll bar, which counts lines, must know).
    """
    fmt = block.blockFormat()
    top = fmt.topMargin() if fmt.hasProperty(QTextBlockFormat.Property.BlockTopMargin) else -1.0
    if top < 0:
        top = column.paragraph_gap
    top = MIN_TOP if joined else max(top, MIN_TOP)
    left = column.left + fmt.leftMargin()
    width = max(40.0, column.width - fmt.leftMargin() - fmt.rightMargin())
    centred = bool(fmt.alignment() & Qt.AlignmentFlag.AlignHCenter)
    factor = DEFAULT_LINE_HEIGHT
    if fmt.lineHeightType() == QTextBlockFormat.LineHeightTypes.ProportionalHeight.value:
        factor = fmt.lineHeight() / 100.0
    layout = block.layout()
    layout.beginLayout()
    y = top
    count = 0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLeadingIncluded(True)
        indent = fmt.textIndent() if count == 0 else 0.0
        line.setLineWidth(width - indent)  # before height(), which is 0 until the line is laid out
        if count == 0:
            # The previous block's last line has its underline room below it, outside its
            # bounding rect: leave that room here, above the gap (a joined block gets only the
            # room, so its lines are spaced exactly like the lines within a block).
            y += underline_room(line.height())
        x = left + indent
        if centred:
            x += max(0.0, (width - indent - line.naturalTextWidth()) / 2.0)
        line.setPosition(QPointF(x, y))
        # The extra height goes below the line, where lane underlines are drawn.
        y += line.height() * (factor if line.textLength() or count == 0 else 1.0)
        count += 1
    layout.endLayout()
    if block.lineCount() == count:
        return False
    block.setLineCount(count)
    return True


def underline_room(line_height: float) -> float:
    """Pixels below a line's descent that belong to it (where underlines can go)."""
    return line_height * (DEFAULT_LINE_HEIGHT - 1.0)
