"""The lane margin: one thin vertical bar per annotation lane beside the lines it covers.

Drawn in a gutter reserved at the left of the text column, so it scrolls with the text for free.
Bars for lanes beyond ``MAX_LANES`` share the outermost position rather than leaving the gutter.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from annotator.ui.viewer import colours
from annotator.ui.viewer.painter import PaintPlan

BAR_WIDTH = 2.5
BAR_STEP = 4.5
GAP = 10.0  # from the bars to the text column
MAX_LANES = 6
GUTTER = GAP + MAX_LANES * BAR_STEP + 6.0  # room the column must leave on its left


def bar_x(column_left: float, lane: int) -> float:
    """Left edge of lane ``lane``'s bar: lane 0 nearest the text."""
    return column_left - GAP - BAR_WIDTH - min(lane, MAX_LANES - 1) * BAR_STEP


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
