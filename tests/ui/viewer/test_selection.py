"""Selecting with the mouse: a drag grows to whole words on release, either way round; holding Alt,
or turning snapping off, keeps exactly what was dragged; offsets stay in code points."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from annotator.ui.viewer import DocumentViewer

from .conftest import Render

TEXT = "Kudos are appreciated, as well as comments 😀 on the café\u0301 scene. " * 6
NO = Qt.KeyboardModifier.NoModifier
ALT = Qt.KeyboardModifier.AltModifier


def inside(viewer: DocumentViewer, position: int) -> QPoint:
    """A point inside the character at code point ``position``, a little right of its left edge."""
    rect = viewer.span_rects(position, position + 1)[0]
    return QPoint(int(rect.left() + min(3.0, rect.width() / 2)), int(rect.center().y()))


def drag(viewer: DocumentViewer, start: int, end: int, modifiers: Qt.KeyboardModifier = NO) -> None:
    """Press inside character ``start``, move, release inside character ``end``."""
    a, b = inside(viewer, start), inside(viewer, end)
    QTest.mousePress(viewer.viewport(), Qt.MouseButton.LeftButton, modifiers, a)
    QTest.mouseMove(viewer.viewport(), (a + b) / 2)
    QTest.mouseMove(viewer.viewport(), b)
    QTest.mouseRelease(viewer.viewport(), Qt.MouseButton.LeftButton, modifiers, b)


@pytest.fixture
def shown(viewer: DocumentViewer, render: Render) -> DocumentViewer:
    viewer.set_document(TEXT)
    render(viewer)
    return viewer


def test_a_drag_from_inside_one_word_to_inside_another_selects_the_whole_words(
    shown: DocumentViewer,
) -> None:
    spans: list[tuple[int, int]] = []
    shown.selectionSpanChanged.connect(lambda start, end: spans.append((start, end)))
    start, end = TEXT.index("udos"), TEXT.index("ell as")
    drag(shown, start, end)
    assert shown.selected_text() == "Kudos are appreciated, as well"
    assert spans[-1] == (0, len("Kudos are appreciated, as well"))  # what the status bar last heard


def test_a_backward_drag_snaps_too_and_keeps_its_direction(shown: DocumentViewer) -> None:
    start, end = TEXT.index("ments"), TEXT.index("ppreciated")
    drag(shown, start, end)
    assert shown.selected_text() == "appreciated, as well as comments"
    cursor = shown.textCursor()
    assert cursor.position() < cursor.anchor()  # shift+arrows go on from where the mouse was


def test_words_with_emoji_and_combining_marks_snap_in_code_points(shown: DocumentViewer) -> None:
    start = TEXT.index("on the")
    end = TEXT.index("café\u0301") + 2
    drag(shown, start, end)
    assert shown.selected_text() == "on the café\u0301"
    span = shown.selected_span()
    assert span is not None and TEXT[span[0] : span[1]] == "on the café\u0301"


def test_holding_alt_selects_exactly_what_was_dragged(shown: DocumentViewer) -> None:
    start, end = TEXT.index("udos"), TEXT.index("ell as")
    drag(shown, start, end, ALT)
    selected = shown.selected_text()
    assert selected.startswith("udos") or selected.startswith("dos")  # from where the press landed
    assert selected.endswith("w") or selected.endswith("we")


def test_with_snapping_off_a_drag_keeps_its_ends(shown: DocumentViewer) -> None:
    shown.snap_to_words = False
    start, end = TEXT.index("udos"), TEXT.index("ell as")
    drag(shown, start, end)
    assert not shown.selected_text().startswith("Kudos") and not shown.selected_text().endswith("well")


def test_a_click_selects_nothing_and_a_double_click_still_selects_one_word(shown: DocumentViewer) -> None:
    point = inside(shown, TEXT.index("preciated"))
    QTest.mouseClick(shown.viewport(), Qt.MouseButton.LeftButton, NO, point)
    assert shown.selected_span() is None
    QTest.mouseDClick(shown.viewport(), Qt.MouseButton.LeftButton, NO, point)
    QTest.mouseRelease(shown.viewport(), Qt.MouseButton.LeftButton, NO, point)
    assert shown.selected_text() == "appreciated"


COPY_AND_QUIT = """
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from annotator.ui.viewer import DocumentViewer
app = QApplication([])
keep = []  # as pytest-qt keeps its application: Qt's exit handlers free the clipboard's data
for n in range(4):
    viewer = DocumentViewer()
    viewer.set_document(f"Copy {n}. " * 200)
    for _ in range(2):
        QTest.keyClick(viewer, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(viewer, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    viewer.deleteLater()
    app.processEvents()
print(app.clipboard().text()[:8])
keep.append(app)
"""


def test_copying_again_and_again_then_quitting_frees_the_clipboard_data_once() -> None:
    # Run apart: data freed twice shows only as the process dying after the app has quit.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", COPY_AND_QUIT], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "Copy 3."
