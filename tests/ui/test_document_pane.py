"""DocumentPane in the real window: the selected annotation has one owner, the viewer that paints
it. Whatever changes the selection (a click on a highlight, a click off it, deleting it, leaving
the document, hiding it), the viewer, the pane, the Annotation panel and the coding actions agree."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QPlainTextEdit
from pytestqt.qtbot import QtBot

from annotator.core.types import ZONE_END_NOTES, ZONE_STORY, ZONE_TITLE, AnnotationInfo
from annotator.services.annotations import list_annotations
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _workspace(window: MainWindow) -> Workspace:
    assert window.workspace is not None and window.workspace.pane.document is not None
    return window.workspace


def _code_with_keys(qtbot: QtBot, ws: Workspace, start: int, end: int) -> AnnotationInfo:
    """Select ``[start, end)`` with the keyboard and press "1" to code it."""
    viewer = ws.pane.viewer
    viewer.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_Home, CTRL)
    for _ in range(start):
        qtbot.keyClick(viewer, Qt.Key.Key_Right)
    for _ in range(end - start):
        qtbot.keyClick(viewer, Qt.Key.Key_Right, SHIFT)
    qtbot.keyClick(viewer, Qt.Key.Key_1)
    assert ws.pane.document is not None
    [annotation] = list_annotations(ws.session.store, ws.pane.document.id)
    return annotation


def _click(qtbot: QtBot, ws: Workspace, start: int, end: int) -> None:
    """Click the middle of the text ``[start, end)`` (painted first: clicks hit what was painted)."""
    viewer = ws.pane.viewer
    viewer.viewport().repaint()
    rect = viewer.span_rects(start, end)[0]
    qtbot.mouseClick(viewer.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


def _selected_everywhere(ws: Workspace) -> set[int | None]:
    """The selected annotation's id as each reader sees it (one value when they agree)."""
    pane = ws.pane.selected_annotation()
    panel = ws.annotation.annotation
    return {
        ws.pane.viewer.selected_annotation_id,
        pane.id if pane is not None else None,
        panel.id if panel is not None else None,
    }


def test_a_clicked_annotation_shows_everywhere_and_a_click_off_it_clears_everywhere(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = _workspace(window)
    annotation = _code_with_keys(qtbot, ws, 4, 20)
    assert _selected_everywhere(ws) == {None}

    with qtbot.waitSignal(ws.pane.annotationSelected) as shown:
        _click(qtbot, ws, 8, 16)
    assert shown.args[0].id == annotation.id
    assert _selected_everywhere(ws) == {annotation.id}
    assert ws.annotation.memo.isEnabled() and ws.coding.remove_action.isEnabled()
    assert ws.annotation.span.text() != ""

    with qtbot.waitSignal(ws.pane.annotationSelected) as cleared:
        _click(qtbot, ws, 60, 70)
    assert cleared.args == [None]
    assert _selected_everywhere(ws) == {None}
    assert not ws.annotation.memo.isEnabled() and not ws.coding.remove_action.isEnabled()
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_Delete)  # nothing selected, so nothing goes
    assert [a.id for a in list_annotations(ws.session.store, annotation.document_id)] == [annotation.id]


def test_deleting_the_selected_annotation_clears_the_selection_everywhere(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = _workspace(window)
    annotation = _code_with_keys(qtbot, ws, 4, 20)
    _click(qtbot, ws, 8, 16)
    assert _selected_everywhere(ws) == {annotation.id}
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_Delete)
    assert list_annotations(ws.session.store, annotation.document_id) == []
    assert _selected_everywhere(ws) == {None}
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_Z, CTRL)  # back, but not selected again
    assert ws.pane.viewer.highlight(annotation.id) is not None
    assert _selected_everywhere(ws) == {None}
    _click(qtbot, ws, 8, 16)
    assert _selected_everywhere(ws) == {annotation.id}


def test_opening_the_next_document_clears_the_selection_everywhere(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    annotation = _code_with_keys(qtbot, ws, 4, 20)
    _click(qtbot, ws, 8, 16)
    assert _selected_everywhere(ws) == {annotation.id}
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_PageDown, CTRL)
    assert ws.pane.document is not None and ws.pane.document.id != annotation.document_id
    assert _selected_everywhere(ws) == {None}


