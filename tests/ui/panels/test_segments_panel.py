"""The Segments panel: filters by coder, open document and text; double-click opens the span."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
from pytestqt.qtbot import QtBot

from annotator.ui.main_window import MainWindow
from annotator.ui.panels import segments_panel
from annotator.ui.panels.segments_panel import CURRENT


def test_filters_and_double_click_jump(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None
    first_doc = ws.pane.document
    assert first_doc is not None
    ws.pane.viewer.select_span(0, 20)
    assert ws.coding.apply_shortcut(2)
    window.set_coder("bob")
    ws.documents.table.selectRow(3)
    other_doc = ws.pane.document
    assert other_doc is not None and other_doc.id != first_doc.id
    start = other_doc.text.index(" ") + 1
    ws.pane.viewer.select_span(start, start + 25)
    assert ws.coding.apply_shortcut(3)
    panel = ws.segments
    qtbot.waitUntil(lambda: len(panel.rows()) == 2)
    assert panel.status.text() == "2 segments"

    panel.set_filter(coder="bob")
    qtbot.waitUntil(lambda: [r.coder for r in panel.rows()] == ["bob"])
    panel.set_filter(coder="")  # not a coder: back to "All coders"
    panel.coder.setCurrentIndex(0)
    panel.set_filter(document=CURRENT)
    qtbot.waitUntil(lambda: [r.document_id for r in panel.rows()] == [other_doc.id])
    panel.document.setCurrentIndex(0)
    phrase = first_doc.text[2:12].upper()
    panel.set_filter(text=phrase)  # quote or memo, any case
    qtbot.waitUntil(lambda: [r.document_id for r in panel.rows()] == [first_doc.id])
    assert ws.pane.document.id == other_doc.id  # type: ignore[union-attr]

    # Double-clicking (activating) the row opens its work at the span and selects the annotation.
    panel.table.doubleClicked.emit(panel.model.index(0, 0))
    assert ws.pane.document is not None and ws.pane.document.id == first_doc.id
    assert ws.pane.viewer.selected_span() == (0, 20)
    assert ws.annotation.annotation is None  # alice's annotation, hidden while coding as bob
    window.set_coder("alice")
    panel.table.doubleClicked.emit(panel.model.index(0, 0))
    assert ws.annotation.annotation is not None and ws.annotation.annotation.document_id == first_doc.id


def test_document_memo_is_saved_and_undoable(window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    ws.pane.set_document_memo("Reader-insert; check the ending.")
    assert ws.pane.document.memo == "Reader-insert; check the ending."
    assert ws.pane.header.memo_button.text() == "Document memo ✎"
    ws.session.undo()
    assert ws.pane.document.memo == "" and ws.pane.header.memo_button.text() == "Document memo"


def _code_spans(window: MainWindow, spans: list[tuple[int, int]], shortcut: int = 2) -> None:
    ws = window.workspace
    assert ws is not None
    for start, end in spans:
        ws.pane.viewer.select_span(start, end)
        assert ws.coding.apply_shortcut(shortcut)


def test_the_list_is_read_a_page_at_a_time(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segments_panel, "LIMIT", 3)
    ws = window.workspace
    assert ws is not None
    _code_spans(window, [(i * 10, i * 10 + 5) for i in range(8)])
    panel = ws.segments
    panel.refresh_now()
    assert [r.start for r in panel.rows()] == [0, 10, 20]
    qtbot.waitUntil(lambda: panel.total == 8)  # counted off the GUI thread
    assert panel.status.text().startswith("8 segments (scroll down for more")
    while panel.model.canFetchMore():
        panel.model.fetchMore()
    assert [r.start for r in panel.rows()] == [i * 10 for i in range(8)]
    assert panel.status.text().startswith("8 segments")
    text = ws.pane.document.text  # type: ignore[union-attr]
    # Three characters of the span at 40 (the filter field is stripped: none at either end).
    needle = next(text[k : k + 3] for k in range(40, 43) if not (text[k].isspace() or text[k + 2].isspace()))
    expected = [i * 10 for i in range(8) if needle.casefold() in text[i * 10 : i * 10 + 5].casefold()]
    panel.set_filter(text=needle.upper())  # answered by the search index (three characters)
    qtbot.waitUntil(lambda: [r.start for r in panel.rows()] == expected, timeout=2000)
    assert not panel.model.canFetchMore()


def test_a_full_page_is_shown_at_once_and_counted_off_the_gui_thread(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segments_panel, "LIMIT", 3)
    ws = window.workspace
    assert ws is not None
    _code_spans(window, [(i * 10, i * 10 + 5) for i in range(8)])
    panel = ws.segments
    panel.refresh_now()
    # The first page is on screen before the count (which a million rows make slow) is done.
    assert [r.start for r in panel.rows()] == [0, 10, 20]
    assert panel.total is None
    assert panel.status.text() == "3+ segments (counting…; scroll down for more)"
    # Coded while the count runs: the count may have missed it, so it is taken again.
    _code_spans(window, [(100, 105)])
    qtbot.waitUntil(lambda: panel.total == 9)
    assert panel.status.text().startswith("9 segments (scroll down for more")
    qtbot.wait(100)
    assert panel.total == 9  # no late result of the first count overwrote it


def test_a_coding_action_inserts_or_removes_one_row_without_rereading(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segments_panel, "LIMIT", 3)
    ws = window.workspace
    assert ws is not None
    _code_spans(window, [(100, 105), (200, 205), (300, 305), (400, 405)])
    panel = ws.segments
    panel.refresh_now()
    assert [r.start for r in panel.rows()] == [100, 200, 300]
    # The count's result is delivered alone (its queued call, no timers or layouts): the table
    # must not fetch the next page meanwhile, as the actions below code inside and past the rows
    # loaded so far.
    assert QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)
    assert panel.total == 4
    assert [r.start for r in panel.rows()] == [100, 200, 300]
    resets: list[str] = []
    inserted: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append("reset"))
    panel.model.rowsInserted.connect(lambda _parent, first, _last: inserted.append(first))
    _code_spans(window, [(150, 155)])  # inside the loaded rows: inserted in its place
    assert [r.start for r in panel.rows()] == [100, 150, 200, 300]
    assert inserted == [1] and panel.total == 6 - 1
    _code_spans(window, [(500, 505)])  # past the loaded rows: a later page brings it
    assert [r.start for r in panel.rows()] == [100, 150, 200, 300] and panel.total == 6
    window.undo()  # removes 500: not loaded, so the count is read again later
    window.undo()  # removes 150
    qtbot.waitUntil(lambda: panel.total == 4)
    assert 150 not in [r.start for r in panel.rows()]
    ws.session.flush_counts()  # the counts refresh after each action must not re-read the list
    qtbot.wait(segments_panel.REFRESH_MS * 2)
    assert resets.count("reset") <= 1  # only the re-read the unknown removal asked for
    while panel.model.canFetchMore():
        panel.model.fetchMore()
    assert [r.start for r in panel.rows()] == [100, 200, 300, 400]
