"""The team workflow in the desktop app: merge two coders' copies, compare, adjudicate, undo, export."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from annotator.io.atomic import atomic_write_text
from annotator.services.annotations import list_annotations
from annotator.services.coders import list_coders
from annotator.services.projects import create_project
from annotator.services.segments import SegmentFilter, export_segments
from annotator.store.project import ProjectStore
from annotator.ui.main_window import MainWindow
from annotator.ui.session import ProjectSession
from annotator.ui.team import AgreementDialog, ComparisonWindow, MergeAction
from annotator.ui.team.agreement_table import KAPPA, PERCENT
from annotator.ui.team.bands import YELLOW_GREEN
from tests.team_support import ALICE, BOB, code_as, code_id, document_id, seeded_copy, team_targets

__all__ = ["team_targets"]


def _location(store: ProjectStore) -> str:
    return store.location if store.is_sqlite else store.url.render_as_string(hide_password=False)


def _rows(window: ComparisonWindow) -> list[str]:
    model = window.disagreements.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _consensus(store: ProjectStore) -> list[tuple[int, int, int, int]]:
    ids = [c.id for c in list_coders(store) if c.name == "consensus"]
    return [(a.id, a.code_id, a.start, a.end) for a in list_annotations(store, coder_ids=ids)] if ids else []


@pytest.fixture
def merged(qtbot: QtBot, team_targets: Callable[[str], str], tmp_path: Path) -> Iterator[ProjectSession]:
    """A lead's project into which alice's and bob's blind copies were merged through the GUI action."""
    alice = seeded_copy(team_targets("alice"), tmp_path)
    bob = seeded_copy(team_targets("bob"), tmp_path, renamed=True)
    code_as(alice, "alice", ALICE)
    code_as(bob, "bob", BOB)
    session = ProjectSession(create_project(team_targets("target")), "lead")
    action = MergeAction(session)
    action.run([_location(alice), _location(bob)])
    qtbot.waitUntil(lambda: action.dialog is not None, timeout=30_000)
    assert action.error == ""
    assert [r.annotations_added for r in action.reports] == [len(ALICE), len(BOB)]
    assert "annotations: 3 added" in action.dialog.text.toPlainText()  # type: ignore[union-attr]
    action.dialog.close()  # type: ignore[union-attr]
    alice.close()
    bob.close()
    yield session
    session.close()


def test_adjudicate_in_the_comparison_window_then_undo_redo_and_export(
    qtbot: QtBot, merged: ProjectSession, tmp_path: Path
) -> None:
    store = merged.store
    window = ComparisonWindow(merged)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.document.setCurrentIndex(window.document.findData(document_id(store, 0)))
    assert _rows(window) == [
        "• Trope › Pining  [200, 300)  coded by alice",
        "• Trope › Slow burn  [500, 650)  coded by alice, bob",
    ]
    assert window.panel.progress.text() == "0 of 2 resolved in this list · 0 of 4 in all documents"
    # The lanes show where each coder coded: alice's first 100 characters agreed, [500, 550) hers alone.
    first_run = window.lanes.runs["alice"][0]
    assert (first_run.start, first_run.end, first_run.agreed) == (0, 100, True)
    qtbot.mouseClick(window.lanes, Qt.MouseButton.LeftButton, pos=window.lanes.click_at_offset(560).toPoint())
    assert (
        window.disagreements.currentIndex().row() == 1
    )  # a click on the lanes selects the disagreement there
    assert window.viewer.selected_span() == (500, 650)

    qtbot.mouseClick(window.panel.coder_buttons["alice"], Qt.MouseButton.LeftButton)
    slow_burn = code_id(store, "Trope/Slow burn")
    [(first_id, *accepted)] = _consensus(store)
    assert accepted == [slow_burn, 500, 600]
    assert window.panel.progress.text() == "1 of 2 resolved in this list · 1 of 4 in all documents"
    assert _rows(window)[1].startswith("✓ Trope › Slow burn")
    assert window.disagreements.currentIndex().row() == 0  # on to the next open disagreement

    # Ctrl+Z and Ctrl+Shift+Z work wherever the focus is in the window, the text included.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.disagreements, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _consensus(store) == [] and window.panel.progress.text().startswith("0 of 2 resolved")
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.viewer, Qt.Key.Key_Z, redo)
    assert _consensus(store) == [(first_id, slow_burn, 500, 600)]  # redo restores the same row

    target = tmp_path / "consensus.csv"
    only_consensus = SegmentFilter(coders=("consensus",))
    written = atomic_write_text(target, lambda out: export_segments(store, out, only_consensus))
    [row] = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert written == 1 and (row["coder"], row["code_path"], row["start"], row["end"]) == (
        "consensus",
        "Trope/Slow burn",
        "500",
        "600",
    )


