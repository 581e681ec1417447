"""Display breaks made visible: a line the viewer broke continues at line spacing and ends in a faint
return mark that explains itself; the work's own paragraph breaks keep their space; copying gives
the work's text, spaces and all."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QToolTip
from pytestqt.qtbot import QtBot

from annotator.core.display import display_breaks
from annotator.ui.viewer import DocumentViewer
from annotator.ui.viewer.soft_breaks import EXPLANATION, mark_colour

from .conftest import Render

SENTENCE = "A run-on sentence that goes on for a good while before it stops. "
# Two paragraphs of the work, each a run-on line the viewer breaks at sentence ends.
TEXT = (SENTENCE * 14).strip() + "\n" + (SENTENCE * 14).strip()
DISPLAY_BREAK = display_breaks(TEXT)[0] - 1  # the space shown as a line end
PARAGRAPH_BREAK = TEXT.index("\n")


def top_of(viewer: DocumentViewer, position: int) -> float:
    """Top of the line showing the character at ``position``."""
    return viewer.span_rects(position, position + 1)[0].top()


def test_a_display_break_continues_at_line_spacing_and_a_paragraph_break_keeps_its_space(
    viewer: DocumentViewer, render: Render
) -> None:
    viewer.set_document(TEXT)
    render(viewer)
    assert DISPLAY_BREAK < PARAGRAPH_BREAK
    wrapped = [r.top() for r in viewer.span_rects(0, DISPLAY_BREAK)]  # one rectangle per line
    assert len(wrapped) >= 3
    line_step = wrapped[1] - wrapped[0]
    assert abs(wrapped[2] - wrapped[1] - line_step) < 0.5
    across_display_break = top_of(viewer, DISPLAY_BREAK + 1) - top_of(viewer, DISPLAY_BREAK - 1)
    across_paragraph = top_of(viewer, PARAGRAPH_BREAK + 1) - top_of(viewer, PARAGRAPH_BREAK - 1)
    assert abs(across_display_break - line_step) < 1.0  # no paragraph space the work lacks
    assert across_paragraph > line_step + 8  # the work's own paragraph break shows


def ink(image: QImage, rect: QRectF, colour: QColor) -> int:
    """Pixels of ``image`` inside ``rect`` (logical px) close to ``colour``."""
    scale = image.devicePixelRatio()
    found = 0
    for x in range(int(rect.left() * scale), int(rect.right() * scale) + 1):
        for y in range(int(rect.top() * scale), int(rect.bottom() * scale) + 1):
            pixel = image.pixelColor(x, y)
            if all(abs(a - b) <= 40 for a, b in zip(pixel.getRgb()[:3], colour.getRgb()[:3], strict=True)):
                found += 1
    return found


def test_the_line_before_a_display_break_ends_in_a_faint_mark_that_explains_itself(
    viewer: DocumentViewer, render: Render
) -> None:
    viewer.set_document(TEXT)
    image = render(viewer)
    marks = viewer.display_break_marks()
    before_break = viewer.span_rects(DISPLAY_BREAK - 1, DISPLAY_BREAK)[0]
    [mark] = [m for m in marks if abs(m.center().y() - before_break.center().y()) < before_break.height() / 2]
    assert before_break.right() < mark.left() < before_break.right() + 12  # just after the text
    colour = mark_colour(viewer.palette())
    assert ink(image, mark.adjusted(-1, -1, 1, 1), colour) >= 4
    # The work's own line end gets no mark, and neither does a line that merely wraps.
    for position in (PARAGRAPH_BREAK - 1, 10):
        line = viewer.span_rects(position, position + 1)[0]
        assert not any(abs(m.center().y() - line.center().y()) < line.height() / 2 for m in marks)
    # Faint: nearer the background than the text is.
    base = viewer.palette().color(QPalette.ColorRole.Base).lightness()
    text = viewer.palette().color(QPalette.ColorRole.Text).lightness()
    assert abs(colour.lightness() - base) < abs(text - base)

    point = mark.center().toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewer.viewport().mapToGlobal(point))
    QApplication.sendEvent(viewer.viewport(), event)
    assert QToolTip.text() == EXPLANATION
    assert viewer.tooltip_text_at(QPointF(mark.center().x(), mark.center().y() + 60)) == ""


def test_copying_gives_the_works_text_with_its_spaces_not_the_viewers_line_breaks(
    viewer: DocumentViewer, qtbot: QtBot, render: Render
) -> None:
    viewer.set_document(TEXT)
    render(viewer)
    viewer.setFocus()
    before = viewer.span_rects(DISPLAY_BREAK - 8, DISPLAY_BREAK - 7)[0].center().toPoint()
    after = viewer.span_rects(DISPLAY_BREAK + 5, DISPLAY_BREAK + 6)[0].center().toPoint()
    QTest.mousePress(viewer.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, before)
    QTest.mouseMove(viewer.viewport(), (before + after) / 2)
    QTest.mouseMove(viewer.viewport(), after)
    QTest.mouseRelease(viewer.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, after)
    selected = viewer.selected_text()
    assert TEXT[DISPLAY_BREAK - 3 : DISPLAY_BREAK + 3] in selected
    qtbot.keyClick(viewer, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == selected and "\n" not in selected
    qtbot.keyClick(viewer, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(viewer, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == TEXT  # the one real line end survives


def test_copy_from_the_context_menu_gives_the_works_text_too(
    viewer: DocumentViewer, qtbot: QtBot, render: Render
) -> None:
    viewer.set_document(TEXT)
    render(viewer)
    viewer.select_span(DISPLAY_BREAK - 6, DISPLAY_BREAK + 8)
    QApplication.clipboard().setText("something else")
    clicked: list[str] = []

    def click_copy() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        [copy] = [a for a in menu.actions() if a.objectName() == "edit-copy"]
        clicked.append(copy.text())
        QTest.mouseClick(
            menu,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            menu.actionGeometry(copy).center(),
        )

    QTimer.singleShot(0, click_copy)  # runs inside the menu's own event loop
    point = viewer.span_rects(DISPLAY_BREAK - 3, DISPLAY_BREAK - 2)[0].center().toPoint()
    handle = viewer.window().windowHandle()
    at = viewer.viewport().mapTo(viewer.window(), point)
    QTest.mousePress(handle, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, at)
    QTest.mouseRelease(handle, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, at)
    qtbot.waitUntil(lambda: bool(clicked))
    assert QApplication.clipboard().text() == TEXT[DISPLAY_BREAK - 6 : DISPLAY_BREAK + 8]
