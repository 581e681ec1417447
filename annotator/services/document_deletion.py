"""Deleting works as one undoable action (the Documents panel's right-click "Delete").

Undo puts each work back under its old id with its attributes, zones, memos and annotations;
redo deletes them again only if nothing was attached to them since (else it refuses, naming what).
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.undo import Command
from annotator.services import documents as docs
from annotator.services.changes import Change
from annotator.services.commands import redo_step, undo_step
from annotator.store.project import ProjectStore


class DeleteDocuments(Command[Change]):
    """Remove works with everything attached; undo restores the very same rows."""

    def __init__(self, store: ProjectStore, document_ids: Sequence[int], what: str = "") -> None:
        self.store = store
        self.ids = tuple(document_ids)
        self.snapshot: docs.DocumentSnapshot | None = None
        self.undone = False
        plural = "s" if len(self.ids) != 1 else ""
        self.text = f"Delete {what}" if what else f"Delete {len(self.ids)} document{plural}"

    def apply(self) -> Change:
        if self.undone:
            return self._redo()
        self.snapshot = docs.delete_documents(self.store, self.ids)
        return Change(documents_removed=self.ids)

    @redo_step
    def _redo(self) -> Change:
        assert self.snapshot is not None
        left = self.snapshot
        expected = docs.DocumentSnapshot([], [], [], list(left.memos), list(left.annotations))
        self.snapshot = docs.delete_documents(self.store, self.ids, expected=expected)
        self.undone = False
        return Change(documents_removed=self.ids)

    @undo_step
    def revert(self) -> Change:
        assert self.snapshot is not None
        docs.restore_documents(self.store, self.snapshot)
        self.undone = True
        return Change(documents_added=self.ids)
