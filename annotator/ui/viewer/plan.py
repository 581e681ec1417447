"""Building a paint plan: which lines are visible and what to draw on each of them.

Work per paint is proportional to what is on screen: the visible blocks are laid out (if stale),
and the highlight index and find matches are queried for the visible code-point range only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QTextBlock
from PySide6.QtWidgets import QPlainTextEdit

from annotator.core.coverage import crowded_runs, depths, peak
from annotator.core.offsets import OffsetMap
from annotator.ui.viewer.find import FindMatches
from annotator.ui.viewer.geometry import VisibleLines
from annotator.ui.viewer.highlight import HighlightSet, Visible
from annotator.ui.viewer.interaction import HandleDrag
from annotator.ui.viewer.painter import CROWD, SHOWN_LANES, PaintPlan, PlacedHighlight


def visible_lines(editor: QPlainTextEdit, ensure_layout: Callable[[QTextBlock], None]) -> VisibleLines:
    """Lay out (if needed) and collect the blocks and lines intersecting the viewport."""
    visible = VisibleLines()
    block = editor.firstVisibleBlock()
    if not block.isValid():
        return visible
    ensure_layout(block)  # before contentOffset(), which reads the top block's layout
    offset = editor.contentOffset()
    bottom = editor.viewport().height()
    while block.isValid() and offset.y() <= bottom:
        if block.isVisible():
            ensure_layout(block)
            height = editor.blockBoundingRect(block).height()
            visible.add_block(block, offset, height)
            offset.setY(offset.y() + height)
        block = block.next()
    return visible


def code_point_range(visible: VisibleLines, offsets: OffsetMap) -> tuple[int, int]:
    lo = offsets.to_code_point(visible.first_position)
    hi = offsets.to_code_point(min(visible.last_position, offsets.utf16_length)) + 1
    return lo, hi


def place_highlights(
    plan: PaintPlan,
    offsets: OffsetMap,
    highlights: HighlightSet,
    selected_id: int | None,
    drag: HandleDrag | None,
) -> None:
    """Add the visible highlights, with their lanes and line segments, to ``plan``.

    The highlight whose handle is being dragged is placed at the dragged span.
    """
    visible = plan.visible
    if not visible.lines:
        return
    dragged_id = drag.annotation_id if drag is not None else None
    dragged_span = drag.span() if drag is not None else None
    lo, hi = code_point_range(visible, offsets)
    to_utf16 = offsets.to_utf16
    keep = frozenset(i for i in (selected_id, dragged_id) if i is not None)
    view = highlights.visible_capped(lo, hi, crowd=CROWD, max_lane=SHOWN_LANES, keep=keep)
    if len(view.shown) < len(view.starts):
        _place_crowded(plan, offsets, view, lo, hi)
    for h, lane in view.shown:
        start, end = h.start, h.end
        if dragged_span is not None and h.annotation_id == dragged_id:
            start, end = dragged_span
        placed = PlacedHighlight(h, lane, visible.segments(to_utf16(start), to_utf16(end)))
        plan.placed.append(placed)
        if h.annotation_id == selected_id:
            plan.selected = placed


def _place_crowded(plan: PaintPlan, offsets: OffsetMap, view: Visible, lo: int, hi: int) -> None:
    """Where more highlights overlap than are drawn one by one: the runs and each line's peak.

    Both are kept with the view (in shown offsets), so repainting the same lines is free.
    """
    visible = plan.visible
    key = ("crowded", visible.first_position, visible.last_position)
    known = view.memo.get(key)
    if known is None:
        depth = depths(view.starts, view.ends, lo, hi)
        to_utf16, to_code_point = offsets.to_utf16, offsets.to_code_point
        runs = [(to_utf16(r.start), to_utf16(r.end), r.depth) for r in crowded_runs(depth, lo, SHOWN_LANES)]
        peaks = {
            box.start: peak(depth, lo, to_code_point(box.start), to_code_point(box.end) + 1)
            for box in visible.lines
        }
        known = view.memo[key] = (runs, peaks)
    runs, peaks = known  # type: ignore[misc]
    for start, end, most in runs:
        plan.crowded.append((visible.segments(start, end), most))
    for box in visible.lines:
        most = peaks.get(box.start, 0)
        if most > SHOWN_LANES:
            plan.line_depths.append((box, most))


def place_matches(plan: PaintPlan, offsets: OffsetMap, matches: FindMatches) -> None:
    visible = plan.visible
    if not visible.lines or not matches.spans:
        return
    lo, hi = code_point_range(visible, offsets)
    current = matches.current_span()
    for start, end in matches.visible(lo, hi):
        segments = visible.segments(offsets.to_utf16(start), offsets.to_utf16(end))
        plan.matches.append(segments)
        if (start, end) == current:
            plan.current_match = segments
