"""Display breaks made visible: where the viewer, not the work, starts a new line.

A run-on work is shown in display blocks (``core/display``): some of its spaces are shown as line
breaks, and where a line has none the viewer inserts one. Those must not read as the work's
paragraphs, or a researcher would quote a structure the work does not have. So a block that
continues a run-on line is laid out without paragraph space (``layout.lay_out_block(joined=True)``),
and the line before such a break ends in a faint return mark (painted here, for the visible lines
only) whose tooltip says what it means.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen, QTextBlock

from annotator.core.display import DisplayMap
from annotator.core.offsets import OffsetMap
from annotator.ui.viewer.geometry import LineBox, VisibleLines
from annotator.ui.viewer.zones import mix, zone_of_state

MARK_GAP = 4.0  # px from the end of the line's text to the mark
EXPLANATION = (
    "No line break in the work here: the viewer starts a new line so that a long run-on "
    "line stays readable. Copied text is as the work has it."
)


def is_display_break(text: str, offsets: OffsetMap, position: int) -> bool:
    """True if the line end at UTF-16 ``position`` of the shown text is the viewer's, not the work's.

    It is then either a space of ``text`` shown as a line end or a line end the viewer inserted
    (a run-on line without spaces, cut after CJK punctuation or at a length).
    """
    if isinstance(offsets, DisplayMap) and offsets.is_inserted(position):
        return True
    cp = offsets.to_code_point(position)
    return cp < len(text) and text[cp] == " "


def joins_previous(block: QTextBlock, text: str, offsets: OffsetMap) -> bool:
    """True if ``block`` continues the previous block's line of the stored text.

    A zone's first block keeps the space above it: the zone boundary is the work's structure.
    """
    position = block.position()
    if position == 0 or zone_of_state(block.userState())[1]:
        return False
    return is_display_break(text, offsets, position - 1)


def display_break_lines(visible: VisibleLines, text: str, offsets: OffsetMap) -> list[LineBox]:
    """The visible lines that end at a display break (the last line of their block)."""
    found: list[LineBox] = []
    blocks = visible.blocks
    for i, block_box in enumerate(blocks):
        last = (blocks[i + 1].first_line if i + 1 < len(blocks) else len(visible.lines)) - 1
        if last < block_box.first_line:
            continue
        box = visible.lines[last]
        block = block_box.block
        if box.end == block.position() + block.length() - 1 and is_display_break(text, offsets, box.end):
            found.append(box)
    return found


def mark_rect(box: LineBox) -> QRectF:
    """Where the return mark after ``box`` is drawn (its tooltip answers there too)."""
    size = max(5.0, min(9.0, round(box.height * 0.32)))
    centre_y = box.baseline - box.line.ascent() * 0.32
    return QRectF(box.right + MARK_GAP, centre_y - size / 2.0, size, size)


def mark_colour(palette: QPalette) -> QColor:
    """Fainter than the zone labels: it must be seen when looked for, not read as text."""
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.55)


def paint_display_breaks(painter: QPainter, lines: list[LineBox], palette: QPalette) -> None:
    """A small "↵" after each line in ``lines``: down from the top right, then left to an arrowhead."""
    if not lines:
        return
    painter.save()
    painter.setPen(QPen(mark_colour(palette), 1.2))
    painter.setBrush(QColor(0, 0, 0, 0))
    for box in lines:
        rect = mark_rect(box)
        head = rect.height() * 0.38
        path = QPainterPath(QPointF(rect.right(), rect.top()))
        path.lineTo(QPointF(rect.right(), rect.bottom()))
        path.lineTo(QPointF(rect.left(), rect.bottom()))
        path.moveTo(QPointF(rect.left() + head, rect.bottom() - head))
        path.lineTo(QPointF(rect.left(), rect.bottom()))
        path.lineTo(QPointF(rect.left() + head, rect.bottom() + head))
        painter.drawPath(path)
    painter.restore()


def explanation_at(lines: list[LineBox], point: QPointF) -> str:
    """The mark's meaning if ``point`` is on (or right next to) one of the marks, else ""."""
    for box in lines:
        if mark_rect(box).adjusted(-3.0, -4.0, 4.0, 4.0).contains(point):
            return EXPLANATION
    return ""
