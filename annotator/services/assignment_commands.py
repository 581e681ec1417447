"""Undoable assignment changes: the app's checklist of who codes which work, as one command."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.undo import Command
from annotator.services.assignments import AssignmentReport, Pair, change_assignments
from annotator.services.changes import Change
from annotator.services.command_steps import redo_step, undo_step
from annotator.store.project import ProjectStore


class ChangeAssignments(Command[Change]):
    """Add and remove (document id, coder id) pairs; undo takes back only the pairs that changed."""

    def __init__(self, store: ProjectStore, add: Sequence[Pair] = (), remove: Sequence[Pair] = ()) -> None:
        self.store = store
        self.add, self.remove = tuple(add), tuple(remove)
        self.done: AssignmentReport | None = None  # what the first apply changed
        changed = len(self.add) + len(self.remove)
        self.text = "Change assignment" if changed == 1 else f"Change {changed} assignments"

    def apply(self) -> Change:
        if self.done is not None:
            return self._redo()
        self.done = change_assignments(self.store, self.add, self.remove)
        return self.done.change

    @redo_step
    def _redo(self) -> Change:
        assert self.done is not None
        return change_assignments(self.store, self.done.added, self.done.removed).change

    @undo_step
    def revert(self) -> Change:
        assert self.done is not None
        return change_assignments(self.store, self.done.removed, self.done.added).change
