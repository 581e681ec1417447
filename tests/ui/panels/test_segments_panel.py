"""The Segments panel: filters by coder, open document and text; double-click opens the span."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from annotator.ui.main_window import MainWindow
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
