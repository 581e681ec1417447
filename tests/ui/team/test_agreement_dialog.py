"""The agreement dialog: it offers the coders who coded (not the lead, not the consensus), code
groups as well as codes, computes in the background on Compute, says what is missing when no
document or coder is ticked, and reports a failed export in one line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from annotator.store.project import ProjectStore
from annotator.ui.session import ProjectSession
from annotator.ui.team import AgreementDialog
from annotator.ui.team.agreement_table import KAPPA
from tests.team_support import ALICE, BOB, code_as, document_id


@pytest.fixture
def session(seeded_project: ProjectStore) -> Iterator[ProjectSession]:
    """The lead's session on a project alice and bob coded."""
    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "bob", BOB)
    session = ProjectSession(seeded_project, "lead")
    yield session
    session.close()


def _dialog(qtbot: QtBot, session: ProjectSession) -> AgreementDialog:
    dialog = AgreementDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _ticked(widget: QListWidget) -> list[str]:
    return [
        widget.item(i).text()
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


def _toggle(qtbot: QtBot, widget: QListWidget, row: int) -> None:
    widget.setFocus()
    widget.setCurrentRow(row)
    qtbot.keyClick(widget, Qt.Key.Key_Space)


def _compute(qtbot: QtBot, dialog: AgreementDialog) -> None:
    dialog.agreement = None
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.agreement is not None, timeout=20_000)


def test_coders_who_coded_are_ticked_and_codes_can_be_chosen_one_or_a_group(
    qtbot: QtBot, session: ProjectSession
) -> None:
    dialog = _dialog(qtbot, session)
    names = [dialog.coders.item(i).text() for i in range(dialog.coders.count())]
    assert sorted(names) == ["alice", "bob", "lead"] and sorted(_ticked(dialog.coders)) == ["alice", "bob"]
    labels = [dialog.codes.itemText(i) for i in range(dialog.codes.count())]
    assert labels[0] == "Every code the coders used"
    assert "Group: Trope (each sub-code, and pooled)" in labels and "Trope/Slow burn" in labels
    assert not dialog.export_button.isEnabled()
    dialog.codes.setFocus()
    for _ in range(labels.index("Trope/Slow burn")):
        qtbot.keyClick(dialog.codes, Qt.Key.Key_Down)
    _compute(qtbot, dialog)
    assert dialog.agreement is not None and dialog.agreement.codes == ("Trope/Slow burn", "*")
    assert dialog.table.cell_text("Trope/Slow burn", "alice | bob", KAPPA) == "0.749"
    assert dialog.status.text().endswith("characters in scope.") and dialog.export_button.isEnabled()


def test_with_no_document_ticked_compute_says_what_to_choose(
    qtbot: QtBot, session: ProjectSession, seeded_project: ProjectStore
) -> None:
    dialog = _dialog(qtbot, session)
    for row in range(dialog.documents.count()):
        _toggle(qtbot, dialog.documents, row)
    assert _ticked(dialog.documents) == []
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Choose at least one document and the coders to compare."
    assert dialog.worker is None and dialog.agreement is None
    second = document_id(seeded_project, 1)
    ids = [dialog.documents.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.documents.count())]
    _toggle(qtbot, dialog.documents, ids.index(second))
    _compute(qtbot, dialog)
    assert dialog.agreement is not None
    assert dialog.agreement.codes == ("Power dynamic/Physical", "*")  # the only code used in that work


def test_a_failed_export_is_reported_in_one_line_and_nothing_is_written(
    qtbot: QtBot, session: ProjectSession, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    dialog = _dialog(qtbot, session)
    assert dialog.export_csv(exports / "early.csv") == 0  # nothing computed yet
    _compute(qtbot, dialog)
    target = exports / "missing" / "agreement.csv"
    assert dialog.export_csv(target) == 0
    assert dialog.last_error.startswith(f"cannot write {target}: ") and "\n" not in dialog.last_error
    assert dialog.status.text() == f"⚠ {dialog.last_error}"
    assert list(exports.iterdir()) == []
    written = dialog.export_csv(exports / "agreement.csv")
    assert written > 0 and dialog.status.text() == f"Wrote {written} rows to {exports / 'agreement.csv'}"
