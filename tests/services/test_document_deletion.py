"""Deleting a work is one undoable step: undo restores every row exactly, redo refuses to take
annotations made on the restored work since."""

from __future__ import annotations

import pytest

from annotator.core.undo import UndoStack
from annotator.services import annotations as ann
from annotator.services import documents as docs
from annotator.services.changes import Change
from annotator.services.conflicts import ConflictError
from annotator.services.document_deletion import DeleteDocuments
from tests.dumps import dump_tables
from tests.services.conftest import World


def test_delete_undo_redo_restores_the_very_same_rows(world: World) -> None:
    store = world.store
    docs.set_document_memo(store, world.doc, "ana", "a memo")
    before = dump_tables(store)
    stack: UndoStack[Change] = UndoStack()
    change = stack.push(DeleteDocuments(store, [world.doc], "“Foxes”"))
    assert change.documents_removed == (world.doc,)
    assert docs.list_documents(store) == [] and ann.list_annotations(store) == []
    assert stack.undo_text == "Delete “Foxes”"
    assert stack.undo() == Change(documents_added=(world.doc,))
    assert dump_tables(store) == before
    stack.redo()
    assert docs.list_documents(store) == []
    stack.undo()
    assert dump_tables(store) == before


def test_redo_refuses_when_the_restored_work_was_coded_since(world: World) -> None:
    store = world.store
    stack: UndoStack[Change] = UndoStack()
    stack.push(DeleteDocuments(store, [world.doc]))
    stack.undo()
    ann.apply_code(store, world.doc, 0, 3, world.angst, world.ben)
    kept = dump_tables(store)
    with pytest.raises(ConflictError, match="cannot redo Delete 1 document"):
        stack.redo()
    assert dump_tables(store) == kept
