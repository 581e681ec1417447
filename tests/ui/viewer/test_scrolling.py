"""Centring: the scroll-bar value from ``centring_line`` puts the line of a position mid-viewport,
whether the line is deep inside a long wrapped paragraph or below blocks of other heights.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QImage, QTextBlock

from annotator.core.offsets import OffsetMap
from annotator.core.types import ZoneSpec
from annotator.ui.viewer import DocumentViewer
from annotator.ui.viewer.scrolling import centring_line

EnsureLayout = Callable[[QTextBlock], None]
Render = Callable[[DocumentViewer], QImage]

SHORT = "A short paragraph 😀 of one line."
LONG = "A long paragraph that wraps over many lines of the column, sentence after sentence. " * 40


def work() -> tuple[str, list[ZoneSpec]]:
    """Headings, italic notes and story paragraphs: lines of several heights, emoji before targets."""
    parts: list[tuple[str, str]] = []
    for chapter in range(1, 6):
        parts += [("chapter_heading", f"Chapter {chapter}"), ("chapter_notes", "Notes. " * 30)]
        parts += [("story", SHORT)] * 12 + [("story", LONG)] + [("story", SHORT)] * 12
    text = "\n".join(body for _, body in parts)
    zones, at = [], 0
    for kind, body in parts:
        zones.append(ZoneSpec(kind, at, at + len(body), chapter=3))
        at += len(body) + 1
    return text, zones


def centre_offset(viewer: DocumentViewer, render: Render, start: int) -> tuple[float, float]:
    """How far the line of code point ``start`` is from mid-viewport, and that line's height."""
    render(viewer)
    (rect, *_) = viewer.span_rects(start, start + 1)
    return rect.center().y() - viewer.viewport().height() / 2, rect.height()


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(lambda text: text.index("Chapter 3"), id="heading"),
        pytest.param(
            lambda text: text.index("sentence after", text.index("Chapter 2")) + 2000, id="deep-in-long"
        ),
        pytest.param(lambda text: text.rindex("😀", 0, text.index("Chapter 4")), id="after-long"),
    ],
)
def test_the_line_of_the_position_ends_up_mid_viewport(
    viewer: DocumentViewer,
    ensure_layout: EnsureLayout,
    render: Render,
    target: Callable[[str], int],
) -> None:
    text, zones = work()
    viewer.set_document(text, zones)
    start = target(text)
    position = OffsetMap(text).to_utf16(start)
    viewer.verticalScrollBar().setValue(centring_line(viewer, position, ensure_layout))
    offset, height = centre_offset(viewer, render, start)
    assert abs(offset) <= height  # the bar moves a whole line at a time


def test_near_the_start_the_view_stays_at_the_top(
    viewer: DocumentViewer, ensure_layout: EnsureLayout
) -> None:
    text, zones = work()
    viewer.set_document(text, zones)
    assert centring_line(viewer, 0, ensure_layout) == 0
    assert centring_line(viewer, OffsetMap(text).to_utf16(text.index("Notes")), ensure_layout) == 0


def test_scroll_to_span_centres_a_span_far_down_and_back_up(viewer: DocumentViewer, render: Render) -> None:
    text, zones = work()
    viewer.set_document(text, zones)
    for start in (text.rindex("😀"), text.index("😀", len(text) // 3), text.index("Chapter 2")):
        viewer.scroll_to_span(start, start + 5)
        offset, height = centre_offset(viewer, render, start)
        assert abs(offset) <= height, start
