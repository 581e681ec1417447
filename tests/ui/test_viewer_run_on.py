"""The viewer on any run-on text: lines without sentence ends, without spaces, in CJK.

Each kind is shown in bounded display blocks (the old cliff: one block of the whole line), the
blocks show exactly the stored text, the viewer's own line ends carry the return mark, copying
gives the stored text, and a selection dragged across a hard cut is coded with the characters
that were selected.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from annotator.core.display import DEFAULT_TARGET
from annotator.core.types import ImportedDocument
from annotator.services.annotations import list_annotations
from annotator.services.documents import add_document
from annotator.store.project import ProjectStore
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings
from annotator.ui.viewer import DocumentViewer

HAN = "".join(chr(0x4E00 + i * 37) for i in range(97))
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
BOUND = DEFAULT_TARGET * 3 // 2

RUN_ON = {
    "words-without-punctuation": " ".join(["quiet", "river", "stone", "lantern"] * 15_000),
    "one-long-word": LETTERS * 8_000,
    "cjk-with-punctuation": (HAN[:40] + "，" + HAN[40:90] + "。") * 3_000,
    "cjk-without-punctuation": HAN * 3_000,
    "emoji-and-marks": ("cafe\u0301" + "\U0001f469\u200d\U0001f469\u200d\U0001f467" + "\U0001f1eb\U0001f1f7")
    * 30_000,
}


@pytest.fixture
def viewer(qtbot: QtBot) -> DocumentViewer:
    widget = DocumentViewer()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize("kind", list(RUN_ON))
def test_a_run_on_line_is_shown_in_bounded_blocks_of_exactly_its_text(
    viewer: DocumentViewer, kind: str
) -> None:
    text = RUN_ON[kind]
    viewer.set_document(text)
    viewer.viewport().repaint()
    assert viewer.display_break_marks()  # the first screen already ends lines in return marks
    QTest.keyClick(viewer, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # loads the rest
    assert viewer.is_fully_loaded()
    document = viewer.document()
    assert document.blockCount() >= len(text) // BOUND
    block, rebuilt = document.firstBlock(), []
    while block.isValid():
        shown = block.text()
        assert len(shown) <= BOUND + 8  # UTF-16 units: a few astral characters at most
        rebuilt.append(shown)
        end = block.position() + block.length() - 1
        if block.next().isValid() and not viewer.display_map.is_inserted(end):
            rebuilt.append(" ")  # the space the block ended on
        block = block.next()
    assert "".join(rebuilt) == text


def test_copying_across_an_inserted_line_end_gives_the_stored_text(viewer: DocumentViewer) -> None:
    text = RUN_ON["cjk-without-punctuation"]
    viewer.set_document(text)
    viewer.select_span(DEFAULT_TARGET - 20, DEFAULT_TARGET + 20)
    QTest.keyClick(viewer, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == text[DEFAULT_TARGET - 20 : DEFAULT_TARGET + 20]


@pytest.fixture
def run_on_window(
    qtbot: QtBot, seeded_project: ProjectStore, app_settings: AppSettings
) -> Iterator[tuple[MainWindow, int]]:
    """The main window with a punctuation-less, space-less work added to the demo project."""
    doc = add_document(seeded_project, ImportedDocument("No Full Stops", "text", RUN_ON["one-long-word"]))
    win = MainWindow(app_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_store(seeded_project)
    win.activateWindow()
    yield win, doc.id
    win.close()


def test_coding_a_selection_dragged_across_a_hard_cut_stores_the_selected_characters(
    run_on_window: tuple[MainWindow, int], qtbot: QtBot
) -> None:
    window, doc_id = run_on_window
    ws = window.workspace
    assert ws is not None and ws.open_document(doc_id)
    viewer = ws.pane.viewer
    viewer.viewport().repaint()
    text = RUN_ON["one-long-word"]
    cut = DEFAULT_TARGET  # the line has nothing to break at: the first block is cut hard here
    assert viewer.display_map.is_inserted(viewer.display_map.to_utf16(cut) - 1)
    before = viewer.span_rects(cut - 7, cut - 6)[0]
    after = viewer.span_rects(cut + 5, cut + 6)[0]
    assert after.top() > before.top()  # on the next line, below the cut
    press = QPoint(int(before.left() + 1), int(before.center().y()))
    release = QPoint(int(after.right() - 1), int(after.center().y()))
    port = viewer.viewport()
    alt = Qt.KeyboardModifier.AltModifier  # exactly as dragged: no growing to the (huge) word
    QTest.mousePress(port, Qt.MouseButton.LeftButton, alt, press)
    QTest.mouseMove(port, release)
    QTest.mouseRelease(port, Qt.MouseButton.LeftButton, alt, release)
    selected = viewer.textCursor().selectedText()  # what Qt shows selected: a U+2029 at the cut
    assert "\u2029" in selected
    assert viewer.selected_span() == (cut - 7, cut + 6)
    viewer.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_1)  # apply the first code
    [annotation] = list_annotations(ws.session.store, doc_id)
    assert (annotation.start, annotation.end) == (cut - 7, cut + 6)
    assert annotation.quote == selected.replace("\u2029", "") == text[cut - 7 : cut + 6]
    assert viewer.highlight(annotation.id) is not None