def test_new_span_and_neither_buttons(qtbot: QtBot, merged: ProjectSession) -> None:
    store = merged.store
    window = ComparisonWindow(merged)
    qtbot.addWidget(window)
    window.show()
    window.document.setCurrentIndex(window.document.findData(document_id(store, 0)))
    window.select_row(1)
    window.viewer.select_span(520, 640)
    qtbot.mouseClick(window.panel.new_span, Qt.MouseButton.LeftButton)
    assert [(s, e) for _, _, s, e in _consensus(store)] == [(520, 640)]
    window.select_row(0)
    qtbot.mouseClick(window.panel.neither, Qt.MouseButton.LeftButton)
    assert window.panel.progress.text() == "2 of 2 resolved in this list · 2 of 4 in all documents"
    assert [(s, e) for _, _, s, e in _consensus(store)] == [(520, 640)]  # "neither" adds no annotation
    window.select_row(1)
    window.viewer.select_span(10, 20)  # outside the disagreement: refused, nothing changes
    qtbot.mouseClick(window.panel.new_span, Qt.MouseButton.LeftButton)
    assert "must overlap" in window.panel.message.text()
    assert [(s, e) for _, _, s, e in _consensus(store)] == [(520, 640)]


def test_agreement_dialog_colours_values_and_exports_csv(
    qtbot: QtBot, merged: ProjectSession, tmp_path: Path
) -> None:
    dialog = AgreementDialog(merged)
    qtbot.addWidget(dialog)
    dialog.codes.setCurrentIndex(dialog.codes.findData("group:Trope"))
    dialog.compute()
    qtbot.waitUntil(lambda: dialog.agreement is not None, timeout=20_000)
    table = dialog.table
    assert table.cell_text("Trope/Slow burn", "alice | bob", KAPPA) == "0.749"
    assert table.cell_text("Trope/Slow burn", "alice | bob", PERCENT) == "99.85%"
    assert table.cell_text("Trope/Fluff", "alice | bob", KAPPA) == "—"
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Trope › Slow burn")  # type: ignore[union-attr]
    kappa = table.item(row, KAPPA)
    assert kappa is not None
    assert kappa.background().color() == QColor(YELLOW_GREEN)  # 0.667 ≤ κ < 0.8: tentative
    assert "both coded 150" in kappa.toolTip() and "Krippendorff" in kappa.toolTip()

    target = tmp_path / "agreement.csv"
    assert dialog.export_csv(target) > 0
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    pooled = {(r["code"], r["coder_a"]): r for r in rows if r["scope"] == "pooled"}
    assert pooled[("Trope/Slow burn", "alice")]["both"] == pooled[("Trope/*", "alice")]["both"] == "150"
    fluff = pooled[("Trope/Fluff", "alice")]
    assert fluff["kappa"] == "" and "undefined" in fluff["note"]


def test_the_team_menu_opens_the_dialogs_on_the_open_project(window: MainWindow) -> None:
    titles = [a.text() for a in window.team_menu.menu.actions()]
    assert titles == ["&Merge coder projects…", "&Agreement…", "&Compare and adjudicate…"]
    assert all(a.isEnabled() for a in window.team_menu.actions)
    dialog = window.team_menu.agreement()
    assert isinstance(dialog, AgreementDialog) and dialog in window.dialogs
    comparison = window.team_menu.compare()
    assert isinstance(comparison, ComparisonWindow) and comparison.session is window.session
    window.close_project()
    assert not any(a.isEnabled() for a in window.team_menu.actions)
