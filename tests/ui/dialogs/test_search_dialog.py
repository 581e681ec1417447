"""Project search (Ctrl+Shift+F): Enter searches every work in the background, the rows show work,
position and context, the status counts matches and works, a double-click opens the work at the
match, the search window then steps aside for the text (it is not kept on top of the main window,
and Ctrl+Shift+F brings it back with its results), and a refused query is reported in one line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.services.search import MAX_QUERY_LENGTH
from annotator.ui.dialogs.search_dialog import SearchDialog
from annotator.ui.main_window import MainWindow

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _dialog(window: MainWindow, qtbot: QtBot) -> SearchDialog:
    dialog = window.open_search_dialog()
    assert isinstance(dialog, SearchDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _search(qtbot: QtBot, dialog: SearchDialog, query: str) -> None:
    dialog.query.setFocus()
    dialog.query.clear()
    qtbot.keyClicks(dialog.query, query)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert not dialog.search_button.isEnabled()  # one search at a time
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10_000)
    assert dialog.search_button.isEnabled()


def test_enter_lists_each_match_with_its_work_position_and_context(window: MainWindow, qtbot: QtBot) -> None:
    dialog = _dialog(window, qtbot)
    _search(qtbot, dialog, "Kylo")
    works = {h.document_id for h in dialog.hits}
    assert dialog.status.text() == f"{len(dialog.hits)} matches in {len(works)} works."
    assert len(works) == 5
    first = dialog.results.topLevelItem(0)
    hit = dialog.hits[0]
    assert first is not None
    assert [first.text(c) for c in range(3)] == [hit.title, f"{hit.start:,}", hit.context]
    assert "kylo" in hit.context.lower()
    _search(qtbot, dialog, "interrogator")  # in one work only
    assert dialog.status.text() == "1 match in 1 work."


def test_double_clicking_a_match_opens_its_work_with_the_match_selected(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    dialog = _dialog(window, qtbot)
    _search(qtbot, dialog, "Kylo")
    row, hit = next((n, h) for n, h in enumerate(dialog.hits) if h.document_id != ws.pane.document.id)
    results = dialog.results
    item = results.topLevelItem(row)
    assert item is not None
    results.scrollToItem(item)
    rect = results.visualItemRect(item)
    qtbot.mouseClick(results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ws.pane.document.id == hit.document_id
    assert ws.pane.viewer.selected_span() == (hit.start, hit.end)
    assert ws.pane.viewer.selected_text().lower() == "kylo"
    assert ws.documents.current_document_id() == hit.document_id


def test_after_a_jump_the_text_comes_forward_and_ctrl_shift_f_brings_the_results_back(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL_SHIFT)
    dialog = window.search_dialog
    assert isinstance(dialog, SearchDialog)
    qtbot.waitExposed(dialog)
    # A window of its own: no transient parent, so a window manager does not keep it on top of
    # the main window (as it does a dialog's), and the main window can come forward over it.
    handle = dialog.windowHandle()
    assert handle is not None and handle.transientParent() is None
    _search(qtbot, dialog, "interrogator")
    [hit] = dialog.hits
    dialog.results.setFocus()
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)  # onto the one match
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    assert ws.pane.document is not None and ws.pane.document.id == hit.document_id
    assert ws.pane.viewer.selected_span() == (hit.start, hit.end)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    assert ws.pane.viewer.hasFocus()  # typing now goes to the text, e.g. 1 codes the match
    said = f"Match in “{hit.title}”. Ctrl+Shift+F shows the search results again."
    assert window.statusBar().currentMessage() == said
    # Ctrl+Shift+F again: the same search window, its results kept, the query ready to retype.
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL_SHIFT)
    assert window.search_dialog is dialog and dialog.isVisible()
    assert dialog.results.topLevelItemCount() == 1 and dialog.query.selectedText() == "interrogator"
    qtbot.keyClick(dialog.query, Qt.Key.Key_Escape)  # closed, then asked for again: still there
    assert not dialog.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL_SHIFT)
    assert window.search_dialog is dialog and dialog.isVisible() and dialog.results.topLevelItemCount() == 1
    assert handle.transientParent() is None  # shown again, still not kept on top


def test_an_empty_or_too_long_query_says_why_in_one_line(window: MainWindow, qtbot: QtBot) -> None:
    dialog = _dialog(window, qtbot)
    dialog.query.setFocus()
    qtbot.keyClicks(dialog.query, "   ")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert dialog.status.text() == "Type something to search for." and dialog.worker is None
    dialog.query.setText("x" * (MAX_QUERY_LENGTH + 1))  # a pasted paragraph
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10_000)
    assert dialog.status.text() == (
        f"search text is {MAX_QUERY_LENGTH + 1} characters long; the limit is {MAX_QUERY_LENGTH}"
    )
    assert dialog.hits == [] and dialog.search_button.isEnabled()
