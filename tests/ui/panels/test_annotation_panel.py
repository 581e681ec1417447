"""The Annotation panel: it shows the selected annotation's code, coder, span and quote, and with
nothing selected says so (no stale code); a memo typed there is saved by Ctrl+Enter or by leaving
the editor, and when another annotation is selected, and the status bar says so; the code can be
changed from the keyboard, and Remove deletes the annotation, each one undo step."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from annotator.core.codebook import display_path
from annotator.core.types import AnnotationInfo
from annotator.services.annotations import get_annotation, list_annotations
from annotator.ui.main_window import MainWindow
from annotator.ui.panels.annotation_panel import AnnotationPanel


def _coded(window: MainWindow, *spans: tuple[int, int]) -> list[AnnotationInfo]:
    """Code each span of the open work with key 2; the annotations in the order coded."""
    ws = window.workspace
    assert ws is not None
    for start, end in spans:
        ws.pane.viewer.select_span(start, end)
        assert ws.coding.apply_shortcut(2)
    return sorted(list_annotations(ws.session.store), key=lambda a: a.id)


def _panel(window: MainWindow) -> AnnotationPanel:
    assert window.workspace is not None
    return window.workspace.annotation


def _click_text(window: MainWindow, qtbot: QtBot, start: int, end: int) -> None:
    """Click the middle of the words ``[start, end)`` in the viewer, as a researcher would."""
    assert window.workspace is not None
    viewer = window.workspace.pane.viewer
    viewer.viewport().repaint()  # clicks find highlights where they were painted
    centre = viewer.span_rects(start, end)[0].center()
    qtbot.mouseClick(
        viewer.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y()))
    )


def _shown_words(panel: AnnotationPanel) -> list[str]:
    return [label.text() for label in panel.findChildren(QLabel) if label.isVisible() and label.text()]


def test_the_selected_annotation_is_described_and_nothing_selected_says_so(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    panel = _panel(window)
    empty = ["No annotation selected", "Click a highlight in the text to see its code, coder and memo here."]
    assert panel.empty.isVisible() and not panel.details.isVisible()
    assert _shown_words(panel) == empty
    [annotation] = _coded(window, (100, 134))
    _click_text(window, qtbot, 110, 120)
    assert ws.pane.selected_annotation() is not None
    assert panel.details.isVisible() and not panel.empty.isVisible()
    code = ws.session.code(annotation.code_id)
    assert code is not None
    assert panel.code.currentText() == code.path.replace("/", " › ")
    assert panel.coder.text() == "alice"
    assert panel.span.text() == "characters 100–134 (34)"
    assert annotation.quote[:30] in panel.quote.text()
    assert panel.memo.isEnabled() and panel.remove_button.isEnabled()
    # A click on uncoded words clears the selection: no greyed code of the last one stays.
    _click_text(window, qtbot, 300, 310)
    assert ws.pane.selected_annotation() is None
    assert panel.empty.isVisible() and not panel.details.isVisible()
    assert _shown_words(panel) == empty
    assert panel.code.currentText() == "" and panel.memo.toPlainText() == ""
    assert not any(w.isEnabled() for w in (panel.code, panel.memo, panel.save_button, panel.remove_button))


def test_a_memo_is_saved_by_ctrl_enter_or_by_tabbing_away_each_as_one_undo_step(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None
    panel = _panel(window)
    [annotation] = _coded(window, (10, 30))
    ws.pane.select_annotation(annotation.id)
    panel.memo.setFocus()
    qtbot.keyClicks(panel.memo, "framed as a game")
    qtbot.keyClick(panel.memo, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert get_annotation(ws.session.store, annotation.id).memo == "framed as a game"
    assert ws.session.undo_stack.undo_text == "Edit memo"
    assert window.statusBar().currentMessage() == "Memo saved."
    qtbot.keyClicks(panel.memo, ", again")
    qtbot.keyClick(panel.memo, Qt.Key.Key_Tab)  # Tab leaves the editor rather than typing a tab
    assert get_annotation(ws.session.store, annotation.id).memo == "framed as a game, again"
    ws.session.undo()
    assert get_annotation(ws.session.store, annotation.id).memo == "framed as a game"
    assert panel.memo.toPlainText() == "framed as a game"


def test_selecting_another_annotation_saves_the_memo_typed_for_the_first(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None
    panel = _panel(window)
    first, second = _coded(window, (10, 30), (60, 90))
    ws.pane.select_annotation(first.id)
    panel.memo.setFocus()
    qtbot.keyClicks(panel.memo, "typed, never saved by hand")
    ws.pane.select_annotation(second.id)
    assert get_annotation(ws.session.store, first.id).memo == "typed, never saved by hand"
    assert get_annotation(ws.session.store, second.id).memo == ""
    assert panel.annotation is not None and panel.annotation.id == second.id
    assert panel.memo.toPlainText() == ""


def test_the_code_changes_from_the_keyboard_and_remove_deletes_with_undo(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None
    panel = _panel(window)
    [annotation] = _coded(window, (10, 30))
    ws.pane.select_annotation(annotation.id)
    panel.code.setFocus()
    qtbot.keyClick(panel.code, Qt.Key.Key_Down)  # the next code in the list
    next_code = ws.session.codes[[c.id for c in ws.session.codes].index(annotation.code_id) + 1]
    assert get_annotation(ws.session.store, annotation.id).code_id == next_code.id
    assert ws.pane.viewer.highlight(annotation.id).code_name == display_path(next_code.path)  # type: ignore[union-attr]
    assert ws.session.undo_stack.undo_text == "Change code"
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert list_annotations(ws.session.store) == []
    assert panel.annotation is None and not panel.remove_button.isEnabled()
    assert window.statusBar().currentMessage() == f"Removed the “{next_code.name}” annotation. Ctrl+Z undoes."
    ws.session.undo()
    assert get_annotation(ws.session.store, annotation.id).code_id == next_code.id
