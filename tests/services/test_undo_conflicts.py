"""Undo and redo across users: Alice's step never removes or overwrites what Bob made since.

Two handles on one project (two app sessions on PostgreSQL, two processes on one SQLite file)
play Alice and Bob, each with an undo stack of their own. A refused step changes nothing, leaves
the stack as it was and says what changed; once Bob undoes his change, Alice's step works.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from annotator.core.types import ImportedDocument
from annotator.core.undo import UndoStack
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, commands
from annotator.services import documents as docs
from annotator.services.changes import Change
from annotator.services.conflicts import ConflictError
from annotator.store.project import ProjectStore, open_project
from tests.dumps import dump_tables
from tests.services.conftest import TEXT, World

STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"


@dataclass
class Team:
    world: World
    bob_store: ProjectStore
    bob: int  # Bob's coder id
    alice_stack: UndoStack[Change]
    bob_stack: UndoStack[Change]

    @property
    def alice_store(self) -> ProjectStore:
        return self.world.store


@pytest.fixture
def team(world: World, project_target: str) -> Iterator[Team]:
    """Alice works in ``world.store`` as ana; Bob opened the same project a second time."""
    bob_store = open_project(project_target)
    bob = coders.ensure_coder(bob_store, "bob").id
    yield Team(world, bob_store, bob, UndoStack(), UndoStack())
    bob_store.close()


def refused(team: Team, step: Callable[[], object], message: str) -> None:
    """``step`` raises a ConflictError worded as ``message`` ({stamp}, {id} stand for any) and
    changes neither the project nor Alice's undo stack."""
    stack = team.alice_stack
    before, texts = dump_tables(team.alice_store), (stack.undo_text, stack.redo_text)
    with pytest.raises(ConflictError) as caught:
        step()
    pattern = re.escape(message).replace(re.escape("{stamp}"), STAMP).replace(re.escape("{id}"), r"\d+")
    assert re.fullmatch(pattern, str(caught.value)), str(caught.value)
    assert "\n" not in str(caught.value)
    assert dump_tables(team.alice_store) == before
    assert (stack.undo_text, stack.redo_text) == texts


def _annotation(store: ProjectStore, coder_id: int, code_id: int) -> int:
    return next(a.id for a in ann.list_annotations(store, coder_ids=[coder_id]) if a.code_id == code_id)


# --- documents -----------------------------------------------------------------------------------


def _import(team: Team, *titles: str) -> list[int]:
    ids = [
        docs.add_document(
            team.alice_store, ImportedDocument(title=t, source_format="text", text=f"{t} text")
        ).id
        for t in titles
    ]
    team.alice_stack.record(commands.ImportedDocuments(team.alice_store, ids))
    return ids


def test_undo_import_refuses_while_others_coded_the_works(team: Team) -> None:
    w, bob = team.world, team.bob_store
    one, two = _import(team, "Work 1", "Work 2")
    for start in (0, 2, 4):
        team.bob_stack.push(commands.ApplyCode(bob, two, start, start + 3, w.angst, team.bob))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Import 2 documents: 3 annotations by bob were made on “Work 2” since; "
        "undoing would delete them",
    )
    for _ in range(3):
        team.bob_stack.undo()
    team.alice_stack.undo()
    assert [d.id for d in docs.list_documents(bob)] == [w.doc]
    team.alice_stack.redo()
    assert [d.id for d in docs.list_documents(bob)] == [w.doc, one, two]


def test_undo_import_refuses_while_others_wrote_a_memo_on_a_work(team: Team) -> None:
    one, _ = _import(team, "Work 1", "Work 2")
    team.bob_stack.push(commands.SetDocumentMemo(team.bob_store, one, "bob", "read this first"))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Import 2 documents: 1 memo by bob was written on “Work 1” since; "
        "undoing would delete it",
    )
    team.bob_stack.undo()
    team.alice_stack.undo()


