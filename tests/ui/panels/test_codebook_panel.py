"""Editing the codebook from its panel: add, rename inline, recolour, move by drag and drop, merge,
delete after a confirmation that says what goes with the code, and the details pane."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox
from pytestqt.qtbot import QtBot

from annotator.services.annotations import list_annotations
from annotator.services.codebook import list_codes
from annotator.ui.main_window import MainWindow
from annotator.ui.models.codebook_model import COL_NAME
from annotator.ui.panels import codebook_panel
from annotator.ui.panels.codebook_panel import CodebookPanel


def _panel(window: MainWindow) -> CodebookPanel:
    assert window.workspace is not None
    return window.workspace.codebook


def _code_id(window: MainWindow, path: str) -> int:
    return next(c.id for c in list_codes(window.workspace.session.store) if c.path == path)  # type: ignore[union-attr]


def _code_by_id(window: MainWindow, code_id: int) -> object:
    return next((c for c in list_codes(window.workspace.session.store) if c.id == code_id), None)  # type: ignore[union-attr]


def _code(window: MainWindow, start: int, end: int, code_id: int) -> int:
    ws = window.workspace
    assert ws is not None
    ws.pane.viewer.select_span(start, end)
    assert ws.coding.apply_code(code_id)
    return max(a.id for a in list_annotations(ws.session.store))


def test_add_sub_code_rename_inline_and_undo(window: MainWindow) -> None:
    panel = _panel(window)
    trope = _code_id(window, "Trope")
    new_id = panel.add_code("Found family", trope)
    assert new_id is not None
    assert _code_by_id(window, new_id).path == "Trope/Found family"  # type: ignore[attr-defined]
    assert panel.current_code() is not None and panel.current_code().id == new_id  # type: ignore[union-attr]
    # Inline rename goes through the model's setData, as the tree's editor does.
    index = panel.model.index_of(new_id, COL_NAME)
    assert panel.model.setData(index, "Found  family and friends")
    assert _code_by_id(window, new_id).name == "Found family and friends"  # type: ignore[attr-defined]
    assert panel.model.index_of(new_id).data() == "Found family and friends"
    window.session.undo()  # type: ignore[union-attr]
    assert _code_by_id(window, new_id).name == "Found family"  # type: ignore[attr-defined]
    window.session.undo()  # type: ignore[union-attr]
    assert _code_by_id(window, new_id) is None
    assert not panel.model.index_of(new_id).isValid()


def test_duplicate_name_is_refused_with_a_message_and_nothing_changes(window: MainWindow) -> None:
    panel = _panel(window)
    before = list_codes(window.workspace.session.store)  # type: ignore[union-attr]
    assert panel.add_code("trope") is None  # case-insensitively the same as "Trope"
    assert "already exists" in window.last_error
    assert list_codes(window.workspace.session.store) == before  # type: ignore[union-attr]


def test_delete_tells_how_much_goes_and_only_deletes_on_yes(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _panel(window)
    ws = window.workspace
    assert ws is not None
    slow_burn = _code_id(window, "Trope/Slow burn")
    first = _code(window, 0, 10, slow_burn)
    second = _code(window, 20, 30, slow_burn)
    asked: list[str] = []

    def answer(reply: bool) -> object:
        def confirm(_parent: object, _title: str, text: str) -> bool:
            asked.append(text)
            return reply

        return confirm

    monkeypatch.setattr(codebook_panel, "confirm", answer(False))
    assert not panel.delete_code(slow_burn)
    assert "This deletes 1 code and 2 annotations" in asked[0]
    assert {a.id for a in list_annotations(ws.session.store)} == {first, second}

    monkeypatch.setattr(codebook_panel, "confirm", answer(True))
    trope = _code_id(window, "Trope")
    assert panel.delete_code(trope)
    assert "This deletes 11 codes and 2 annotations" in asked[1]
    assert list_annotations(ws.session.store) == []
    said = "Deleted “Trope” with 10 sub-codes and 2 annotations. Ctrl+Z undoes."
    assert window.statusBar().currentMessage() == said
    assert ws.pane.viewer.highlight(first) is None
    assert not panel.model.index_of(trope).isValid()
    ws.session.undo()
    assert {a.id for a in list_annotations(ws.session.store)} == {first, second}
    assert ws.pane.viewer.highlight(first) is not None
    assert panel.model.index_of(slow_burn).isValid()


def test_drag_and_drop_moves_a_code_under_another_and_undo_moves_it_back(
    window: MainWindow, qtbot: QtBot
) -> None:
    panel = _panel(window)
    pining = _code_id(window, "Trope/Pining")
    consent = _code_id(window, "Consent framing")
    model = panel.model
    data = model.mimeData([model.index_of(pining)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.index_of(consent))
    qtbot.waitUntil(lambda: _code_by_id(window, pining).path == "Consent framing/Pining")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: model.parent(model.index_of(pining)).data() == "Consent framing")
    assert model.index_of(pining).row() == 0
    window.session.undo()  # type: ignore[union-attr]
    assert _code_by_id(window, pining).path == "Trope/Pining"  # type: ignore[attr-defined]
    assert model.parent(model.index_of(pining)).data() == "Trope"


def test_merge_moves_annotations_and_recolour_repaints_highlights(window: MainWindow) -> None:
    panel = _panel(window)
    ws = window.workspace
    assert ws is not None
    angst = _code_id(window, "Trope/Angst")
    fluff = _code_id(window, "Trope/Fluff")
    annotation = _code(window, 40, 60, angst)
    assert panel.recolour_code(angst, "#123456")
    assert ws.pane.viewer.highlight(annotation).colour == "#123456"  # type: ignore[union-attr]
    assert panel.merge_codes(angst, fluff)
    assert [a.code_id for a in list_annotations(ws.session.store)] == [fluff]
    assert _code_by_id(window, angst) is None
    assert ws.pane.viewer.highlight(annotation).code_name == "Trope › Fluff"  # type: ignore[union-attr]


def test_details_pane_saves_definition_and_keeps_unsaved_text_on_switch(window: MainWindow) -> None:
    panel = _panel(window)
    pining = _code_id(window, "Trope/Pining")
    angst = _code_id(window, "Trope/Angst")
    panel.select_code(pining)
    assert panel.details.code is not None and panel.details.code.id == pining
    panel.details.editors["definition"].setPlainText("Longing, unreciprocated.")
    panel.details.short_name.setText("PN")
    assert panel.details.save()
    stored = _code_by_id(window, pining)
    assert (stored.definition, stored.short_name) == ("Longing, unreciprocated.", "PN")  # type: ignore[attr-defined]
    # Typing and then selecting another code saves what was typed.
    panel.details.editors["example"].setPlainText("He watched her leave, again.")
    panel.select_code(angst)
    assert _code_by_id(window, pining).example == "He watched her leave, again."  # type: ignore[attr-defined]


def test_double_click_applies_the_code_to_the_selection(window: MainWindow, qtbot: QtBot) -> None:
    panel = _panel(window)
    ws = window.workspace
    assert ws is not None
    slow_burn = _code_id(window, "Trope/Slow burn")
    ws.pane.viewer.select_span(100, 140)
    index = panel.model.index_of(slow_burn)
    panel.tree.scrollTo(index)
    rect = panel.tree.visualRect(index)
    assert panel.tree.viewport().rect().contains(rect.center())
    # A real double-click is a click followed by a double-click event at the same place.
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    [annotation] = list_annotations(ws.session.store)
    assert (annotation.start, annotation.end, annotation.code_id) == (100, 140, slow_burn)


def test_a_narrow_codebook_dock_wraps_its_buttons_instead_of_hiding_them(
    window: MainWindow, qtbot: QtBot
) -> None:
    """A toolbar hid Merge and Delete behind "››" in a narrow dock; the buttons now wrap."""
    panel = _panel(window)
    bar = panel.toolbar
    window.resize(1600, 900)
    dock = next(d for d in window.findChildren(QDockWidget) if d.widget() is panel)
    window.resizeDocks([dock], [bar.sizeHint().width() + 60], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: bar.width() >= bar.sizeHint().width())
    one_line = bar.height()
    window.resizeDocks([dock], [bar.sizeHint().width() // 2], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: bar.height() > one_line)  # a second line
    for action in bar.actions():
        button = bar.widgetForAction(action)
        assert button is not None and button.isVisible(), action.text()
        assert bar.rect().contains(button.geometry()), action.text()  # inside the bar, not cut off
    delete = bar.widgetForAction(panel.delete_action)
    assert delete is not None
    code = _code_id(window, "Trope/Fluff")
    panel.select_code(code)
    QTimer.singleShot(0, lambda: _answer_no())
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)  # reachable and working on the second line
    assert _code_by_id(window, code) is not None  # "No" kept it


def _answer_no() -> None:
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.No).click()
