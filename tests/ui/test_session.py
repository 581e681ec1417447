"""The open project's one door for change news: every action, undo and worker result is published once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import annotator
from annotator.services import commands
from annotator.services.changes import Change
from annotator.services.codebook import list_codes
from annotator.services.documents import list_documents
from annotator.store.project import ProjectStore
from annotator.ui.session import ProjectSession


@pytest.fixture
def alice(qtbot: QtBot, seeded_project: ProjectStore) -> Iterator[ProjectSession]:
    """The demo project open in a session coding as alice."""
    session = ProjectSession(seeded_project, "alice")
    yield session
    session.close()


def _target(store: ProjectStore) -> tuple[int, int]:
    """(a document, a code) to code with."""
    return list_documents(store)[0].id, list_codes(store)[1].id


class Heard:
    """Everything the session published, as the views receive it."""

    def __init__(self, session: ProjectSession) -> None:
        self.changes: list[tuple[Change, object]] = []
        session.changed.connect(lambda change, initiator: self.changes.append((change, initiator)))


def test_nothing_but_the_session_emits_change_news() -> None:
    package = Path(annotator.__file__).parent
    emitters = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\b(changed|countsStale)\.emit\(", line)
    ]
    assert emitters and all(e.startswith("ui/session.py:") for e in emitters), emitters


def test_an_action_its_undo_and_redo_are_each_published_once_with_the_initiator(
    alice: ProjectSession, qtbot: QtBot
) -> None:
    session, seeded_project = alice, alice.store
    heard = Heard(session)
    doc, code = _target(seeded_project)
    asker = object()
    change = session.run(lambda: commands.ApplyCode(seeded_project, doc, 0, 5, code, session.coder.id), asker)
    assert change is not None and heard.changes == [(change, asker)]
    [added] = change.annotations_added
    session.undo()
    session.redo()
    assert [c.annotations_removed for c, _ in heard.changes[1:]] == [(added.id,), ()]
    assert [a.id for a in heard.changes[2][0].annotations_added] == [added.id]


def test_a_refused_action_publishes_nothing_and_says_why_in_one_line(
    alice: ProjectSession, qtbot: QtBot
) -> None:
    session, seeded_project = alice, alice.store
    heard = Heard(session)
    doc, code = _target(seeded_project)
    with qtbot.waitSignal(session.failed) as failed:
        assert (
            session.run(lambda: commands.ApplyCode(seeded_project, doc, 5, 2, code, session.coder.id)) is None
        )
    assert failed.args == ["span start 5 must be before its end 2"]
    assert heard.changes == []


def test_codebook_and_coder_caches_follow_the_published_change(alice: ProjectSession, qtbot: QtBot) -> None:
    session, seeded_project = alice, alice.store
    heard = Heard(session)
    before = len(session.codes)
    session.run(lambda: commands.AddCode(seeded_project, "Pining"))
    assert len(session.codes) == before + 1 and any(c.name == "Pining" for c in session.codes)
    assert session.set_coder("bob")
    assert heard.changes[-1][0] == Change(coders_changed=True)
    assert [c.name for c in session.coders] == ["alice", "bob"]
    assert session.set_coder("alice")  # an existing coder: nothing new to announce
    assert heard.changes[-1][0] == Change(coders_changed=True) and len(heard.changes) == 2


def test_counts_are_refreshed_once_after_a_burst_of_coding(alice: ProjectSession, qtbot: QtBot) -> None:
    session, seeded_project = alice, alice.store
    stale: list[bool] = []
    session.countsStale.connect(lambda: stale.append(True))
    doc, code = _target(seeded_project)
    for start in (0, 10, 20):
        session.run(lambda s=start: commands.ApplyCode(seeded_project, doc, s, s + 5, code, session.coder.id))
    with qtbot.waitSignal(session.countsStale, timeout=5_000):
        pass
    assert stale == [True]
    assert session.code(code) is not None and session.code(code).count == 3  # type: ignore[union-attr]


def test_a_change_from_another_process_goes_through_the_same_door(
    alice: ProjectSession, qtbot: QtBot
) -> None:
    session = alice
    heard = Heard(session)
    session.publish(Change.external('{"annotations_changed_in": [1], "codebook_changed": true}'))
    session.publish(Change())  # nothing changed: nothing is said
    [(change, initiator)] = heard.changes
    assert change.is_external and change.annotations_changed_in == (1,) and initiator is None


def test_the_document_list_follows_imports_removals_and_counts(
    alice: ProjectSession, qtbot: QtBot, tmp_path: Path
) -> None:
    from annotator.services.documents import import_files

    session, store = alice, alice.store
    assert session.documents == list_documents(store) and len(session.documents) == 5
    new = tmp_path / "new work.txt"
    new.write_text("A new work arrives.", encoding="utf-8")
    report = import_files(store, [new])
    session.publish(report.change)
    assert [d.title for d in session.documents][-1] == "new work" and len(session.documents) == 6
    doc, code = _target(store)
    session.run(lambda: commands.ApplyCode(store, doc, 0, 5, code, session.coder.id))
    with qtbot.waitSignal(session.countsStale, timeout=5_000):
        pass
    assert session.documents[0].annotation_count == 1


def test_what_the_open_read_is_handed_out_once_and_not_after_a_change(
    seeded_project: ProjectStore, qtbot: QtBot
) -> None:
    from annotator.services.overview import read_overview

    def opened() -> ProjectSession:
        overview = read_overview(seeded_project, "alice", segments_limit=10, first_document=True)
        return ProjectSession(seeded_project, "alice", overview=overview)

    session = opened()
    first = session.documents[0].id
    assert session.take_first_document(first + 1) is None  # another work: read it anew
    assert session.take_first_document(first) is None  # and the one read is gone with that
    session.close()
    session = opened()
    assert session.take_first_segments() is not None and session.take_first_segments() is None
    page = session.take_first_document(first)
    assert page is not None and page.view.id == first and session.take_first_document(first) is None
    session.close()
    session = opened()
    doc, code = _target(seeded_project)
    session.run(lambda: commands.ApplyCode(seeded_project, doc, 0, 5, code, session.coder.id))
    assert session.take_first_document(first) is None and session.take_first_segments() is None
    session.close()