def test_redo_import_refuses_when_a_code_its_annotations_use_was_deleted(team: Team) -> None:
    w = team.world
    doc = docs.add_document(w.store, ImportedDocument(title="Work 1", source_format="text", text="Work 1")).id
    ann.apply_code(w.store, doc, 0, 4, w.angst, w.ana)  # coded before the import was recorded
    team.alice_stack.record(commands.ImportedDocuments(w.store, [doc]))
    team.alice_stack.undo()
    team.bob_stack.push(commands.DeleteCode(team.bob_store, w.angst))
    refused(
        team,
        team.alice_stack.redo,
        "cannot redo Import 1 document: the code of ana's annotation of “Work” was deleted since",
    )
    team.bob_stack.undo()
    team.alice_stack.redo()
    assert [a.quote for a in ann.list_annotations(w.store, document_id=doc)] == ["Work"]


def test_undo_of_a_memo_edit_refuses_once_the_memo_was_changed_again(team: Team) -> None:
    w = team.world
    team.alice_stack.push(commands.SetDocumentMemo(w.store, w.doc, "ana", "first"))
    # The same coder in another session (ana on her laptop, or a shared account).
    team.bob_stack.push(commands.SetDocumentMemo(team.bob_store, w.doc, "ana", "rewritten"))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Edit document memo: ana's memo on “Foxes” was changed since ({stamp}); "
        "undoing would overwrite it",
    )
    team.bob_stack.undo()
    team.alice_stack.undo()
    assert docs.load_document(w.store, w.doc, w.ana).memo == ""
    team.bob_stack.push(commands.SetDocumentMemo(team.bob_store, w.doc, "ana", "written meanwhile"))
    refused(
        team,
        team.alice_stack.redo,
        "cannot redo Edit document memo: ana's memo on “Foxes” was written since ({stamp}); "
        "redoing would overwrite it",
    )


def test_another_coders_memo_does_not_stop_undo(team: Team) -> None:
    w = team.world
    team.alice_stack.push(commands.SetDocumentMemo(w.store, w.doc, "ana", "first"))
    team.bob_stack.push(commands.SetDocumentMemo(team.bob_store, w.doc, "bob", "mine"))
    team.alice_stack.undo()
    assert docs.load_document(w.store, w.doc, team.bob).memo == "mine"


# --- annotations ---------------------------------------------------------------------------------


def test_undo_apply_code_refuses_once_another_user_edited_the_annotation(team: Team) -> None:
    w = team.world
    change = team.alice_stack.push(commands.ApplyCode(w.store, w.doc, 0, 3, w.angst, w.ana))
    [added] = change.annotations_added
    team.bob_stack.push(commands.EditAnnotation(team.bob_store, added.id, memo="Bob's note"))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Apply code: ana's “Angst” annotation of “The” on “Foxes” was edited since "
        "(memo changed, {stamp}); undoing would delete it",
    )
    team.bob_stack.undo()
    team.bob_stack.push(commands.EditAnnotation(team.bob_store, added.id, code_id=w.fluff))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Apply code: ana's “Angst” annotation of “The” on “Foxes” was edited since "
        "(code changed to “Fluff”, {stamp}); undoing would delete it",
    )
    team.bob_stack.undo()
    team.alice_stack.undo()
    assert added.id not in {a.id for a in ann.list_annotations(w.store)}


def test_redo_apply_code_refuses_once_the_span_was_coded_again(team: Team) -> None:
    w = team.world
    team.alice_stack.push(commands.ApplyCode(w.store, w.doc, 0, 3, w.angst, w.ana))
    team.alice_stack.undo()
    team.bob_stack.push(commands.ApplyCode(team.bob_store, w.doc, 0, 3, w.angst, w.ana))  # ana elsewhere
    refused(
        team,
        team.alice_stack.redo,
        "cannot redo Apply code: ana's “Angst” annotation of “The” on “Foxes” was made again since "
        "(annotation {id})",
    )
    team.bob_stack.undo()
    team.alice_stack.redo()


