"""Coding from the keyboard and the panels: quick pick, in-vivo codes, re-coding, span edits from the
viewer's handles, and how other coders' annotations are hidden, counted and shown dimmed."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from annotator.core.codebook import display_path
from annotator.services.annotations import get_annotation, list_annotations
from annotator.services.codebook import list_codes
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings


def _code_id(window: MainWindow, path: str) -> int:
    return next(c.id for c in list_codes(window.workspace.session.store) if c.path == path)  # type: ignore[union-attr]


def test_quick_pick_filters_by_typed_words_and_enter_applies(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    ws.pane.viewer.select_span(50, 90)
    ws.pane.viewer.setFocus()
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = ws.coding.popup
    assert popup is not None and popup.isVisible()
    qtbot.keyClicks(popup.line, "tro slow")
    assert popup.visible_ids() == [_code_id(window, "Trope/Slow burn")]
    qtbot.keyClick(popup.line, Qt.Key.Key_Return)
    [annotation] = list_annotations(ws.session.store, ws.pane.document.id)
    assert (annotation.start, annotation.end, annotation.code_id) == (
        50,
        90,
        _code_id(window, "Trope/Slow burn"),
    )
    assert not popup.isVisible()
    assert ws.pane.viewer.highlight(annotation.id) is not None


def test_quick_pick_without_a_selection_says_what_to_do(window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None
    messages: list[str] = []
    ws.coding.message.connect(messages.append)
    assert ws.coding.open_quick_pick() is None
    assert messages == ["Select some text first, then pick a code."]
    assert list_annotations(ws.session.store) == []


def test_in_vivo_creates_a_code_named_after_the_words_under_the_selected_group(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    text = ws.pane.document.text
    start = text.index("escape artist")
    ws.codebook.select_code(_code_id(window, "Trope/Pining"))  # a leaf: the new code goes beside it
    ws.pane.viewer.select_span(start, start + len("escape artist"))
    ws.pane.viewer.setFocus()
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    codes = {c.path: c for c in list_codes(ws.session.store)}
    assert "Trope/escape artist" in codes
    [annotation] = list_annotations(ws.session.store)
    assert annotation.code_id == codes["Trope/escape artist"].id and annotation.quote == "escape artist"
    assert ws.pane.viewer.highlight(annotation.id).code_name == "Trope › escape artist"  # type: ignore[union-attr]
    ws.session.undo()  # one step takes back both the code and the annotation
    assert "Trope/escape artist" not in {c.path for c in list_codes(ws.session.store)}
    assert list_annotations(ws.session.store) == []


def test_recode_from_the_annotation_panel_and_span_edit_from_the_viewer(window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    text = ws.pane.document.text
    ws.pane.viewer.select_span(10, 30)
    assert ws.coding.apply_shortcut(2)
    [annotation] = list_annotations(ws.session.store)
    ws.pane.select_annotation(annotation.id)
    fluff = _code_id(window, "Trope/Fluff")
    row = ws.annotation.code.findData(fluff)
    ws.annotation.code.setCurrentIndex(row)
    ws.annotation.code.activated.emit(row)  # what choosing in the combo does
    assert get_annotation(ws.session.store, annotation.id).code_id == fluff
    # Dragging a handle makes the viewer emit spanEditRequested; the quote follows the span.
    ws.pane.viewer.spanEditRequested.emit(annotation.id, 5, 40)
    edited = get_annotation(ws.session.store, annotation.id)
    assert (edited.start, edited.end, edited.quote) == (5, 40, text[5:40])
    highlight = ws.pane.viewer.highlight(annotation.id)
    assert highlight is not None and (highlight.start, highlight.end) == (5, 40)
    assert ws.annotation.span.text().startswith("characters 5–40")
    # Extend/shrink to selection, then undo restores the dragged span.
    ws.pane.viewer.select_span(12, 20)
    assert ws.coding.extend_to_selection()
    assert (
        get_annotation(ws.session.store, annotation.id).start,
        get_annotation(ws.session.store, annotation.id).end,
    ) == (12, 20)
    ws.session.undo()
    assert get_annotation(ws.session.store, annotation.id).end == 40


def test_an_invalid_span_edit_is_refused_and_changes_nothing(window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    ws.pane.viewer.select_span(10, 30)
    assert ws.coding.apply_shortcut(2)
    [annotation] = list_annotations(ws.session.store)
    ws.pane.viewer.spanEditRequested.emit(annotation.id, 5, len(ws.pane.document.text) + 10)
    assert "past the end" in window.last_error
    assert get_annotation(ws.session.store, annotation.id) == annotation


def test_other_coders_are_hidden_and_counted_until_shown_dimmed(
    window: MainWindow, app_settings: object
) -> None:
    ws = window.workspace
    assert ws is not None
    window.set_coder("bob")
    ws.pane.viewer.select_span(10, 30)
    assert ws.coding.apply_shortcut(2)
    ws.pane.viewer.select_span(40, 60)
    assert ws.coding.apply_shortcut(3)
    bobs = [a.id for a in list_annotations(ws.session.store)]
    window.set_coder("alice")
    assert app_settings.coder_name() == "alice"  # type: ignore[attr-defined]
    assert all(ws.pane.viewer.highlight(i) is None for i in bobs)
    assert window.hidden_count.text() == "2 annotations hidden (other coders)"
    ws.pane.viewer.select_span(70, 80)
    assert ws.coding.apply_shortcut(4)
    mine = max(a.id for a in list_annotations(ws.session.store))
    window.menus.show_others.trigger()
    assert window.hidden_count.text() == ""
    assert all(ws.pane.viewer.highlight(i).dimmed for i in bobs)  # type: ignore[union-attr]
    assert not ws.pane.viewer.highlight(mine).dimmed  # type: ignore[union-attr]
    assert app_settings.show_other_coders()  # type: ignore[attr-defined]


def test_typing_in_the_memo_editor_types_instead_of_coding(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None
    ws.pane.viewer.select_span(10, 30)
    assert ws.coding.apply_shortcut(2)
    [annotation] = list_annotations(ws.session.store)
    ws.pane.select_annotation(annotation.id)
    ws.annotation.memo.setFocus()
    qtbot.keyClicks(ws.annotation.memo, "Q1 2x")
    qtbot.keyClick(ws.annotation.memo, Qt.Key.Key_Backspace)
    qtbot.keyClick(ws.annotation.memo, Qt.Key.Key_Home)
    qtbot.keyClick(ws.annotation.memo, Qt.Key.Key_Delete)
    assert ws.annotation.memo.toPlainText() == "1 2"
    assert [a.id for a in list_annotations(ws.session.store)] == [annotation.id]  # no code applied or removed
    assert ws.coding.popup is None


def test_q_in_the_text_opens_quick_pick_and_escape_applies_nothing(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None
    ws.pane.viewer.select_span(10, 30)
    ws.pane.viewer.setFocus()
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_Q)
    popup = ws.coding.popup
    assert popup is not None and popup.isVisible()
    assert len(popup.visible_ids()) == len(ws.session.codes)
    qtbot.keyClick(popup.line, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert list_annotations(ws.session.store) == []


def test_reopening_a_coded_work_shows_each_annotation_as_stored(window: MainWindow) -> None:
    """The open reads lean rows; what the viewer and the annotation panel show must match the store."""
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    doc_id = ws.pane.document.id
    for i, (start, end) in enumerate([(5, 40), (20, 60), (100, 101)]):
        ws.pane.viewer.select_span(start, end)
        assert ws.coding.apply_shortcut(2 + i)
    annotation_id = list_annotations(ws.session.store, doc_id)[0].id
    ws.pane.close_document()
    assert ws.pane.open_document(doc_id)
    stored = {a.id: a for a in list_annotations(ws.session.store, doc_id)}
    codes = {c.id: c for c in list_codes(ws.session.store)}
    for a in stored.values():
        shown = ws.pane.viewer.highlight(a.id)
        assert shown is not None
        assert (shown.start, shown.end, shown.colour, shown.code_name, shown.dimmed) == (
            a.start,
            a.end,
            codes[a.code_id].colour,
            display_path(codes[a.code_id].path),
            False,
        )
    ws.pane.select_annotation(annotation_id)
    selected = ws.pane.selected_annotation()
    expected = stored[annotation_id]
    assert selected is not None
    fields = ("start", "end", "code_id", "coder_id", "quote", "memo")
    assert [getattr(selected, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert html.escape(expected.quote[:20]) in ws.annotation.quote.text()


def test_a_long_work_paints_its_first_screen_then_reads_the_rest(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.ui import document_pane

    monkeypatch.setattr(document_pane, "PREVIEW_CHARS", 100)
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    doc_id = ws.pane.document.id
    window.set_coder("bob")
    ws.pane.viewer.select_span(300, 320)
    assert ws.coding.apply_shortcut(3)
    window.set_coder("alice")
    for start in (10, 400):
        ws.pane.viewer.select_span(start, start + 30)
        assert ws.coding.apply_shortcut(2)
    early, late = (
        a.id
        for a in sorted(list_annotations(ws.session.store, doc_id), key=lambda a: a.start)
        if a.start in (10, 400)
    )
    ws.pane.close_document()
    assert ws.pane.open_document(doc_id)
    # Before the event loop turns: the first screen's highlights only.
    assert ws.pane.viewer.highlight(early) is not None and ws.pane.viewer.highlight(late) is None
    assert not ws.pane.is_fully_loaded()
    qtbot.waitUntil(ws.pane.is_fully_loaded, timeout=5_000)
    assert ws.pane.viewer.highlight(late) is not None
    assert window.hidden_count.text() == "1 annotation hidden (other coders)"
    # Jumping to a span (a segment's double-click) reads everything at once.
    ws.pane.close_document()
    assert ws.pane.open_document(doc_id, span=(400, 430))
    assert ws.pane.is_fully_loaded() and ws.pane.viewer.highlight(late) is not None


def _drag(window: MainWindow, start: int, end: int, modifiers: Qt.KeyboardModifier) -> None:
    """Drag the mouse over the open work from inside character ``start`` to inside ``end``."""
    viewer = window.workspace.pane.viewer  # type: ignore[union-attr]
    viewer.scroll_to_span(start, end)
    viewer.viewport().repaint()
    a = viewer.span_rects(start, start + 1)[0]
    b = viewer.span_rects(end, end + 1)[0]
    press = a.center().toPoint()
    release = b.center().toPoint()
    QTest.mousePress(viewer.viewport(), Qt.MouseButton.LeftButton, modifiers, press)
    QTest.mouseMove(viewer.viewport(), (press + release) / 2)
    QTest.mouseMove(viewer.viewport(), release)
    QTest.mouseRelease(viewer.viewport(), Qt.MouseButton.LeftButton, modifiers, release)


def test_a_dragged_selection_codes_whole_words_and_in_vivo_drops_the_space_around_them(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    text = ws.pane.document.text
    phrase = "a holding cell before"
    start = text.index(phrase)
    # Snapped (the default): from inside "a" ... to inside "befo|re" codes the whole words.
    _drag(window, start + 3, start + len(phrase) - 2, Qt.KeyboardModifier.NoModifier)
    assert ws.pane.viewer.selected_text() == "holding cell before"
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_1)
    [coded] = list_annotations(ws.session.store)
    assert coded.quote == "holding cell before"
    # Free (Alt held): a selection starting on the space before "a holding" and ending in a comma.
    _drag(window, start - 1, start + len(phrase) + 1, Qt.KeyboardModifier.AltModifier)
    selected = ws.pane.viewer.selected_text()
    assert selected.startswith(" ") and selected.endswith(",")  # exactly as dragged
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    in_vivo = max(list_annotations(ws.session.store), key=lambda a: a.id)
    assert in_vivo.quote == phrase + ","  # no leading space in the coded span
    names = {c.id: c.name for c in list_codes(ws.session.store)}
    assert names[in_vivo.code_id] == phrase  # nor space or punctuation at the ends of its name


def test_turning_word_snapping_off_in_the_view_menu_is_remembered(
    window: MainWindow, qtbot: QtBot, app_settings: AppSettings
) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    action = window.menus.snap_to_words
    assert action.isChecked() and ws.pane.viewer.snap_to_words
    bar = window.menuBar()
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(window.menus.view.menuAction()).center()
    )
    menu = window.menus.view
    qtbot.waitUntil(menu.isVisible)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    assert not action.isChecked() and not ws.pane.viewer.snap_to_words
    assert not app_settings.snap_to_words()
    text = ws.pane.document.text
    start = text.index("holding cell")
    _drag(window, start + 2, start + 9, Qt.KeyboardModifier.NoModifier)
    assert ws.pane.viewer.selected_text() == text[start + 2 : start + 9]  # exactly as dragged
    location = ws.session.store.location
    window.close_project()
    window.open_location(location)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20_000)
    assert not window.workspace.pane.viewer.snap_to_words  # type: ignore[union-attr]
    assert not window.menus.snap_to_words.isChecked()
