"""Progressive loading: the text arrives whole, in order, a display block never split, then
``finished``; ``ensure`` loads ahead synchronously; idle steps run in order and can be replaced.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from annotator.core.display import DisplayMap, display_breaks, display_text
from annotator.core.types import ZoneSpec
from annotator.ui.viewer import DocumentViewer, loading
from annotator.ui.viewer.loading import LOOKAHEAD, IdleSteps, ProgressiveLoader, TextFeed, needs_whole_text

PARAGRAPH = "A run-on paragraph 😀 with cafe\u0301 in it. It goes on. And on, for a while yet! " * 12
EM = 20.0


def work(paragraphs: int) -> tuple[str, list[ZoneSpec]]:
    """Run-on paragraphs with emoji; chapter notes over the last tenth, labelled "Chapter 2 notes"."""
    text = "\n".join(PARAGRAPH for _ in range(paragraphs))
    notes = text.index("\n", len(text) * 9 // 10) + 1
    zones = [ZoneSpec("story", 0, notes - 1), ZoneSpec("chapter_notes", notes, len(text), chapter=2)]
    return text, zones


@pytest.fixture
def editor(qtbot: QtBot) -> QPlainTextEdit:
    widget = QPlainTextEdit()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    return widget


def test_a_feed_appends_whole_display_blocks_in_order(
    editor: QPlainTextEdit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "FIRST_CHUNK", 5_000)
    text, zones = work(60)
    shown = display_text(text, display_breaks(text, zones))
    feed = TextFeed(editor, text, zones, DisplayMap(text), EM)
    steps = [feed.loaded_to]
    while not feed.is_done():
        assert shown[feed.loaded_to] == "\n"  # a chunk ends where a display block does
        assert editor.document().toPlainText() == shown[: feed.loaded_to]
        feed.load(4_000)
        steps.append(feed.loaded_to)
    assert len(steps) > 5 and steps == sorted(set(steps))
    assert feed.loaded_to == len(text)
    assert editor.document().toPlainText() == shown
    assert list(feed.labels.values()) == ["Chapter 2 notes"]


def test_the_loader_delivers_the_whole_text_then_finished(
    editor: QPlainTextEdit, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "FIRST_CHUNK", 5_000)
    monkeypatch.setattr(loading, "MAX_CHUNK", 20_000)
    text, zones = work(200)
    loader = ProgressiveLoader(editor)
    labels = loader.start(text, zones, DisplayMap(text), EM)
    assert not loader.is_done() and loader.loaded_to() < len(text) // 4
    assert labels == {}  # the notes are near the end: not loaded yet
    with qtbot.waitSignal(loader.finished, timeout=20_000):
        pass
    assert loader.is_done() and loader.loaded_to() == len(text)
    assert editor.document().toPlainText() == display_text(text, display_breaks(text, zones))
    assert list(labels.values()) == ["Chapter 2 notes"]  # the same dict, filled as chunks came


def test_ensure_loads_up_to_a_position_and_a_few_screens_beyond(
    editor: QPlainTextEdit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "FIRST_CHUNK", 5_000)
    text, zones = work(200)
    loader = ProgressiveLoader(editor)
    loader.start(text, zones, DisplayMap(text), EM)
    far = len(text) // 2
    loader.ensure(far)
    assert far + LOOKAHEAD <= loader.loaded_to() < len(text)
    shown = display_text(text, display_breaks(text, zones))
    assert editor.document().toPlainText() == shown[: loader.loaded_to()]
    loader.load_all()
    assert loader.is_done() and editor.document().toPlainText() == shown


def test_a_new_text_replaces_the_one_still_loading(editor: QPlainTextEdit, qtbot: QtBot) -> None:
    text, zones = work(400)
    loader = ProgressiveLoader(editor)
    loader.start(text, zones, DisplayMap(text), EM)
    assert not loader.is_done()
    with qtbot.waitSignal(loader.finished):
        loader.start(PARAGRAPH, [], DisplayMap(PARAGRAPH), EM)  # one chunk: finished at once
    assert loader.loaded_to() == len(PARAGRAPH)
    assert editor.document().toPlainText() == display_text(PARAGRAPH, display_breaks(PARAGRAPH))


def test_keys_that_go_to_the_end_need_the_whole_text() -> None:
    def key(k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QKeyEvent:
        return QKeyEvent(QEvent.Type.KeyPress, k, modifiers)

    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    assert needs_whole_text(key(Qt.Key.Key_End, ctrl))
    assert needs_whole_text(key(Qt.Key.Key_End, ctrl | shift))
    assert needs_whole_text(key(Qt.Key.Key_A, ctrl))
    assert not needs_whole_text(key(Qt.Key.Key_End))
    assert not needs_whole_text(key(Qt.Key.Key_PageDown))
    assert not needs_whole_text(key(Qt.Key.Key_Home, ctrl))


def test_idle_steps_run_in_order_later_and_a_new_list_replaces_the_rest(
    editor: QPlainTextEdit, qtbot: QtBot
) -> None:
    done: list[str] = []
    idle = IdleSteps(editor)
    idle.run([lambda: done.append("a"), lambda: done.append("b"), lambda: done.append("c")])
    assert done == []  # nothing runs inside run() itself
    qtbot.waitUntil(lambda: len(done) == 3)
    assert done == ["a", "b", "c"]
    done.clear()
    idle.run([lambda: done.append("old 1"), lambda: done.append("old 2")])
    idle.run([lambda: done.append("new")])
    qtbot.waitUntil(lambda: done != [])
    assert done == ["new"]  # and nothing is left to run after it


def test_a_click_in_an_italic_zone_does_not_make_the_next_text_italic(qtbot: QtBot) -> None:
    viewer = DocumentViewer()
    qtbot.addWidget(viewer)
    viewer.resize(700, 500)
    viewer.show()
    qtbot.waitExposed(viewer)
    text, zones = work(12)
    notes = zones[1].start
    viewer.set_document(text, zones)
    viewer.scroll_to_span(notes, notes + 4)
    viewer.viewport().repaint()
    point = viewer.span_rects(notes + 2, notes + 3)[0].center().toPoint()
    QTest.mouseClick(viewer.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert viewer.textCursor().charFormat().fontItalic()  # the caret sits in the italic notes
    viewer.set_document(PARAGRAPH)
    cursor = QTextCursor(viewer.document())
    cursor.setPosition(len(PARAGRAPH) // 2)
    assert not cursor.charFormat().fontItalic() and not viewer.textCursor().charFormat().fontItalic()