def test_undo_and_redo_of_an_edit_refuse_once_the_annotation_changed_again(team: Team) -> None:
    w = team.world
    annotation = _annotation(w.store, w.ana, w.slow_burn)
    team.alice_stack.push(
        commands.EditAnnotation(w.store, annotation, memo="second thoughts", text="Edit memo")
    )
    team.bob_stack.push(commands.EditAnnotation(team.bob_store, annotation, start=10, end=15))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Edit memo: ana's “Slow burn” annotation of “quick” on “Foxes” was edited since "
        "(span changed, {stamp}); undoing would overwrite it",
    )
    team.bob_stack.undo()
    team.alice_stack.undo()
    assert ann.get_annotation(w.store, annotation).memo == "quick"
    team.bob_stack.push(commands.EditAnnotation(team.bob_store, annotation, memo="Bob's view"))
    refused(
        team,
        team.alice_stack.redo,
        "cannot redo Edit memo: ana's “Slow burn” annotation of “quick” on “Foxes” was edited since "
        "(memo changed, {stamp}); redoing would overwrite it",
    )
    team.bob_stack.undo()
    team.alice_stack.redo()
    assert ann.get_annotation(w.store, annotation).memo == "second thoughts"


def test_undo_remove_refuses_once_the_same_span_was_coded_again(team: Team) -> None:
    w = team.world
    annotation = _annotation(w.store, w.ana, w.slow_burn)
    team.alice_stack.push(commands.RemoveAnnotations(w.store, [annotation]))
    team.bob_stack.push(commands.ApplyCode(team.bob_store, w.doc, 4, 9, w.slow_burn, w.ana))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Remove annotation: ana's “Slow burn” annotation of “quick” on “Foxes” was made "
        "again since (annotation {id})",
    )
    team.bob_stack.undo()
    team.alice_stack.undo()
    assert ann.get_annotation(w.store, annotation).memo == "quick"


def test_redo_remove_refuses_once_the_annotation_was_removed_and_made_again(team: Team) -> None:
    w = team.world
    annotation = _annotation(w.store, w.ana, w.slow_burn)
    team.alice_stack.push(commands.RemoveAnnotations(w.store, [annotation]))
    team.alice_stack.undo()
    team.bob_stack.push(commands.RemoveAnnotations(team.bob_store, [annotation]))
    team.bob_stack.push(commands.ApplyCode(team.bob_store, w.doc, 4, 9, w.slow_burn, w.ana, "remade"))
    refused(
        team,
        team.alice_stack.redo,
        "cannot redo Remove annotation: ana's “Slow burn” annotation of “quick” on “Foxes” was removed "
        "and made again since (now annotation {id})",
    )
    team.bob_stack.undo()
    team.bob_stack.undo()
    team.alice_stack.redo()
    assert annotation not in {a.id for a in ann.list_annotations(w.store)}


# --- codebook ------------------------------------------------------------------------------------


def test_undo_add_code_refuses_while_others_coded_with_it(team: Team) -> None:
    w, bob = team.world, team.bob_store
    add = commands.AddCode(w.store, "Pining")
    team.alice_stack.push(add)
    assert add.code_id is not None
    team.bob_stack.push(commands.ApplyCode(bob, w.doc, 0, 3, add.code_id, team.bob))
    team.bob_stack.push(commands.ApplyCode(bob, w.doc, 4, 9, add.code_id, team.bob))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Add code 'Pining': 2 annotations by bob were made with “Pining” since; "
        "undoing would delete them",
    )
    team.bob_stack.undo()
    team.bob_stack.undo()
    team.bob_stack.push(commands.AddCode(bob, "Yearning", add.code_id))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Add code 'Pining': “Yearning” was added under “Pining” since; "
        "undoing would delete it too",
    )
    team.bob_stack.undo()
    team.alice_stack.undo()
    team.bob_stack.push(commands.AddCode(bob, "pining"))
    refused(
        team,
        team.alice_stack.redo,
        "cannot redo Add code 'Pining': a code named 'Pining' already exists at the top level",
    )
    team.bob_stack.undo()
    team.alice_stack.redo()
    assert "Pining" in {c.name for c in cb.list_codes(bob)}


