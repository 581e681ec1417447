"""Find in the open work (Ctrl+F) and search across the project (Ctrl+Shift+F)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.services.annotations import list_annotations
from annotator.ui.dialogs.search_dialog import SearchDialog
from annotator.ui.main_window import MainWindow


def test_find_bar_counts_steps_through_and_selects_matches(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    text = ws.pane.document.text
    expected = [i for i in range(len(text)) if text.lower().startswith("hux", i)]
    assert len(expected) >= 2
    ws.pane.viewer.setFocus()
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = ws.pane.find_bar
    assert bar.isVisible()
    qtbot.keyClicks(bar.line, "HUX")  # case-insensitive by default
    assert [s for s, _ in bar.matches] == expected
    assert bar.count.text() == f"1 of {len(expected)}"
    assert ws.pane.viewer.selected_span() == (expected[0], expected[0] + 3)
    qtbot.keyClick(bar.line, Qt.Key.Key_Return)
    assert bar.count.text() == f"2 of {len(expected)}"
    assert ws.pane.viewer.selected_span() == (expected[1], expected[1] + 3)
    qtbot.keyClick(bar.line, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert ws.pane.viewer.selected_span() == (expected[0], expected[0] + 3)
    # The found text can be coded straight away.
    assert ws.coding.apply_shortcut(2)
    assert [(a.start, a.end) for a in list_annotations(ws.session.store)] == [(expected[0], expected[0] + 3)]
    bar.case.setChecked(True)
    assert bar.matches == [] and bar.count.text() == "No matches"
    qtbot.keyClick(bar.line, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_project_search_lists_matches_in_all_works_and_opens_one(window: MainWindow, qtbot: QtBot) -> None:
    ws = window.workspace
    assert ws is not None
    dialog = window.open_search_dialog()
    assert isinstance(dialog, SearchDialog)
    dialog.query.setText("kylo")
    dialog.start_search()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10_000)
    assert dialog.hits and dialog.results.topLevelItemCount() == len(dialog.hits)
    works = {h.document_id for h in dialog.hits}
    assert len(works) >= 2
    assert all("kylo" in h.context.lower() for h in dialog.hits)
    target = next(h for h in dialog.hits if h.document_id != ws.pane.document.id)  # type: ignore[union-attr]
    dialog.activate(dialog.hits.index(target))
    assert ws.pane.document is not None and ws.pane.document.id == target.document_id
    assert ws.pane.viewer.selected_span() == (target.start, target.end)
    assert ws.documents.current_document_id() == target.document_id


def test_project_search_says_when_nothing_matches(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.open_search_dialog()
    assert dialog is not None
    dialog.query.setText("zzqqxx-not-in-any-work")
    dialog.start_search()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10_000)
    assert dialog.hits == [] and dialog.status.text().startswith("No matches")