def test_switching_coder_hides_and_deselects_the_other_coders_annotation(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = _workspace(window)
    annotation = _code_with_keys(qtbot, ws, 4, 20)
    _click(qtbot, ws, 8, 16)
    assert _selected_everywhere(ws) == {annotation.id}
    window.set_coder("bob")  # alice's annotations are now another coder's, hidden by default
    assert ws.pane.viewer.highlight(annotation.id) is None
    assert _selected_everywhere(ws) == {None}
    window.set_coder("alice")
    assert _selected_everywhere(ws) == {None}
    _click(qtbot, ws, 8, 16)
    assert _selected_everywhere(ws) == {annotation.id}


def test_a_click_on_nothing_selected_leaves_everything_unselected(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    with qtbot.assertNotEmitted(ws.pane.annotationSelected):
        _click(qtbot, ws, 30, 40)
    assert _selected_everywhere(ws) == {None}


def _open_row(qtbot: QtBot, ws: Workspace, row: int) -> None:
    """Click row ``row`` of the Documents panel, as a researcher opens a work."""
    table = ws.documents.table
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _click_in_zone(qtbot: QtBot, ws: Workspace, kind: str) -> None:
    """Click a few characters into the open work's first zone of ``kind`` (scrolled to first)."""
    assert ws.pane.document is not None
    zone = next(z for z in ws.pane.document.zones if z.kind == kind)
    ws.pane.viewer.scroll_to_span(zone.start, zone.start + 3)
    _click(qtbot, ws, zone.start + 2, zone.start + 4)
    assert _styled(ws.pane.viewer.textCursor().charFormat())  # the caret took the zone's type


def _styled(fmt: QTextCharFormat) -> bool:
    return fmt.fontItalic() or fmt.fontWeight() > QFont.Weight.Normal.value or fmt.fontPointSize() > 0


def _styled_text(ws: Workspace, start: int, end: int) -> str:
    """The characters of ``[start, end)`` drawn other than in the plain story font."""
    cursor = QTextCursor(ws.pane.viewer.document())
    styled = []
    for position in range(start, end):
        cursor.setPosition(position + 1)  # the format of the character before the cursor
        if _styled(cursor.charFormat()):
            styled.append(ws.pane.viewer.text()[position])
    return "".join(styled)


def test_a_zones_italic_or_heading_type_stays_in_its_zone_when_another_work_opens(
    ao3_window: MainWindow, qtbot: QtBot
) -> None:
    ws = _workspace(ao3_window)
    _open_row(qtbot, ws, 5)  # the single-chapter AO3 work: a big bold title, italic end notes
    assert ws.pane.document is not None and ws.pane.document.title == "Medical Leave"
    _click_in_zone(qtbot, ws, ZONE_END_NOTES)
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_PageUp, CTRL)  # the plain-text work before it
    assert ws.pane.document is not None and ws.pane.document.zones[0].kind == ZONE_STORY
    assert _styled_text(ws, 0, 2000) == ""
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_PageDown, CTRL)
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_PageDown, CTRL)  # the multi-chapter AO3 work
    assert ws.pane.document is not None and ws.pane.document.title == "The Long Shift"
    _click_in_zone(qtbot, ws, ZONE_TITLE)
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_PageUp, CTRL)
    doc = ws.pane.document
    assert doc is not None and doc.title == "Medical Leave"
    # Its own title is in heading type, its story in the story font.
    title = next(z for z in doc.zones if z.kind == ZONE_TITLE)
    story = next(z for z in doc.zones if z.kind == ZONE_STORY)
    assert _styled_text(ws, title.start, title.end) == doc.text[title.start : title.end]
    assert _styled_text(ws, story.start, story.start + 2000) == ""


def _answer_memo_dialog(qtbot: QtBot, text: str) -> None:
    """Type ``text`` into the open memo dialog (replacing what is there) and press OK."""
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QInputDialog)
    editor = dialog.findChild(QPlainTextEdit)
    assert editor is not None
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    if text:
        qtbot.keyClicks(editor, text)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_document_memo_save_and_clear_say_so_in_the_status_bar(window: MainWindow, qtbot: QtBot) -> None:
    ws = _workspace(window)
    status = window.statusBar()
    QTimer.singleShot(0, lambda: _answer_memo_dialog(qtbot, "Reader-insert"))
    qtbot.mouseClick(ws.pane.header.memo_button, Qt.MouseButton.LeftButton)
    assert ws.pane.document is not None and ws.pane.document.memo == "Reader-insert"
    assert status.currentMessage() == "Document memo saved."
    QTimer.singleShot(0, lambda: _answer_memo_dialog(qtbot, ""))
    qtbot.mouseClick(ws.pane.header.memo_button, Qt.MouseButton.LeftButton)
    assert ws.pane.document.memo == ""
    assert status.currentMessage() == "Document memo cleared."