def test_undo_in_vivo_refuses_while_others_coded_with_its_code(team: Team) -> None:
    w = team.world
    start = TEXT.index("left")
    vivo = commands.InVivoCode(w.store, w.doc, start, start + 4, w.ana)
    team.alice_stack.push(vivo)
    assert vivo.code_id is not None
    team.bob_stack.push(commands.ApplyCode(team.bob_store, w.doc, 0, 3, vivo.code_id, team.bob))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo In-vivo code 'left': 1 annotation by bob was made with “left” since; "
        "undoing would delete it",
    )
    team.bob_stack.undo()
    team.bob_stack.push(commands.UpdateCode(team.bob_store, vivo.code_id, colour="#123456"))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo In-vivo code 'left': “left” was recoloured since (now #123456); undoing would delete it",
    )
    team.bob_stack.undo()
    team.alice_stack.undo()
    team.alice_stack.redo()
    assert [a.quote for a in ann.list_annotations(w.store) if a.code_id == vivo.code_id] == ["left"]


def test_undo_rename_refuses_once_renamed_again_but_not_for_other_fields(team: Team) -> None:
    w = team.world
    team.alice_stack.push(commands.UpdateCode(w.store, w.fluff, name="Fluffy"))
    team.bob_stack.push(commands.UpdateCode(team.bob_store, w.fluff, name="Fuzz"))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Rename code: “Fluffy” was renamed to “Fuzz” since; undoing would overwrite it",
    )
    team.bob_stack.undo()
    team.bob_stack.push(commands.UpdateCode(team.bob_store, w.fluff, definition="soft"))
    team.alice_stack.undo()  # Bob's definition is not what the undo writes
    fields = cb.code_fields(w.store, w.fluff)
    assert (fields["name"], fields["definition"]) == ("Fluff", "soft")


def test_undo_and_redo_recolour_refuse_once_recoloured_again(team: Team) -> None:
    w = team.world
    team.alice_stack.push(commands.UpdateCode(w.store, w.fluff, colour="#00FF00"))
    team.bob_stack.push(commands.UpdateCode(team.bob_store, w.fluff, colour="#123456"))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Recolour code: “Fluff” was recoloured since (now #123456); undoing would overwrite it",
    )
    team.bob_stack.undo()
    team.alice_stack.undo()
    team.bob_stack.push(commands.UpdateCode(team.bob_store, w.fluff, colour="#abcdef"))
    refused(
        team,
        team.alice_stack.redo,
        "cannot redo Recolour code: “Fluff” was recoloured since (now #abcdef); redoing would overwrite it",
    )
    team.bob_stack.undo()
    team.alice_stack.redo()
    assert cb.code_fields(w.store, w.fluff)["colour"] == "#00ff00"


def test_undo_move_refuses_once_the_codes_were_moved_or_reordered(team: Team) -> None:
    w = team.world
    team.alice_stack.push(commands.MoveCode(w.store, w.angst, w.trope, 0))
    team.bob_stack.push(commands.MoveCode(team.bob_store, w.fluff, w.trope, 0))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Move code: the codes under “Trope” were reordered since; undoing would reorder them",
    )
    team.bob_stack.undo()
    team.bob_stack.push(commands.MoveCode(team.bob_store, w.slow_burn, None))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Move code: “Slow burn” was moved since; undoing would move it back",
    )
    team.bob_stack.undo()
    team.alice_stack.undo()
    team.bob_stack.push(commands.MoveCode(team.bob_store, w.angst, w.trope))
    refused(
        team,
        team.alice_stack.redo,
        "cannot redo Move code: “Angst” was moved since; redoing would move it back",
    )
    team.bob_stack.undo()
    team.alice_stack.redo()
    assert [c.name for c in cb.list_codes(w.store)] == ["Trope", "Angst", "Slow burn", "Fluff"]


