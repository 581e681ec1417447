"""Undo and redo of title and attribute edits: exact restores, and refusals when others changed them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from annotator.core.types import ImportedDocument
from annotator.core.undo import Command, UndoStack
from annotator.services import document_attributes as attrs
from annotator.services import document_commands as dc
from annotator.services import documents as docs
from annotator.services.changes import Change
from annotator.services.conflicts import ConflictError
from annotator.store.project import ProjectStore, open_project
from tests.dumps import dump_tables
from tests.services.conftest import World

Maker = Callable[[World], Command[Change]]


def _second(w: World) -> int:
    return docs.add_document(w.store, ImportedDocument(title="Two", source_format="text", text="two")).id


COMMANDS: dict[str, Maker] = {
    "rename": lambda w: dc.rename_document(w.store, w.doc, "Foxes renamed"),
    "set attribute": lambda w: dc.set_attribute(w.store, [w.doc], "fandom", ["Forest", "Nature"]),
    "new attribute": lambda w: dc.set_attribute(w.store, [w.doc], "Rating", ["Explicit"]),
    "remove attribute": lambda w: dc.set_attribute(w.store, [w.doc], "rating", []),
    "add value": lambda w: dc.add_attribute_value(w.store, w.doc, "fandom", "Forest"),
    "remove value": lambda w: dc.remove_attribute_value(w.store, w.doc, "fandom", "Nature"),
    "edit all": lambda w: dc.edit_document(w.store, w.doc, "New", {"rating": ["T"], "tags": ["x"]}),
    "bulk": lambda w: dc.set_attribute(w.store, [w.doc, _second(w)], "language", ["English"]),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_undo_and_redo_restore_the_project_row_for_row(world: World, name: str) -> None:
    command = COMMANDS[name](world)
    stack: UndoStack[Change] = UndoStack()
    before = dump_tables(world.store)
    change = stack.push(command)
    after = dump_tables(world.store)
    assert after != before
    assert change.documents_edited
    assert after["annotations"] == before["annotations"]  # spans never move
    assert stack.undo() == change
    assert dump_tables(world.store) == before
    stack.redo()
    assert dump_tables(world.store) == after
    stack.undo()
    assert dump_tables(world.store) == before


def test_a_bulk_edit_is_one_undo_step(world: World) -> None:
    second = _second(world)
    stack: UndoStack[Change] = UndoStack()
    stack.push(dc.set_attribute(world.store, [world.doc, second], "Language", ["English"]))
    assert stack.undo_text == "Set “Language” on 2 works"
    stack.undo()
    assert "language" not in docs.load_document(world.store, world.doc).attributes
    assert "language" not in docs.load_document(world.store, second).attributes
    assert not stack.can_undo


@pytest.fixture
def bob_store(world: World, project_target: str) -> Iterator[ProjectStore]:
    """The same project opened a second time (another user on PostgreSQL, another window)."""
    store = open_project(project_target)
    yield store
    store.close()


def test_undo_refuses_once_another_user_renamed_the_work_again(world: World, bob_store: ProjectStore) -> None:
    stack: UndoStack[Change] = UndoStack()
    stack.push(dc.rename_document(world.store, world.doc, "Alice's title"))
    attrs.rename_document(bob_store, world.doc, "Bob's title")
    before = dump_tables(world.store)
    with pytest.raises(
        ConflictError, match="cannot undo Rename work: the title of “Alice's title” was changed"
    ):
        stack.undo()
    assert dump_tables(world.store) == before
    assert stack.can_undo  # still there: once Bob's change is gone, the undo works
    attrs.rename_document(bob_store, world.doc, "Alice's title")
    stack.undo()
    assert docs.load_document(world.store, world.doc).title == "Foxes"


def test_undo_refuses_once_the_same_attribute_changed_but_not_for_another(
    world: World, bob_store: ProjectStore
) -> None:
    stack: UndoStack[Change] = UndoStack()
    stack.push(dc.set_attribute(world.store, [world.doc], "rating", ["M"]))
    attrs.add_attribute_value(bob_store, world.doc, "fandom", "Bob's fandom")  # another field: fine
    attrs.set_attribute(bob_store, world.doc, "rating", ["E"])
    with pytest.raises(
        ConflictError, match="cannot undo Set “Rating”: “Rating” of “Foxes” was changed since"
    ):
        stack.undo()
    assert docs.load_document(world.store, world.doc).attributes["rating"] == ["E"]
    attrs.set_attribute(bob_store, world.doc, "rating", ["M"])
    stack.undo()
    assert docs.load_document(world.store, world.doc).attributes == {
        "fandom": ["Nature", "Bob's fandom"],
        "rating": ["G"],
    }


def test_redo_refuses_once_the_attribute_changed_after_the_undo(
    world: World, bob_store: ProjectStore
) -> None:
    stack: UndoStack[Change] = UndoStack()
    stack.push(dc.add_attribute_value(world.store, world.doc, "fandom", "Forest"))
    stack.undo()
    attrs.set_attribute(bob_store, world.doc, "fandom", ["Sea"])
    with pytest.raises(ConflictError, match="cannot redo Add “fandom”"):
        stack.redo()
    assert docs.load_document(world.store, world.doc).attributes["fandom"] == ["Sea"]
