"""The agreement dialog: it offers the coders who coded (not the lead, not the consensus), code
groups as well as codes, computes in the background on Compute, says what is missing when no
document or coder is ticked, and reports a failed export in one line."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from annotator.store.project import ProjectStore
from annotator.ui.session import ProjectSession
from annotator.ui.team import AgreementDialog
from annotator.ui.team.agreement_table import KAPPA, NOTES, PERCENT, TOOLTIP_COLUMNS
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
    assert "Group: Trope (each sub-code, and pooled)" in labels and "Trope › Slow burn" in labels
    assert not dialog.export_button.isEnabled()
    dialog.codes.setFocus()
    for _ in range(labels.index("Trope › Slow burn")):
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


def _tooltip_lines(tip: str) -> list[str]:
    """The lines a tooltip shows: its markup taken off (what plain_tooltip escaped comes back)."""
    text = re.sub(r"<[^>]+>", "", tip)
    return html.unescape(text).split("\n")


def test_coders_who_shared_no_character_get_no_100_percent_nor_minus_zero_and_are_told_why(
    qtbot: QtBot, seeded_project: ProjectStore
) -> None:
    # Two characters by alice and one by bob, far apart, among 66,878: % agreement rounds to 100.00
    # and κ to -0.000 (it is -0.0000075); both misled before.
    code_as(seeded_project, "alice", [(0, "Trope/Pining", 10, 12)])
    code_as(seeded_project, "bob", [(0, "Trope/Pining", 20, 21)])
    session = ProjectSession(seeded_project, "lead")
    try:
        dialog = _dialog(qtbot, session)
        _compute(qtbot, dialog)
        table = dialog.table
        assert table.cell_text("Trope/Pining", "alice | bob", PERCENT) == "> 99.99%"
        assert table.cell_text("Trope/Pining", "alice | bob", KAPPA) == "0.000"
        cells = [table.item(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())]
        assert not any(cell is not None and "-0.000" in cell.text() for cell in cells)
        note = table.cell_text("Trope/Pining", "alice | bob", NOTES)
        assert note.startswith(
            "The coders shared no coded character (2 only by alice, 1 only by bob): κ ≤ 0."
        )
        assert "66,875 characters neither coded" in note
        assert "corrects for the agreement expected by chance" in dialog.footnote.text()
        row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Trope › Pining")  # type: ignore[union-attr]
        for column in (PERCENT, KAPPA, NOTES):
            tip = table.item(row, column).toolTip()  # type: ignore[union-attr]
            lines = _tooltip_lines(tip)
            assert "shared no coded character" in " ".join(lines)
            assert max(len(line) for line in lines) <= TOOLTIP_COLUMNS  # wrapped, not one long line
    finally:
        session.close()


def test_an_undefined_kappa_says_why_percent_is_100(qtbot: QtBot, session: ProjectSession) -> None:
    # Neither alice nor bob used Trope/Fluff: every character is "neither", p_e = 1.
    dialog = _dialog(qtbot, session)
    dialog.codes.setFocus()
    labels = [dialog.codes.itemText(i) for i in range(dialog.codes.count())]
    for _ in range(labels.index("Trope › Fluff")):
        qtbot.keyClick(dialog.codes, Qt.Key.Key_Down)
    _compute(qtbot, dialog)
    assert dialog.table.cell_text("Trope/Fluff", "alice | bob", KAPPA) == "—"
    assert dialog.table.cell_text("Trope/Fluff", "alice | bob", PERCENT) == "100.00%"
    note = dialog.table.cell_text("Trope/Fluff", "alice | bob", NOTES)
    assert note.startswith("κ undefined: neither coder used this code in scope (pe = 1): only one category")
    assert "100% by construction" in note
