"""The lane margin: one thin vertical bar per annotation lane beside the lines it covers.

Drawn in a gutter reserved at the left of the text column, so it scrolls with the text for free.
Bars for lanes beyond ``MAX_LANES`` share the outermost position rather than leaving the gutter.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter

from annotator.ui.viewer import colours
from annotator.ui.viewer.painter import PaintPlan
from annotator.ui.viewer.zones import muted_text

BAR_WIDTH = 2.5
BAR_STEP = 4.5
GAP = 10.0  # from the bars to the text column
MAX_LANES = 6
GUTTER = GAP + MAX_LANES * BAR_STEP + 6.0  # room the column must leave on its left


def bar_x(column_left: float, lane: int) -> float:
    """Left edge of lane ``lane``'s bar: lane 0 nearest the text."""
    return column_left - GAP - BAR_WIDTH - min(lane, MAX_LANES - 1) * BAR_STEP


RIGHT_MIDDLE = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def crowd_label(depth: int) -> str:
    """How many highlights overlap a crowded line, short enough for the gutter."""
    return f"{depth}" if depth < 1000 else f"{depth // 1000}k" if depth < 100_000 else "99k+"


def paint_line_depths(painter: QPainter, plan: PaintPlan) -> None:
    """On each crowded line, left of the bars, how many highlights overlap there at most."""
    if not plan.line_depths:
        return
    painter.setPen(muted_text(plan.palette))
    if plan.label_font is not None:
        painter.setFont(plan.label_font)
    right = bar_x(plan.column_left, MAX_LANES - 1) - 2.0
    for box, depth in plan.line_depths:
        rect = QRectF(0.0, box.top, right, box.height)
        painter.drawText(
            rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, crowd_label(depth)
        )


def paint_lane_bars(painter: QPainter, plan: PaintPlan) -> None:
    for placed in plan.placed:
        if not placed.segments:
            continue
        h = placed.highlight
        top = placed.segments[0][0].top
        last = placed.segments[-1][0]
        bottom = last.top + last.height
        width = BAR_WIDTH + (1.0 if plan.selected is placed else 0.0)
        rect = QRectF(bar_x(plan.column_left, placed.lane), top + 1, width, bottom - top - 2)
        painter.fillRect(rect, colours.stroke(h.colour, h.dimmed, plan.dark, plan.base))
    paint_line_depths(painter, plan)
