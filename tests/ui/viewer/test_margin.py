"""The lane margin: one bar per lane in the gutter left of the text, beside exactly the lines its
highlight covers, in the highlight's stroke colour.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from PySide6.QtGui import QImage

from annotator.ui.viewer import DocumentViewer, Highlight, colours
from annotator.ui.viewer.margin import BAR_STEP, BAR_WIDTH, GAP, GUTTER, MAX_LANES, bar_x

Render = Callable[[DocumentViewer], QImage]
TEXT = "\n".join(
    f"Paragraph {i} of the margin test, long enough to wrap onto a second line of text." * 3
    for i in range(12)
)
RED, BLUE = "#d62828", "#1c5bd6"


def test_lanes_step_outwards_from_the_text_and_stay_inside_the_gutter() -> None:
    left = 200.0
    xs = [bar_x(left, lane) for lane in range(MAX_LANES + 3)]
    assert xs[0] == left - GAP - BAR_WIDTH
    assert all(a - b == BAR_STEP for a, b in pairwise(xs[:MAX_LANES]))
    assert xs[MAX_LANES - 1] == xs[MAX_LANES] == xs[-1]  # extra lanes share the outermost place
    assert min(xs) >= left - GUTTER and max(xs) + BAR_WIDTH < left


def test_a_bar_runs_beside_exactly_the_lines_of_its_highlight(viewer: DocumentViewer, render: Render) -> None:
    viewer.set_document(TEXT)
    second = TEXT.index("Paragraph 1 ")
    long_one = Highlight(1, 5, second + 30, RED)  # from the first paragraph into the second
    inner = Highlight(2, 40, 60, BLUE)  # overlaps it: the next lane
    viewer.set_highlights([long_one, inner])
    image = render(viewer)
    scale = image.devicePixelRatio()
    rects = viewer.span_rects(long_one.start, long_one.end)
    column_left = viewer.span_rects(0, 1)[0].left()  # a paragraph's first line starts at the column
    red, blue = colours.stroke(RED, False, False), colours.stroke(BLUE, False, False)

    def colour_at(lane: int, y: float) -> int:
        x = bar_x(column_left, lane) + BAR_WIDTH / 2
        return image.pixelColor(int(x * scale), int(y * scale)).rgb()

    for rect in rects:  # every line, the gap between the paragraphs too
        assert colour_at(0, rect.center().y()) == red.rgb()
    assert colour_at(0, (rects[0].bottom() + rects[-1].top()) / 2) == red.rgb()
    assert colour_at(0, rects[-1].bottom() + 4) != red.rgb()
    (inner_rect,) = viewer.span_rects(inner.start, inner.end)
    assert colour_at(1, inner_rect.center().y()) == blue.rgb()
    assert colour_at(1, rects[-1].center().y()) != blue.rgb()  # only beside its own line


def test_a_crowded_line_names_how_many_highlights_overlap_it() -> None:
    from annotator.ui.viewer.margin import crowd_label

    assert [crowd_label(n) for n in (7, 999, 1_000, 10_500, 250_000)] == ["7", "999", "1k", "10k", "99k+"]
