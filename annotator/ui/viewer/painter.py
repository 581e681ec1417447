"""Painting highlights, find matches and zone decorations over the visible lines.

Everything drawn here comes from a ``PaintPlan`` built once per paint from the visible range:
no document-wide work. Backgrounds go under the text (``paint_under``), underlines, outlines and
handles over it (``paint_over``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen

from annotator.core.types import PARATEXT_ZONES
from annotator.ui.viewer import colours
from annotator.ui.viewer.geometry import LineBox, VisibleLines
from annotator.ui.viewer.highlight import Highlight
from annotator.ui.viewer.zones import is_dark, muted_text, paratext_tint, zone_of_state

LANE_STEP = 3.0  # px between stacked underlines
UNDERLINE_GAP = 2.0  # px from the baseline to the first underline
HANDLE_RADIUS = 4.5
Segments = list[tuple[LineBox, float, float]]

# More visible highlights than this, and only the first lanes are drawn one by one; past them
# the crowded text is shaded by how many overlap, and each line's margin gives the number.
CROWD = 400
SHOWN_LANES = 6


@dataclass
class PlacedHighlight:
    highlight: Highlight
    lane: int
    segments: Segments


@dataclass
class PaintPlan:
    visible: VisibleLines
    palette: QPalette
    column_left: float
    column_right: float
    placed: list[PlacedHighlight] = field(default_factory=list)
    selected: PlacedHighlight | None = None
    matches: list[Segments] = field(default_factory=list)
    current_match: Segments | None = None
    labels: dict[int, str] = field(default_factory=dict)  # block number → zone label
    label_font: QFont | None = None
    display_breaks: list[LineBox] = field(default_factory=list)  # lines the viewer broke
    crowded: list[tuple[Segments, int]] = field(default_factory=list)  # (extent, peak depth)
    line_depths: list[tuple[LineBox, int]] = field(default_factory=list)  # crowded lines' peaks
    dark: bool = field(init=False)
    base: str = field(init=False)  # the palette's base colour, "#rrggbb": strokes contrast with it

    def __post_init__(self) -> None:
        self.dark = is_dark(self.palette)
        self.base = self.palette.color(QPalette.ColorRole.Base).name()


def paint_under(painter: QPainter, plan: PaintPlan) -> None:
    _paint_zone_tints(painter, plan)
    painter.setPen(Qt.PenStyle.NoPen)
    for segments in plan.matches:
        painter.setBrush(colours.find_fill(plan.dark))
        for box, x1, x2 in segments:
            painter.drawRoundedRect(QRectF(x1 - 1, box.top, x2 - x1 + 2, box.height), 2, 2)
    # fillRect, not drawRect/drawLine: it is the raster engine's fast path (several times faster
    # per call offscreen), and a paint makes hundreds of these calls.
    for placed in plan.placed:
        h = placed.highlight
        colour = colours.fill(h.colour, h.dimmed, plan.dark)
        for box, x1, x2 in placed.segments:
            painter.fillRect(QRectF(x1, box.top, x2 - x1, box.height), colour)
    paint_crowded(painter, plan)


def paint_crowded(painter: QPainter, plan: PaintPlan) -> None:
    """Shade text that more highlights overlap than are drawn: darker the more there are."""
    if not plan.crowded:
        return
    ink = plan.palette.color(QPalette.ColorRole.Text)
    for segments, depth in plan.crowded:
        shade = QColor(ink)
        shade.setAlphaF(min(0.2, 0.05 + 0.03 * math.log2(depth / SHOWN_LANES)))
        for box, x1, x2 in segments:
            painter.fillRect(QRectF(x1, box.top, x2 - x1, box.height), shade)


def paint_over(painter: QPainter, plan: PaintPlan) -> None:
    for placed in plan.placed:
        _paint_underlines(painter, placed, plan)
    if plan.current_match:
        painter.setPen(QPen(colours.find_outline(), 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for box, x1, x2 in plan.current_match:
            painter.drawRoundedRect(QRectF(x1 - 1, box.top, x2 - x1 + 2, box.height), 2, 2)
    if plan.selected is not None:
        _paint_selected(painter, plan.selected, plan)
    _paint_zone_labels(painter, plan)


def _paint_underlines(painter: QPainter, placed: PlacedHighlight, plan: PaintPlan) -> None:
    h = placed.highlight
    colour = colours.stroke(h.colour, h.dimmed, plan.dark, plan.base)
    thickness = 1.0 if h.dimmed else 2.0  # other coders' annotations: a faint hairline
    for box, x1, x2 in placed.segments:
        y = underline_y(box, placed.lane)
        painter.fillRect(QRectF(x1, y, x2 - x1, thickness), colour)


def underline_y(box: LineBox, lane: int) -> float:
    """Top of lane ``lane``'s underline on ``box``: below the baseline, lanes 3 px apart."""
    y = float(round(box.baseline + UNDERLINE_GAP + lane * LANE_STEP))
    return min(y, box.underline_limit - 2.0)


