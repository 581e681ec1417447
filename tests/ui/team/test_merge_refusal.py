"""Merging a damaged copy from the app: the report lists every problem as plain text; nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from annotator.services.changes import Change
from annotator.services.projects import create_project
from annotator.ui.session import ProjectSession
from annotator.ui.team import MergeAction
from tests.damaged_copies import alice_copy, damage
from tests.dumps import dump_tables
from tests.team_support import team_targets

__all__ = ["team_targets"]


def test_a_damaged_copy_is_refused_with_its_problems_listed_and_nothing_published(
    qtbot: QtBot, team_targets: Callable[[str], str], tmp_path: Path
) -> None:
    source = damage(
        alice_copy(team_targets("alice"), tmp_path),
        "UPDATE coders SET name = '<b>alice</b>', colour = 'blue'",  # markup stays text in the report
        'UPDATE annotations SET start = 20000, "end" = 900000 WHERE id = 2',
    )
    session = ProjectSession(create_project(team_targets("target"), codebook="fandom"), "lead")
    before = dump_tables(session.store)
    heard: list[Change] = []
    session.changed.connect(lambda change, _initiator: heard.append(change))

    action = MergeAction(session)
    action.run([source])
    qtbot.waitUntil(lambda: action.dialog is not None, timeout=30_000)
    dialog = action.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)

    assert isinstance(dialog.text, QPlainTextEdit)  # never rich text: names are shown as typed
    lines = dialog.text.toPlainText().splitlines()
    assert lines[0].startswith("Not merged: cannot merge ") and lines[0].endswith(
        ": 2 problems found in that copy; nothing was merged"
    )
    assert lines[1:] == [
        "  coder 1 “<b>alice</b>”: colour “blue” is not of the form #rrggbb",
        "  annotation 2 on “000_5fff9f97e7e95096”: span 20000–900000 is beyond the text (20,406 characters)",
    ]
    assert action.reports == [] and heard == [] and dump_tables(session.store) == before
    qtbot.keyClick(dialog.text, Qt.Key.Key_Escape)  # the reader dismisses it like any dialog
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    session.close()
