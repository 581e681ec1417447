"""Paint plans: the visible lines of a real viewer, their code-point range, and only the highlights
and find matches that touch it (the dragged one at its dragged span).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QTextBlock

from annotator.core.offsets import OffsetMap
from annotator.ui.viewer import DocumentViewer, Highlight
from annotator.ui.viewer.find import FindMatches
from annotator.ui.viewer.geometry import VisibleLines
from annotator.ui.viewer.highlight import HighlightSet
from annotator.ui.viewer.interaction import HandleDrag
from annotator.ui.viewer.painter import PaintPlan
from annotator.ui.viewer.plan import code_point_range, place_highlights, place_matches, visible_lines

LINE = "Paragraph {} 😀 holds a few words, enough for a line or two of the column."
TEXT = "\n".join(LINE.format(i) for i in range(300))
RED = "#ff0000"
EnsureLayout = Callable[[QTextBlock], None]


def scrolled_to(viewer: DocumentViewer, paragraph: int, ensure_layout: EnsureLayout) -> VisibleLines:
    viewer.set_document(TEXT)
    viewer.scroll_to_span(TEXT.index(f"Paragraph {paragraph} "), TEXT.index(f"Paragraph {paragraph} ") + 1)
    return visible_lines(viewer, ensure_layout)


def plan_for(viewer: DocumentViewer, visible: VisibleLines) -> PaintPlan:
    return PaintPlan(visible, viewer.palette(), 0.0, float(viewer.viewport().width()))


def test_visible_lines_run_in_order_from_the_first_visible_block_to_the_viewport_bottom(
    viewer: DocumentViewer, ensure_layout: EnsureLayout
) -> None:
    visible = scrolled_to(viewer, 150, ensure_layout)
    assert visible.blocks[0].block == viewer.firstVisibleBlock()
    assert visible.blocks[0].block.blockNumber() > 100
    numbers = [b.block.blockNumber() for b in visible.blocks]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    tops = [line.top for line in visible.lines]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    height = viewer.viewport().height()
    assert visible.blocks[0].top <= 0 < visible.blocks[0].bottom
    assert visible.blocks[-1].top <= height <= visible.blocks[-1].bottom
    assert all(line.end >= line.start for line in visible.lines)


def test_the_visible_range_is_in_code_points_of_the_stored_text(
    viewer: DocumentViewer, ensure_layout: EnsureLayout
) -> None:
    visible = scrolled_to(viewer, 150, ensure_layout)
    lo, hi = code_point_range(visible, OffsetMap(TEXT))
    first, last = visible.blocks[0].block, visible.blocks[-1].block
    assert TEXT[lo : lo + len(first.text())] == first.text()  # 150 emoji before it: not UTF-16
    last_end = OffsetMap(TEXT).to_code_point(visible.lines[-1].end)
    assert last_end < hi <= last_end + 2  # the character after the last line is in range too
    assert TEXT[last_end - len(last.text()) : last_end] == last.text()


def test_only_visible_highlights_are_placed_and_the_dragged_one_at_its_new_span(
    viewer: DocumentViewer, ensure_layout: EnsureLayout
) -> None:
    visible = scrolled_to(viewer, 150, ensure_layout)
    offsets = OffsetMap(TEXT)
    lo, hi = code_point_range(visible, offsets)
    middle = (lo + hi) // 2
    highlights = HighlightSet(
        [
            Highlight(1, 0, 20, RED),  # at the very top of the text, far above
            Highlight(2, lo - 500, lo + 10, RED),  # begins above the viewport
            Highlight(3, middle, middle + 30, RED),
            Highlight(4, hi + 100, hi + 200, RED),  # below
        ]
    )
    drag = HandleDrag(3, middle, middle + 30, moving_start=False)
    drag.move_to(middle + 60)
    plan = plan_for(viewer, visible)
    place_highlights(plan, offsets, highlights, 3, drag)
    placed = {p.highlight.annotation_id: p for p in plan.placed}
    assert set(placed) == {2, 3}
    assert plan.selected is placed[3]
    assert placed[3].segments == visible.segments(offsets.to_utf16(middle), offsets.to_utf16(middle + 60))
    assert placed[2].segments[0][0] is visible.lines[0]  # clipped to the first visible line


def test_only_visible_matches_are_placed_and_the_current_one_is_marked(
    viewer: DocumentViewer, ensure_layout: EnsureLayout
) -> None:
    visible = scrolled_to(viewer, 150, ensure_layout)
    offsets = OffsetMap(TEXT)
    lo, hi = code_point_range(visible, offsets)
    matches = FindMatches()
    found = viewer.find_all("😀 holds")
    matches.set(found)
    on_screen = [m for m in found if m[1] > lo and m[0] < hi]
    assert 0 < len(on_screen) < len(found)
    matches.current = found.index(on_screen[1])
    plan = plan_for(viewer, visible)
    place_matches(plan, offsets, matches)
    assert plan.matches == [visible.segments(offsets.to_utf16(s), offsets.to_utf16(e)) for s, e in on_screen]
    assert plan.current_match == plan.matches[1]
    matches.current = 0  # the first match, far above: nothing marked here
    plan = plan_for(viewer, visible)
    place_matches(plan, offsets, matches)
    assert plan.current_match is None and len(plan.matches) == len(on_screen)


def test_a_crowded_screen_draws_the_first_lanes_one_by_one_and_the_rest_as_shading(
    viewer: DocumentViewer, ensure_layout: EnsureLayout
) -> None:
    from annotator.ui.viewer.painter import CROWD, SHOWN_LANES

    visible = scrolled_to(viewer, 150, ensure_layout)
    offsets = OffsetMap(TEXT)
    lo, _hi = code_point_range(visible, offsets)
    # Many more overlapping highlights than the screen can show one by one, all over one stretch.
    count = CROWD * 3
    many = [Highlight(i, lo + i % 40, lo + 60 + i % 50, RED) for i in range(1, count + 1)]
    highlights = HighlightSet(many)
    deepest = max(many, key=lambda h: h.annotation_id)  # a late one: far beyond the shown lanes
    plan = plan_for(viewer, visible)
    place_highlights(plan, offsets, highlights, deepest.annotation_id, None)
    lanes = {p.highlight.annotation_id: p.lane for p in plan.placed}
    assert len(lanes) < count // 10  # only the first lanes, not every highlight
    assert {lane for aid, lane in lanes.items() if aid != deepest.annotation_id} <= set(range(SHOWN_LANES))
    assert plan.selected is not None and plan.selected.highlight == deepest  # the selected one always
    assert plan.crowded, "crowded text is shaded"
    shaded = [(box.start, x1, x2) for segments, _ in plan.crowded for box, x1, x2 in segments]
    assert shaded and all(depth > SHOWN_LANES for _, depth in plan.crowded)
    assert max(depth for _, depth in plan.crowded) == count  # every highlight overlaps [lo+49, lo+60)
    assert plan.line_depths and plan.line_depths[0][1] == count  # the margin names how many


def test_a_screen_with_few_highlights_draws_each_of_them(
    viewer: DocumentViewer, ensure_layout: EnsureLayout
) -> None:
    visible = scrolled_to(viewer, 150, ensure_layout)
    offsets = OffsetMap(TEXT)
    lo, _ = code_point_range(visible, offsets)
    stacked = [Highlight(i, lo, lo + 30, RED) for i in range(1, 21)]  # 20 lanes, under the crowd limit
    plan = plan_for(viewer, visible)
    place_highlights(plan, offsets, HighlightSet(stacked), None, None)
    assert len(plan.placed) == 20 and not plan.crowded and not plan.line_depths