def handle_rects(selected: PlacedHighlight) -> tuple[QRectF, QRectF] | None:
    """Grab areas of the start and end handles of the selected highlight."""
    if not selected.segments:
        return None
    first, x1, _ = selected.segments[0]
    last, _, x2 = selected.segments[-1]
    grab = 7.0
    start = QRectF(x1 - grab, first.top - 2 * HANDLE_RADIUS - 2, 2 * grab, first.height + 12)
    end = QRectF(x2 - grab, last.top, 2 * grab, last.height + 2 * HANDLE_RADIUS + 4)
    return start, end


def _paint_selected(painter: QPainter, selected: PlacedHighlight, plan: PaintPlan) -> None:
    h = selected.highlight
    colour = colours.stroke(h.colour, False, plan.dark, plan.base)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(colour, 1.6))
    for box, x1, x2 in selected.segments:
        painter.drawRoundedRect(QRectF(x1 - 0.5, box.top, x2 - x1 + 1, box.height), 2.5, 2.5)
    if not selected.segments:
        return
    first, x1, _ = selected.segments[0]
    last, _, x2 = selected.segments[-1]
    painter.setPen(QPen(colour, 2.0))
    painter.drawLine(QPointF(x1, first.top - HANDLE_RADIUS), QPointF(x1, first.top + first.height))
    painter.drawLine(QPointF(x2, last.top), QPointF(x2, last.top + last.height + HANDLE_RADIUS))
    painter.setPen(QPen(plan.palette.color(QPalette.ColorRole.Base), 1.5))
    painter.setBrush(colour)
    top_knob = QPointF(x1, first.top - HANDLE_RADIUS - 1)
    bottom_knob = QPointF(x2, last.top + last.height + HANDLE_RADIUS + 1)
    painter.drawEllipse(top_knob, HANDLE_RADIUS, HANDLE_RADIUS)
    painter.drawEllipse(bottom_knob, HANDLE_RADIUS, HANDLE_RADIUS)


def _paint_zone_tints(painter: QPainter, plan: PaintPlan) -> None:
    tint: QColor | None = None
    for block_box in plan.visible.blocks:
        kind, first = zone_of_state(block_box.block.userState())
        if kind not in PARATEXT_ZONES:
            continue
        if tint is None:
            tint = paratext_tint(plan.palette)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(tint)
        top = block_box.top
        if first:  # start the panel just above the text, under the zone label
            top = plan.visible.lines[block_box.first_line].top - 26.0
        nxt = block_box.block.next()
        last = not nxt.isValid() or zone_of_state(nxt.userState())[0] != kind
        bottom = block_box.bottom + (10.0 if last else 0.0)
        rect = QRectF(plan.column_left - 10, top, plan.column_right - plan.column_left + 20, 0)
        rect.setBottom(bottom)
        painter.drawRect(rect)


def _paint_zone_labels(painter: QPainter, plan: PaintPlan) -> None:
    if not plan.labels:
        return
    for block_box in plan.visible.blocks:
        label = plan.labels.get(block_box.block.blockNumber())
        if not label:
            continue
        first_line = plan.visible.lines[block_box.first_line]
        if plan.label_font is not None:
            painter.setFont(plan.label_font)
        painter.setPen(muted_text(plan.palette))
        rect = QRectF(first_line.left, first_line.top - 22.0, plan.column_right, 18.0)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
