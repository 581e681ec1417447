"""The codebook tree model: passes QAbstractItemModelTester, shows counts and key numbers, keeps the
view's state when only counts change, turns drops into move requests, and never writes itself."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit, QTreeView
from pytestqt.qtbot import QtBot

from annotator.core.types import CodeInfo
from annotator.ui.models.codebook_model import (
    CODE_ID_ROLE,
    COL_COUNT,
    COL_KEY,
    COL_NAME,
    MIME_TYPE,
    CodebookModel,
    shortcut_codes,
)
from tests.ui.shown import shown_text

pytestmark = pytest.mark.usefixtures("qapp")  # swatches are QPixmaps, which need an application


def _codes() -> list[CodeInfo]:
    # Tree order, as list_codes returns it.
    return [
        CodeInfo(1, None, "Trope", "Trope", "#ff0000", count=0),
        CodeInfo(2, 1, "Slow burn", "Trope/Slow burn", "#00ff00", count=4),
        CodeInfo(3, 1, "Hurt/comfort", "Trope/Hurt\\/comfort", "#0000ff", count=1),
        CodeInfo(4, None, "Consent", "Consent", "#888888"),
        CodeInfo(5, 4, "Dubious", "Consent/Dubious", "#aa00aa"),
        CodeInfo(6, 5, "Retroactive", "Consent/Dubious/Retroactive", "#aa00aa"),
        CodeInfo(7, None, "POV", "POV", "#123456"),
        CodeInfo(8, 7, "First", "POV/First", "#123456"),
        CodeInfo(9, 7, "Second", "POV/Second", "#123456"),
        CodeInfo(10, 7, "Third", "POV/Third", "#123456"),
    ]


def test_codebook_model_passes_the_model_tester(qtmodeltester: object) -> None:
    model = CodebookModel()
    model.set_codes(_codes())
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]
    # In-place refresh (counts changed) and structural reset both keep the model consistent.
    model.set_codes([replace(c, count=c.count + 1) for c in _codes()])
    model.set_codes(_codes()[:5])
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]


def test_codebook_model_shows_tree_counts_and_keys_for_the_first_nine_codes() -> None:
    model = CodebookModel()
    model.set_codes(_codes())
    assert model.rowCount() == 3
    trope = model.index(0, COL_NAME)
    assert model.rowCount(trope) == 2
    slow_burn = model.index(0, COL_NAME, trope)
    assert slow_burn.data() == "Slow burn"
    assert model.index(0, COL_COUNT, trope).data() == "4"
    assert model.index(0, COL_KEY, trope).data() == "2"  # tree order: Trope=1, Slow burn=2
    retro = model.index(0, COL_NAME, model.index(0, COL_NAME, model.index(1, COL_NAME)))
    assert retro.data() == "Retroactive" and model.parent(retro).data() == "Dubious"
    pov = model.index(2, COL_NAME)
    assert model.index(1, COL_KEY, pov).data() == "9"
    assert model.index(2, COL_KEY, pov).data() == ""  # the tenth code has no key


def test_codebook_model_keeps_indexes_when_only_counts_change(qtbot: QtBot) -> None:
    model = CodebookModel()
    model.set_codes(_codes())
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_codes([replace(c, count=7) for c in _codes()])
    assert model.index_of(2, COL_COUNT).data() == "7"
    with qtbot.waitSignal(model.modelReset):
        model.set_codes([*_codes(), CodeInfo(11, None, "New", "New", "#000000")])


def test_codebook_drop_asks_to_move_under_the_target_at_the_row(qtbot: QtBot) -> None:
    moves: list[tuple[int, int | None, int]] = []
    model = CodebookModel(on_move=lambda code, parent, position: moves.append((code, parent, position)))
    model.set_codes(_codes())
    data = model.mimeData([model.index_of(6)])
    assert data.hasFormat(MIME_TYPE)
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, model.index_of(1)) is False
    qtbot.waitUntil(lambda: moves == [(6, 1, 2)])  # appended after Trope's two sub-codes
    # Moving Third (row 2 under POV) to row 0 of POV; moving it down past itself counts the gap.
    model.dropMimeData(
        model.mimeData([model.index_of(10)]), Qt.DropAction.MoveAction, 0, 0, model.index_of(7)
    )
    model.dropMimeData(model.mimeData([model.index_of(8)]), Qt.DropAction.MoveAction, 3, 0, model.index_of(7))
    model.dropMimeData(model.mimeData([model.index_of(2)]), Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    qtbot.waitUntil(lambda: len(moves) == 4)
    assert moves[1:] == [(10, 7, 0), (8, 7, 2), (2, None, 1)]


def test_a_rename_typed_in_the_tree_is_handed_to_the_panel_not_written(qtbot: QtBot) -> None:
    renames: list[tuple[int, str]] = []
    model = CodebookModel(on_rename=lambda code_id, name: renames.append((code_id, name)))
    model.set_codes(_codes())
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.expandAll()
    view.show()
    qtbot.waitExposed(view)
    slow_burn = model.index_of(2)
    view.setCurrentIndex(slow_burn)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    [editor] = view.viewport().findChildren(QLineEdit)
    assert editor.text() == "Slow burn" and editor.selectedText() == "Slow burn"
    qtbot.keyClicks(editor, "Slower burn")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: renames == [(2, "Slower burn")])  # the delegate commits on the next turn
    # The model shows what the session hands it next, not what was typed.
    assert model.index_of(2).data() == "Slow burn"
    # Unchanged or blank names are not asked for at all.
    assert not model.setData(slow_burn, "Slow burn") and not model.setData(slow_burn, "   ")
    assert renames == [(2, "Slower burn")]


def test_first_nine_codes_are_the_shortcuts_and_parents_are_bold_with_definitions_as_tips() -> None:
    codes = _codes()
    codes[1] = replace(codes[1], definition="Feelings that take chapters to admit.")
    model = CodebookModel()
    model.set_codes(codes)
    assert [c.id for c in shortcut_codes(codes)] == list(range(1, 10))
    assert model.index_of(1).data(Qt.ItemDataRole.FontRole).bold()  # Trope has sub-codes
    assert model.index_of(2).data(Qt.ItemDataRole.FontRole) is None
    assert shown_text(model.index_of(2).data(Qt.ItemDataRole.ToolTipRole)) == (
        "Trope/Slow burn\n\nFeelings that take chapters to admit."
    )
    assert model.index_of(7, COL_KEY).data(CODE_ID_ROLE) == 7
    assert model.index_of(1, COL_COUNT).data() == ""  # no uses: an empty cell, not "0"


def test_one_moved_count_repaints_only_that_codes_row(qtbot: QtBot) -> None:
    model = CodebookModel()
    model.set_codes(_codes())
    repainted: list[int] = []

    def changed(top: QModelIndex, _bottom: QModelIndex, _roles: object = None) -> None:
        code = model.code_at(top)
        assert code is not None
        repainted.append(code.id)

    model.dataChanged.connect(changed)
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_codes([replace(c, count=5) if c.id == 2 else c for c in _codes()])
    assert repainted == [2]
    assert model.index_of(2, COL_COUNT).data() == "5"
