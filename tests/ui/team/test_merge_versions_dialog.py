"""Merging a copy coded on an older version of a work from the app: the report counts each class."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from annotator.services.changes import Change
from annotator.store.project import ProjectStore
from annotator.ui.session import ProjectSession
from annotator.ui.team import MergeAction
from tests.services.test_merge_versions import STORM, code_copy, project_at, update_to
from tests.team_support import team_targets

__all__ = ["team_targets"]


def _location(store: ProjectStore) -> str:
    return store.location if store.is_sqlite else store.url.render_as_string(hide_password=False)


def test_the_merge_report_counts_reanchored_annotations_and_lists_the_orphan(
    qtbot: QtBot, team_targets: Callable[[str], str], tmp_path: Path
) -> None:
    copy, copy_doc = project_at(team_targets("ana"), tmp_path / "ana")
    code_copy(copy, copy_doc)
    target, doc = project_at(team_targets("team"), tmp_path / "team")
    update_to(target, doc, tmp_path / "team")
    session = ProjectSession(target, "lead")
    heard: list[Change] = []
    session.changed.connect(lambda change, _initiator: heard.append(change))
    action = MergeAction(session)

    with qtbot.waitSignal(session.changed, timeout=30_000):
        action.run([_location(copy)])
    qtbot.waitUntil(lambda: action.dialog is not None, timeout=5_000)

    [change] = heard
    assert change.anchor_reviews_changed == (doc,) and change.annotations_changed_in == (doc,)
    text = action.dialog.text.toPlainText()  # type: ignore[union-attr]
    assert "re-anchored from older versions: 2 exact, 1 changed (waiting for review), 1 orphaned" in text
    assert STORM[:30] in text and "see the review queue" in text
    action.dialog.close()  # type: ignore[union-attr]
    copy.close()
    session.close()
