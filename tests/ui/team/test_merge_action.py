"""Merging coders' copies from the app: the result reaches the views as one published Change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from annotator.services.changes import Change
from annotator.services.projects import create_project
from annotator.store.project import ProjectStore
from annotator.ui.session import ProjectSession
from annotator.ui.team import MergeAction
from tests.team_support import ALICE, code_as, seeded_copy, team_targets

__all__ = ["team_targets"]


def _location(store: ProjectStore) -> str:
    return store.location if store.is_sqlite else store.url.render_as_string(hide_password=False)


@pytest.fixture
def lead_and_alice(
    team_targets: Callable[[str], str], tmp_path: Path
) -> Iterator[tuple[ProjectSession, ProjectStore]]:
    """A lead's empty project open in the app, and alice's coded copy to merge into it."""
    alice = seeded_copy(team_targets("alice"), tmp_path)
    code_as(alice, "alice", ALICE)
    session = ProjectSession(create_project(team_targets("target"), codebook="empty"), "lead")
    yield session, alice
    alice.close()
    session.close()


def test_a_merge_is_published_once_naming_new_documents_codes_and_coders(
    qtbot: QtBot, lead_and_alice: tuple[ProjectSession, ProjectStore], tmp_path: Path
) -> None:
    session, alice = lead_and_alice
    heard: list[Change] = []
    session.changed.connect(lambda change, _initiator: heard.append(change))
    action = MergeAction(session)
    with qtbot.waitSignal(session.changed, timeout=30_000):
        action.run([_location(alice), str(tmp_path / "missing.annotator")])
    qtbot.waitUntil(lambda: action.dialog is not None, timeout=5_000)
    [change] = heard
    assert len(change.documents_added) == 5 and change.codebook_changed and change.coders_changed
    assert {c.name for c in session.coders} == {"lead", "alice"}  # caches refreshed by the door
    assert "missing.annotator" in action.error and "no project at" in action.error
    text = action.dialog.text.toPlainText()  # type: ignore[union-attr]
    assert f"annotations: {len(ALICE)} added" in text and "Not merged:" in text
    action.dialog.close()  # type: ignore[union-attr]


def test_merging_the_same_copy_again_publishes_nothing(
    qtbot: QtBot, lead_and_alice: tuple[ProjectSession, ProjectStore]
) -> None:
    session, alice = lead_and_alice
    first = MergeAction(session)
    first.run([_location(alice)])
    qtbot.waitUntil(lambda: first.dialog is not None, timeout=30_000)
    heard: list[Change] = []
    session.changed.connect(lambda change, _initiator: heard.append(change))
    again = MergeAction(session)
    again.run([_location(alice)])
    qtbot.waitUntil(lambda: again.dialog is not None, timeout=30_000)
    assert heard == [] and not again.reports[0].changed_anything
    for action in (first, again):
        action.dialog.close()  # type: ignore[union-attr]
