"""Painting, checked pixel by pixel on offscreen renders of a real viewer: highlight fills in the
code colour on exactly the span, underlines per lane, find matches, selection handles, zone tints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPalette, QTextBlock

from annotator.core.types import ZoneSpec
from annotator.ui.app import make_palette
from annotator.ui.viewer import DocumentViewer, Highlight, colours
from annotator.ui.viewer.painter import underline_y
from annotator.ui.viewer.plan import visible_lines
from annotator.ui.viewer.zones import paratext_tint

EnsureLayout = Callable[[QTextBlock], None]
Render = Callable[[DocumentViewer], QImage]
TEXT = ("Plain words to colour in a short test document, with 😀 emoji before the spans. " * 30).strip()
RED, BLUE = "#d62828", "#1c5bd6"


def dominant(image: QImage, rect: QRectF) -> QColor:
    """The most common colour inside ``rect`` (logical pixels): the background, not the glyphs."""
    scale = image.devicePixelRatio()
    counts = Counter(
        image.pixelColor(x, y).rgb()
        for x in range(int(rect.left() * scale) + 2, int(rect.right() * scale) - 1)
        for y in range(int(rect.top() * scale) + 1, int(rect.bottom() * scale) - 1)
    )
    return QColor.fromRgb(counts.most_common(1)[0][0])


def pixel(image: QImage, x: float, y: float) -> QColor:
    scale = image.devicePixelRatio()
    return image.pixelColor(int(x * scale), int(y * scale))


def over(top: QColor, bottom: QColor) -> QColor:
    a = top.alphaF()
    return QColor.fromRgbF(
        *(t * a + b * (1 - a) for t, b in zip(top.getRgbF()[:3], bottom.getRgbF()[:3], strict=True))
    )


def close(a: QColor, b: QColor, tolerance: int = 3) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_highlight_is_filled_in_its_code_colour_on_exactly_its_span(
    viewer: DocumentViewer, render: Render, dark: bool
) -> None:
    viewer.setPalette(make_palette(dark))
    viewer.set_document(TEXT)
    start = TEXT.index("😀") + 2  # after an emoji: code points, not UTF-16 units
    viewer.set_highlights([Highlight(1, start, start + 15, RED)])
    image = render(viewer)
    base = viewer.palette().color(QPalette.ColorRole.Base)
    (inside,) = viewer.span_rects(start, start + 15)
    (before,) = viewer.span_rects(start - 12, start - 1)
    (after,) = viewer.span_rects(start + 16, start + 28)
    assert close(dominant(image, inside), over(colours.fill(RED, False, dark), base))
    assert close(dominant(image, before), base) and close(dominant(image, after), base)


def test_each_lane_is_underlined_in_its_stroke_colour_and_another_coders_more_faintly(
    viewer: DocumentViewer, render: Render, ensure_layout: EnsureLayout
) -> None:
    viewer.set_document(TEXT)
    viewer.set_highlights(
        [Highlight(1, 10, 40, RED), Highlight(2, 20, 50, BLUE), Highlight(3, 60, 70, BLUE, dimmed=True)]
    )
    image = render(viewer)
    box = visible_lines(viewer, ensure_layout).lines[0]
    base = viewer.palette().color(QPalette.ColorRole.Base)
    x = viewer.span_rects(25, 35)[0].center().x()  # both highlights here: lanes 0 and 1
    red, blue = colours.stroke(RED, False, False), colours.stroke(BLUE, False, False)
    for lane, colour in ((0, red), (1, blue)):
        y = underline_y(box, lane)
        assert close(pixel(image, x, y), colour) and close(pixel(image, x, y + 1), colour)
    assert not close(pixel(image, x, underline_y(box, 1) + 2), blue)
    x = viewer.span_rects(62, 68)[0].center().x()
    y = underline_y(box, 0)
    faint = pixel(image, x, y)
    assert not close(faint, blue) and faint.lightness() > blue.lightness()
    assert faint.blue() > faint.red() + 40  # still recognisably the code's colour
    assert close(pixel(image, x, y + 1), over(colours.fill(BLUE, True, False), base), 6)  # one px high


def test_find_matches_are_marked_and_the_current_one_outlined(viewer: DocumentViewer, render: Render) -> None:
    viewer.set_document(TEXT)
    matches = viewer.find_all("colour")
    viewer.set_find_matches(matches)
    current = viewer.find_next()
    assert current == matches[0]
    image = render(viewer)
    base = viewer.palette().color(QPalette.ColorRole.Base)
    (other,) = viewer.span_rects(*matches[1])
    assert close(dominant(image, other), over(colours.find_fill(False), base))
    (rect,) = viewer.span_rects(*current)
    outline = pixel(image, rect.left() - 1, rect.center().y())
    assert close(outline, colours.find_outline(), 40)
    assert not close(pixel(image, other.left() - 1, other.center().y()), colours.find_outline(), 40)


def test_the_selected_highlight_gets_handles_where_they_can_be_grabbed(
    viewer: DocumentViewer, render: Render
) -> None:
    viewer.set_document(TEXT)
    viewer.set_highlights([Highlight(1, 10, 40, RED), Highlight(2, 100, 130, BLUE)])
    viewer.set_selected_annotation(1)
    image = render(viewer)
    handles = viewer.handle_rects()
    assert handles is not None
    (rect,) = viewer.span_rects(10, 40)
    knob_colour = colours.stroke(RED, False, False)
    start_knob = handles[0].center().x(), handles[0].top() + 5.0
    assert close(pixel(image, *start_knob), knob_colour, 10)
    assert abs(start_knob[0] - rect.left()) <= 1
    end_knob = handles[1].center().x(), handles[1].bottom() - 5.0
    assert close(pixel(image, *end_knob), knob_colour, 10)
    assert abs(end_knob[0] - rect.right()) <= 1
    (unselected,) = viewer.span_rects(100, 130)
    assert not close(
        pixel(image, unselected.left(), unselected.top() - 5.0), colours.stroke(BLUE, False, False), 40
    )


def test_paratext_sits_on_a_tinted_panel_and_story_text_on_the_base(
    viewer: DocumentViewer, render: Render
) -> None:
    notes = "Author's notes: thanks for reading, and for every comment. " * 3
    story = "Once upon a time the story began, and it went on. " * 20
    text = f"{notes}\n{story}"
    viewer.set_document(
        text, [ZoneSpec("notes", 0, len(notes)), ZoneSpec("story", len(notes) + 1, len(text))]
    )
    image = render(viewer)
    palette = viewer.palette()
    (notes_line, *_) = viewer.span_rects(0, len(notes))
    (story_line, *_) = viewer.span_rects(len(notes) + 1, len(text))
    # Left of the text, inside the panel's margin: no glyph there.
    margin = QRectF(notes_line.left() - 8, notes_line.top(), 6, notes_line.height())
    assert close(dominant(image, margin), paratext_tint(palette))
    story_margin = QRectF(story_line.left() - 8, story_line.top(), 6, story_line.height())
    assert close(dominant(image, story_margin), palette.base().color())
    assert close(dominant(image, story_line), palette.base().color())
    assert notes_line.left() > story_line.left()  # the notes are inset
