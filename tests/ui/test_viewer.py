"""DocumentViewer: display blocks, code-point selection, painted highlights, mouse, find."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QImage, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip
from pytestqt.qtbot import QtBot

from annotator.core.display import display_breaks, display_text
from annotator.core.offsets import OffsetMap
from annotator.core.types import ZoneSpec
from annotator.ui.viewer import DocumentViewer, Highlight, loading
from annotator.ui.viewer.zones import apply_zone_styles

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))
RED, BLUE = "#ff0000", "#0000ff"


@pytest.fixture
def viewer(qtbot: QtBot) -> DocumentViewer:
    widget = DocumentViewer()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def paint(viewer: DocumentViewer) -> QImage:
    viewer.viewport().repaint()
    return viewer.viewport().grab().toImage()


def utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def test_seed_is_shown_in_display_blocks_with_offsets_preserved(viewer: DocumentViewer) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    assert "\n" not in text  # a run-on line
    viewer.set_document(text, [ZoneSpec("story", 0, len(text))])
    document = viewer.document()
    assert document.blockCount() > 10
    shown = document.toPlainText()
    assert len(shown) == len(text)
    assert shown.replace("\n", " ") == text
    assert viewer.text() == text


MIXED = "Start 👩\u200d👩\u200d👧 then cafe\u0301 and 🇫🇷 flags, 😀 end. " * 3


def test_selection_with_emoji_and_combining_marks_is_in_code_points(
    viewer: DocumentViewer,
) -> None:
    viewer.set_document(MIXED)
    start = MIXED.index("👩")
    end = MIXED.index("😀") + 1
    cursor = QTextCursor(viewer.document())
    cursor.setPosition(utf16(MIXED, start))
    cursor.setPosition(utf16(MIXED, end), QTextCursor.MoveMode.KeepAnchor)
    viewer.setTextCursor(cursor)
    assert viewer.selected_span() == (start, end)
    assert viewer.selected_text() == MIXED[start:end]
    assert "e\u0301" in viewer.selected_text()  # combining mark kept, not normalised


def test_selection_never_splits_a_surrogate_pair(viewer: DocumentViewer) -> None:
    viewer.set_document(MIXED)
    smiley = MIXED.index("😀")
    cursor = QTextCursor(viewer.document())
    cursor.setPosition(utf16(MIXED, smiley - 3))
    cursor.setPosition(utf16(MIXED, smiley) + 1, QTextCursor.MoveMode.KeepAnchor)  # mid-pair
    viewer.setTextCursor(cursor)
    span = viewer.selected_span()
    assert span == (smiley - 3, smiley + 1)
    assert viewer.selected_text().endswith("😀")


def test_select_span_and_signal(viewer: DocumentViewer, qtbot: QtBot) -> None:
    viewer.set_document(MIXED)
    start, end = MIXED.index("🇫🇷"), MIXED.index("flags") + 5
    with qtbot.waitSignal(viewer.selectionSpanChanged) as blocker:
        viewer.select_span(start, end)
    assert blocker.args == [start, end]
    assert viewer.selected_text() == "🇫🇷 flags"


TEXT = ("Plain words to colour in a short test document. " * 40).strip()


def two_overlapping(viewer: DocumentViewer) -> tuple[Highlight, Highlight]:
    viewer.set_document(TEXT)
    outer = Highlight(1, 6, 40, RED, "Fear", "alice", "the outer one")
    inner = Highlight(2, 20, 60, BLUE, "Power", "bob", "")
    viewer.set_highlights([outer, inner])
    return outer, inner


def background_at(image: QImage, x: float, y: float) -> QColor:
    """Most common colour on a short horizontal run: the background, not a glyph."""
    colours = Counter(image.pixelColor(int(x) + dx, int(y)).rgb() for dx in range(-6, 7))
    return QColor.fromRgb(colours.most_common(1)[0][0])


def test_overlapping_highlights_blend_and_have_distinct_underlines(
    viewer: DocumentViewer,
) -> None:
    two_overlapping(viewer)
    image = paint(viewer)
    scale = image.devicePixelRatio()
    red_only = viewer.span_rects(6, 20)[0]
    both = viewer.span_rects(20, 40)[0]
    blue_only = viewer.span_rects(40, 60)[0]
    y = red_only.top() + 2
    r = background_at(image, red_only.center().x() * scale, y * scale)
    b = background_at(image, blue_only.center().x() * scale, y * scale)
    rb = background_at(image, both.center().x() * scale, y * scale)
    assert r.red() > 240 and r.green() < 220 and r.blue() < 220  # red over white
    assert b.blue() > 240 and b.red() < 220 and b.green() < 220
    assert rb.red() < r.red() and rb.blue() < b.blue()  # both tints, blended darker
    assert rb.green() < r.green() and rb.green() < b.green()
    # Underlines: scan the overlap column below the text for the two code colours.
    x = int(both.center().x() * scale)
    red_rows, blue_rows = [], []
    for yy in range(int(both.top() * scale), int((both.bottom() + 14) * scale)):
        c = image.pixelColor(x, yy)
        if c.red() > 200 and c.green() < 60 and c.blue() < 60:
            red_rows.append(yy)
        if c.blue() > 200 and c.red() < 60 and c.green() < 60:
            blue_rows.append(yy)
    assert red_rows and blue_rows
    assert set(red_rows).isdisjoint(blue_rows)
    assert min(blue_rows) > max(red_rows)  # lane 1 below lane 0


def test_click_selects_innermost_and_cycles(viewer: DocumentViewer, qtbot: QtBot) -> None:
    two_overlapping(viewer)
    paint(viewer)
    both = viewer.span_rects(22, 38)[0]
    point = QPoint(int(both.center().x()), int(both.center().y()))
    with qtbot.waitSignal(viewer.annotationClicked) as first:
        QTest.mouseClick(viewer.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert first.args == [1]  # outer is shorter here: 34 < 40 characters
    paint(viewer)
    with qtbot.waitSignal(viewer.annotationClicked) as second:
        QTest.mouseClick(viewer.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert second.args == [2]
    assert viewer.selected_annotation_id == 2


def test_hover_tooltip_names_every_annotation(viewer: DocumentViewer) -> None:
    two_overlapping(viewer)
    paint(viewer)
    both = viewer.span_rects(22, 38)[0]
    point = QPoint(int(both.center().x()), int(both.center().y()))
    text = viewer.tooltip_text_at(QPointF(point))
    assert "Fear" in text and "Power" in text and "alice" in text and "bob" in text
    assert "the outer one" in text
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewer.viewport().mapToGlobal(point))
    QApplication.sendEvent(viewer.viewport(), event)
    assert "Power" in QToolTip.text()
    assert viewer.tooltip_text_at(QPointF(2, 2)) == ""


def test_drag_end_handle_requests_span_edit(viewer: DocumentViewer, qtbot: QtBot) -> None:
    two_overlapping(viewer)
    viewer.set_selected_annotation(1)
    paint(viewer)
    last = viewer.span_rects(6, 40)[-1]
    handle = QPoint(int(last.right()), int(last.bottom() + 4))
    target_rect = viewer.span_rects(50, 51)[0]
    target = QPoint(int(target_rect.left()), int(target_rect.center().y()))
    with qtbot.waitSignal(viewer.spanEditRequested) as blocker:
        QTest.mousePress(viewer.viewport(), Qt.MouseButton.LeftButton, pos=handle)
        QTest.mouseMove(viewer.viewport(), pos=target)
        QTest.mouseRelease(viewer.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert blocker.args == [1, 6, 50]
    assert viewer.highlight(1) == Highlight(1, 6, 40, RED, "Fear", "alice", "the outer one")


def test_add_update_remove_highlight(viewer: DocumentViewer) -> None:
    two_overlapping(viewer)
    viewer.add_highlight(Highlight(3, 100, 120, "#00aa00", "Hope", "alice"))
    viewer.update_highlight(Highlight(3, 100, 130, "#00aa00", "Hope", "alice"))
    h3 = viewer.highlight(3)
    assert h3 is not None and h3.end == 130
    viewer.set_selected_annotation(3)
    viewer.remove_highlight(3)
    assert viewer.highlight(3) is None and viewer.selected_annotation_id is None
    paint(viewer)


def test_find_all_and_stepping(viewer: DocumentViewer, qtbot: QtBot) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    viewer.set_document(text)
    matches = viewer.find_all("kylo")
    assert matches and all(text[s:e].lower() == "kylo" for s, e in matches)
    assert len(viewer.find_all("kylo", case_sensitive=True)) <= len(matches)
    assert viewer.find_all("") == []
    viewer.set_find_matches(matches)
    with qtbot.waitSignal(viewer.currentMatchChanged) as blocker:
        first = viewer.find_next()
    assert first == matches[0] and blocker.args == [0, len(matches)]
    assert viewer.find_previous() == matches[-1]
    last = matches[-1]
    paint(viewer)
    rects = viewer.span_rects(*last)
    assert rects, "current match scrolled into view"
    middle = viewer.viewport().height() / 2
    assert abs(rects[0].center().y() - middle) < viewer.viewport().height() / 3


def test_find_all_case_insensitive_keeps_offsets() -> None:
    from annotator.ui.viewer.find import find_all

    text = "İstanbul and STANBUL, ß and SS"  # "İ".lower() has two code points
    second = text.index("STANBUL")
    assert find_all(text, "stanbul") == [(1, 8), (second, second + 7)]
    assert find_all(text, "stanbul", case_sensitive=True) == [(1, 8)]


def test_zones_are_styled_and_labelled(viewer: DocumentViewer) -> None:
    title, notes = "The Title", "Thanks for reading."
    story = "Once upon a time. " * 50
    text = f"{title}\n{notes}\n{story}"
    n0 = len(title) + 1
    zones = [
        ZoneSpec("title", 0, len(title)),
        ZoneSpec("notes", n0, n0 + len(notes)),
        ZoneSpec("story", n0 + len(notes) + 1, len(text)),
    ]
    viewer.set_document(text, zones)
    document = viewer.document()
    title_block, notes_block = document.firstBlock(), document.firstBlock().next()
    assert title_block.charFormat().font().bold() or title_block.begin().fragment().charFormat().font().bold()
    assert notes_block.begin().fragment().charFormat().fontItalic()
    assert notes_block.blockFormat().leftMargin() > 0
    image = paint(viewer)
    assert viewer.span_rects(n0, n0 + 5)[0].left() > viewer.span_rects(0, 1)[0].left() - 400
    assert not image.isNull()


def test_dark_palette_paints(viewer: DocumentViewer) -> None:
    from PySide6.QtGui import QPalette

    palette = viewer.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    viewer.setPalette(palette)
    two_overlapping(viewer)
    image = paint(viewer)
    rect = viewer.span_rects(6, 20)[0]
    scale = image.devicePixelRatio()
    c = background_at(image, rect.center().x() * scale, (rect.top() + 2) * scale)
    assert c.red() > c.blue() and c.lightness() < 160  # tinted, still dark


# --- progressive loading --------------------------------------------------------------------
def big_work() -> tuple[str, list[ZoneSpec]]:
    """~1 MB: run-on seed paragraphs with emoji, notes at the start, long chapter notes mid-way."""
    paragraphs = [s.read_text(encoding="utf-8").replace(". ", ". 😀 ", 3) for s in SEEDS]
    text = "\n".join(paragraphs * 16)
    first = text.index("\n")
    middle = text.index("\n", len(text) // 2)
    after = text.index("\n", middle + 120_000)
    zones = [
        ZoneSpec("notes", 0, first),
        ZoneSpec("story", first + 1, middle),
        ZoneSpec("chapter_notes", middle + 1, after, chapter=2),
        ZoneSpec("story", after + 1, len(text)),
    ]
    return text, zones


def test_big_text_loads_in_chunks_and_shows_the_display_text(viewer: DocumentViewer, qtbot: QtBot) -> None:
    text, zones = big_work()
    viewer.set_document(text, zones)
    assert not viewer.is_fully_loaded()
    assert viewer.document().characterCount() < len(text) // 2  # only the start so far
    assert viewer.text() == text
    paint(viewer)
    with qtbot.waitSignal(viewer.fullyLoaded, timeout=20_000):
        pass
    assert viewer.is_fully_loaded()
    assert viewer.document().toPlainText() == display_text(text, display_breaks(text, zones))


def test_zones_styled_chunk_by_chunk_match_styling_all_at_once(
    viewer: DocumentViewer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks, so the 120k-character chapter notes span several of them.
    monkeypatch.setattr(loading, "FIRST_CHUNK", 30_000)
    monkeypatch.setattr(loading, "MAX_CHUNK", 40_000)
    text, zones = big_work()
    with qtbot.waitSignal(viewer.fullyLoaded, timeout=20_000):
        viewer.set_document(text, zones)
    reference = QPlainTextEdit()
    reference.setFont(viewer.font())
    reference.setPlainText(display_text(text, display_breaks(text, zones)))
    em = QFontMetricsF(viewer.font()).height()
    labels = apply_zone_styles(reference.document(), zones, OffsetMap(text), em)
    assert set(labels.values()) == {"Author's notes", "Chapter 2 notes"}
    assert viewer._labels == labels
    ours, theirs = viewer.document().firstBlock(), reference.document().firstBlock()
    while ours.isValid() or theirs.isValid():
        assert ours.blockFormat() == theirs.blockFormat(), ours.blockNumber()
        assert ours.userState() == theirs.userState(), ours.blockNumber()
        assert ours.charFormat() == theirs.charFormat(), ours.blockNumber()
        assert ours.begin().fragment().charFormat() == theirs.begin().fragment().charFormat()
        ours, theirs = ours.next(), theirs.next()


def test_select_and_scroll_near_the_end_before_full_load(viewer: DocumentViewer) -> None:
    text, zones = big_work()
    viewer.set_document(text, zones)
    start = text.index("😀", len(text) - 20_000)
    end = start + 30
    viewer.select_span(start, end)
    assert viewer.selected_span() == (start, end)
    assert viewer.selected_text() == text[start:end]
    viewer.scroll_to_span(start, end)
    paint(viewer)
    rects = viewer.span_rects(start, end)
    assert rects
    assert abs(rects[0].center().y() - viewer.viewport().height() / 2) < 200


def test_span_rects_and_find_far_ahead_load_what_they_need(viewer: DocumentViewer) -> None:
    text, zones = big_work()
    viewer.set_document(text, zones)
    matches = viewer.find_all("😀")
    viewer.set_find_matches(matches)
    last = viewer.find_previous()  # wraps to the last match, at the end of the work
    assert last == matches[-1]
    paint(viewer)
    assert viewer.span_rects(*last)
    assert viewer.current_match() == last


def test_going_to_the_end_loads_everything(viewer: DocumentViewer) -> None:
    text, zones = big_work()
    viewer.set_document(text, zones)
    QTest.keyClick(viewer, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert viewer.is_fully_loaded()
    viewer.set_document(text, zones)
    bar = viewer.verticalScrollBar()
    bar.setValue(bar.maximum())  # the thumb dragged to the bottom
    assert viewer.is_fully_loaded()
    assert bar.value() == bar.maximum()
    paint(viewer)
    assert viewer.span_rects(len(text) - 5, len(text))


def test_a_selection_survives_chunks_arriving(viewer: DocumentViewer, qtbot: QtBot) -> None:
    text, zones = big_work()
    viewer.set_document(text, zones)
    cursor = QTextCursor(viewer.document())
    cursor.setPosition(10)
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    viewer.setTextCursor(cursor)  # up to the end of what is loaded
    before = viewer.selected_span()
    with qtbot.waitSignal(viewer.fullyLoaded, timeout=20_000):
        pass
    assert viewer.selected_span() == before


def test_a_new_document_stops_loading_the_old_one(viewer: DocumentViewer, qtbot: QtBot) -> None:
    text, zones = big_work()
    added: list[int] = []  # characters each change put into the document, counted as it happens
    viewer.document().contentsChange.connect(lambda _position, _removed, count: added.append(count))
    viewer.set_document(text, zones)
    added.clear()
    QApplication.processEvents()  # one pass of the event loop: the loader's zero-timer is due
    assert added, "the old text was not arriving a chunk per pass, so the check below proves nothing"
    viewer.verticalScrollBar().setValue(200)  # scrolled down: the new text resets the bar
    with qtbot.waitSignal(viewer.fullyLoaded):
        viewer.set_document(TEXT)  # fits in one chunk: loaded at once
    assert viewer.is_fully_loaded()
    added.clear()
    QApplication.processEvents()  # the same pass that brought a chunk above
    assert added == []  # brings nothing of the old text now
    assert viewer.document().toPlainText() == display_text(TEXT, display_breaks(TEXT))


def test_many_highlights_paint_and_edit_before_the_idle_warm_up(viewer: DocumentViewer) -> None:
    text, zones = big_work()
    viewer.set_document(text, zones)
    many = [Highlight(i + 1, i * 50, i * 50 + 30, RED) for i in range(5_000)]
    viewer.set_highlights(many)  # no events processed: the index is not sorted yet
    paint(viewer)
    viewer.add_highlight(Highlight(99_999, 3, 9, BLUE))
    viewer.remove_highlight(2)
    assert viewer.highlight(99_999) is not None and viewer.highlight(2) is None
    assert len(viewer.span_rects(3, 9)) == 1
    paint(viewer)