def test_redo_delete_refuses_once_someone_coded_with_the_code(team: Team) -> None:
    w = team.world
    team.alice_stack.push(commands.DeleteCode(w.store, w.angst))
    team.bob_stack.push(commands.AddCode(team.bob_store, "angst"))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Delete code: a code named 'Angst' already exists at the top level",
    )
    team.bob_stack.undo()
    team.alice_stack.undo()
    team.bob_stack.push(commands.ApplyCode(team.bob_store, w.doc, 0, 3, w.angst, team.bob))
    refused(
        team,
        team.alice_stack.redo,
        "cannot redo Delete code: 1 annotation by bob was made with “Angst” since; redoing would delete it",
    )
    team.bob_stack.undo()
    team.alice_stack.redo()
    assert "Angst" not in {c.name for c in cb.list_codes(w.store)}


def test_undo_and_redo_merge_refuse_once_the_merged_rows_changed(team: Team) -> None:
    w, bob = team.world, team.bob_store
    bens = _annotation(w.store, w.ben, w.slow_burn)
    team.alice_stack.push(commands.MergeCodes(w.store, w.slow_burn, w.fluff))
    team.bob_stack.push(commands.EditAnnotation(bob, bens, code_id=w.angst))
    refused(
        team,
        team.alice_stack.undo,
        "cannot undo Merge codes: ben's “Fluff” annotation of “quick” on “Foxes” was recoded to “Angst” "
        "since; undoing would overwrite it",
    )
    team.bob_stack.undo()
    team.bob_stack.push(commands.EditAnnotation(bob, bens, memo="a memo does not stop the undo"))
    team.alice_stack.undo()
    assert ann.get_annotation(w.store, bens).code_id == w.slow_burn
    assert ann.get_annotation(w.store, bens).memo == "a memo does not stop the undo"
    team.bob_stack.push(commands.ApplyCode(bob, w.doc, 0, 3, w.slow_burn, team.bob))
    refused(
        team,
        team.alice_stack.redo,
        "cannot redo Merge codes: 1 annotation by bob was made with “Slow burn” since; "
        "redoing would move it into “Fluff”",
    )
    team.bob_stack.undo()
    team.alice_stack.redo()
    assert "Slow burn" not in {c.name for c in cb.list_codes(w.store)}
    assert ann.get_annotation(w.store, bens).code_id == w.fluff


# --- at the same moment --------------------------------------------------------------------------


def _wait_until_someone_waits_for_a_lock(store: ProjectStore) -> None:
    """PostgreSQL: return once another session of this database is waiting for a row lock."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 60
    with store.engine.connect() as connection:
        while not connection.execute(query).scalar():
            assert time.monotonic() < deadline, "the undo never waited for the open transaction"
            time.sleep(0.01)
            connection.rollback()


def test_an_undo_during_anothers_uncommitted_coding_waits_for_it_then_refuses(
    team: Team, backend: str
) -> None:
    """Checked and done in one transaction: Bob's coding, committed while Alice's undo of the code
    runs, is seen by the check instead of vanishing with the code (ON DELETE CASCADE)."""
    w = team.world
    add = commands.AddCode(w.store, "Pining")
    team.alice_stack.push(add)
    assert add.code_id is not None
    outcome: list[BaseException | None] = []

    def undo() -> None:
        try:
            team.alice_stack.undo()
            outcome.append(None)
        except BaseException as exc:  # reported below, on the test's thread
            outcome.append(exc)

    alice = threading.Thread(target=undo)
    with team.bob_store.transaction() as session:
        ann.apply_code_in(session, TEXT, w.doc, 0, 3, add.code_id, team.bob)
        alice.start()
        if backend == "postgresql":
            _wait_until_someone_waits_for_a_lock(team.bob_store)
    alice.join(timeout=120)
    [error] = outcome
    assert isinstance(error, ConflictError), error
    assert "1 annotation by bob was made with “Pining” since" in str(error)
    assert [a.quote for a in ann.list_annotations(w.store, coder_ids=[team.bob])] == ["The"]
    assert team.alice_stack.undo_text == "Add code 'Pining'"
