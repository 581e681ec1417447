"""``MouseController`` through real mouse events on a viewer's viewport: a click selects the
innermost highlight and cycles through a stack, a click off every highlight clears the selection, a
drag selects text and leaves it alone, and dragging a handle asks for a new span."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from annotator.ui.viewer import DocumentViewer, Highlight

Render = Callable[[DocumentViewer], QImage]  # the ``render`` fixture: paint now, return the picture

TEXT = ("Plain words to colour in a short test document. " * 40).strip()
OUTER = Highlight(1, 6, 40, "#ff0000", "Fear", "alice", "the outer one")
INNER = Highlight(2, 20, 60, "#0000ff", "Power", "bob", "")
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def shown(viewer: DocumentViewer, render: Render) -> DocumentViewer:
    """Two overlapping highlights (6–40 and 20–60), painted once so clicks can find them."""
    viewer.set_document(TEXT)
    viewer.set_highlights([OUTER, INNER])
    render(viewer)
    return viewer


def centre(viewer: DocumentViewer, start: int, end: int) -> QPoint:
    rect = viewer.span_rects(start, end)[0]
    return QPoint(int(rect.center().x()), int(rect.center().y()))


def test_a_click_on_a_highlight_selects_it_and_says_so(shown: DocumentViewer, qtbot: QtBot) -> None:
    with (
        qtbot.waitSignal(shown.selectedAnnotationChanged) as changed,
        qtbot.waitSignal(shown.annotationClicked) as clicked,
    ):
        qtbot.mouseClick(shown.viewport(), LEFT, pos=centre(shown, 8, 18))  # the outer one only
    assert changed.args == [1] and clicked.args == [1]
    assert shown.selected_annotation_id == 1
    assert shown.handle_rects() is None  # handles appear with the next paint


def test_clicks_on_overlapping_highlights_pick_the_innermost_then_cycle(
    shown: DocumentViewer, qtbot: QtBot, render: Render
) -> None:
    both = centre(shown, 22, 38)
    picked = []
    for _ in range(3):
        qtbot.mouseClick(shown.viewport(), LEFT, pos=both)
        picked.append(shown.selected_annotation_id)
        render(shown)
    assert picked == [1, 2, 1]  # 6–40 is shorter than 20–60


def test_a_click_off_every_highlight_clears_the_selection(shown: DocumentViewer, qtbot: QtBot) -> None:
    qtbot.mouseClick(shown.viewport(), LEFT, pos=centre(shown, 8, 18))
    assert shown.selected_annotation_id == 1
    with (
        qtbot.waitSignal(shown.selectedAnnotationChanged) as changed,
        qtbot.assertNotEmitted(shown.annotationClicked),
    ):
        qtbot.mouseClick(shown.viewport(), LEFT, pos=centre(shown, 80, 90))
    assert changed.args == [None] and shown.selected_annotation_id is None


def test_a_drag_selects_text_and_keeps_the_selected_annotation(shown: DocumentViewer, qtbot: QtBot) -> None:
    qtbot.mouseClick(shown.viewport(), LEFT, pos=centre(shown, 8, 18))
    start = shown.span_rects(70, 71)[0]
    end = shown.span_rects(95, 96)[0]
    with qtbot.assertNotEmitted(shown.selectedAnnotationChanged):
        qtbot.mousePress(shown.viewport(), LEFT, pos=QPoint(int(start.left()), int(start.center().y())))
        qtbot.mouseMove(shown.viewport(), pos=QPoint(int(end.left()), int(end.center().y())))
        qtbot.mouseRelease(shown.viewport(), LEFT, pos=QPoint(int(end.left()), int(end.center().y())))
    assert shown.selected_span() == (70, 95)
    assert shown.selected_annotation_id == 1


def test_dragging_the_end_handle_asks_for_a_new_span(
    shown: DocumentViewer, qtbot: QtBot, render: Render
) -> None:
    qtbot.mouseClick(shown.viewport(), LEFT, pos=centre(shown, 8, 18))
    render(shown)
    rects = shown.handle_rects()
    assert rects is not None
    handle = rects[1].center().toPoint()
    qtbot.mouseMove(shown.viewport(), pos=handle)
    assert shown.viewport().cursor().shape() == Qt.CursorShape.SizeHorCursor
    target_rect = shown.span_rects(50, 51)[0]
    target = QPoint(int(target_rect.left()), int(target_rect.center().y()))
    with qtbot.waitSignal(shown.spanEditRequested) as edit:
        qtbot.mousePress(shown.viewport(), LEFT, pos=handle)
        qtbot.mouseMove(shown.viewport(), pos=target)
        qtbot.mouseRelease(shown.viewport(), LEFT, pos=target)
    assert edit.args == [1, 6, 50]
    assert shown.highlight(1) == OUTER  # the viewer waits for the change to come back
    assert shown.selected_annotation_id == 1
    qtbot.mouseMove(shown.viewport(), pos=centre(shown, 80, 90))
    assert shown.viewport().cursor().shape() == Qt.CursorShape.IBeamCursor
