"""The agreement dialog's intervals (progress and Cancel), its pairs and works tabs, the methods
paragraph and the assignments checklist, driven with real clicks and keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from annotator.services.assignments import assignment_grid
from annotator.store.project import ProjectStore
from annotator.ui.session import ProjectSession
from annotator.ui.team import AgreementDialog
from annotator.ui.team.assignments_dialog import AssignmentsDialog
from tests.team_support import ALICE, BOB, code_as, document_id

CAROL = [(1, "Power dynamic/Physical", 1000, 1100)]


@pytest.fixture
def session(seeded_project: ProjectStore) -> Iterator[ProjectSession]:
    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "bob", BOB)
    code_as(seeded_project, "carol", CAROL)
    session = ProjectSession(seeded_project, "lead")
    yield session
    session.close()


def _dialog(qtbot: QtBot, session: ProjectSession) -> AgreementDialog:
    dialog = AgreementDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _set_resamples(qtbot: QtBot, dialog: AgreementDialog, value: int) -> None:
    if not dialog.intervals.isChecked():
        _click(qtbot, dialog.intervals)  # type: ignore[arg-type]
    dialog.resamples.setFocus()
    dialog.resamples.selectAll()
    qtbot.keyClicks(dialog.resamples, str(value))
    assert dialog.resamples.value() == value


def test_intervals_fill_the_pairs_tab_and_the_works_tab_orders_lowest_first(
    qtbot: QtBot, session: ProjectSession
) -> None:
    dialog = _dialog(qtbot, session)
    assert dialog.resamples.value() == 1000 and not dialog.intervals.isChecked()
    _set_resamples(qtbot, dialog, 200)
    _click(qtbot, dialog.compute_button)
    qtbot.waitUntil(lambda: dialog.agreement is not None, timeout=30_000)
    result = dialog.agreement
    assert result is not None and result.bootstrap is not None and result.bootstrap.resamples == 200
    pairs = dialog.pairs_table
    assert pairs.text_at(0, 0) == "All 3 coders" and "–" in pairs.text_at(0, 2)
    assert [pairs.text_at(r, 0) for r in range(1, pairs.rowCount())] == [
        "alice | bob",
        "alice | carol",
        "bob | carol",
    ]
    assert "% < 0.667" in pairs.text_at(1, 4)  # κ's interval, with the share of resamples under .667
    works = dialog.works_table
    shown = [works.text_at(r, 1) for r in range(works.rowCount())]
    values = [float(v) for v in shown if v != "—"]
    assert values == sorted(values) and works.rowCount() == 5
    assert not dialog.progress.isVisible() and not dialog.cancel_button.isVisible()


def test_cancel_stops_the_bootstrap_and_leaves_the_dialog_usable(
    qtbot: QtBot, session: ProjectSession
) -> None:
    dialog = _dialog(qtbot, session)
    _set_resamples(qtbot, dialog, 100_000)
    _click(qtbot, dialog.compute_button)
    assert dialog.cancel_button.isVisible() and not dialog.compute_button.isEnabled()
    worker = dialog.worker
    assert worker is not None
    # 100,000 resamples of five works take under a second here: the click comes as the bar first
    # moves (a wait between polls could deliver the whole run at once). Connected after the
    # dialog, this runs once the dialog has shown the step.
    seen: list[tuple[int, int]] = []

    def first_step(_done: int, _total: int, _what: str) -> None:
        if not seen:
            seen.append((dialog.progress.value(), dialog.progress.maximum()))
            _click(qtbot, dialog.cancel_button)

    worker.signals.progress.connect(first_step)
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)  # the bar advances
    [(value, maximum)] = seen
    assert maximum == 100_000 and 0 < value < 100_000
    assert dialog.status.text() == "Cancelled." and dialog.compute_button.isEnabled()
    assert not dialog.progress.isVisible() and not dialog.cancel_button.isVisible()
    qtbot.waitUntil(worker.done.is_set, timeout=10_000)  # stopped after its current block
    qtbot.wait(50)  # let its (dropped) result arrive
    assert dialog.agreement is None
    _click(qtbot, dialog.intervals)  # type: ignore[arg-type]
    _click(qtbot, dialog.compute_button)
    qtbot.waitUntil(lambda: dialog.agreement is not None, timeout=30_000)
    assert dialog.agreement is not None and dialog.agreement.bootstrap is None


def test_methods_paragraph_is_plain_read_only_text_that_copies(qtbot: QtBot, session: ProjectSession) -> None:
    dialog = _dialog(qtbot, session)
    assert not dialog.methods_button.isEnabled()
    _click(qtbot, dialog.compute_button)
    qtbot.waitUntil(lambda: dialog.agreement is not None, timeout=30_000)
    _click(qtbot, dialog.methods_button)
    qtbot.waitUntil(lambda: dialog.methods_dialog is not None, timeout=30_000)
    methods = dialog.methods_dialog
    assert methods is not None and methods.text.isReadOnly()
    text = methods.text.toPlainText()
    assert text.startswith("3 coders independently coded 5 documents")
    assert "No coder assignments are recorded" in text
    _click(qtbot, methods.copy_button)
    assert QGuiApplication.clipboard().text() == text


def test_ticking_who_coded_which_work_is_saved_as_one_undoable_action(
    qtbot: QtBot, session: ProjectSession, seeded_project: ProjectStore
) -> None:
    dialog = _dialog(qtbot, session)
    _click(qtbot, dialog.assign_button)
    checklist = next(w for w in dialog.findChildren(AssignmentsDialog) if w.isVisible())
    qtbot.waitExposed(checklist)
    coders = [checklist.table.horizontalHeaderItem(c).text() for c in range(checklist.table.columnCount())]  # type: ignore[union-attr]
    assert coders == ["alice", "bob", "carol", "lead"]  # every coder but the consensus
    doc0 = document_id(seeded_project, 0)
    row = checklist.document_ids.index(doc0)
    table = checklist.table
    table.setFocus()
    for name in ("alice", "bob"):
        table.setCurrentCell(row, coders.index(name))
        qtbot.keyClick(table.viewport(), Qt.Key.Key_Space)
    save = checklist.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)  # type: ignore[union-attr]
    _click(qtbot, save)
    names = {c.name: c.id for c in session.coders}
    assert assignment_grid(seeded_project).assigned == {(doc0, names["alice"]), (doc0, names["bob"])}
    assert dialog.status.text() == "Assignments saved; Compute to see their effect."

    _click(qtbot, dialog.compute_button)
    qtbot.waitUntil(lambda: dialog.agreement is not None, timeout=30_000)
    assert "only the assigned coders count" in dialog.status.text()
    assert dialog.agreement is not None and dialog.agreement.pair("*", "bob", "carol").kappa is not None

    session.undo()
    assert assignment_grid(seeded_project).assigned == frozenset()
