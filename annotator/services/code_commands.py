"""The codebook's undoable actions: add, edit, move, merge and delete a code.

See ``services/commands.py`` for how undo and redo refuse to clobber others' work.
"""

from __future__ import annotations

from annotator.core.undo import Command
from annotator.services import code_merging, conflicts
from annotator.services import codebook as cb
from annotator.services import codebook_undo as cb_undo
from annotator.services.changes import CODEBOOK, Change
from annotator.services.command_steps import code_row as _code_row
from annotator.services.command_steps import ids as _ids
from annotator.services.command_steps import redo_step, undo_step
from annotator.services.command_steps import restored as _restored
from annotator.store.project import ProjectStore


class AddCode(Command[Change]):
    def __init__(
        self,
        store: ProjectStore,
        name: str,
        parent_id: int | None = None,
        colour: str | None = None,
        **texts: str,
    ) -> None:
        self.store = store
        self.name, self.parent_id, self.colour = name, parent_id, colour
        self.texts = texts
        self.text = f"Add code {name!r}"
        self.code_id: int | None = None  # known after the first apply
        self.left: cb.CodeSnapshot | None = None  # the code as added (or put back), while done
        self.snapshot: cb.CodeSnapshot | None = None  # the code as taken back, while undone

    def apply(self) -> Change:
        if self.snapshot is not None:
            return self._redo()
        added = cb.add_code(self.store, self.name, self.parent_id, self.colour, **self.texts)
        self.code_id = added.id
        self.left = cb.CodeSnapshot([_code_row(added)], [])
        return CODEBOOK

    @redo_step
    def _redo(self) -> Change:
        assert self.snapshot is not None
        cb.restore_codes(self.store, self.snapshot)
        self.left, self.snapshot = self.snapshot, None
        return CODEBOOK

    @undo_step
    def revert(self) -> Change:
        assert self.left is not None
        # Refused while anyone else's annotations or sub-codes would go with it.
        self.snapshot = cb_undo.take_back_codes(self.store, self.left)
        return Change(codebook_changed=True, annotations_removed=_ids(self.snapshot.annotations))


_CODE_EDIT_TEXT = {"name": "Rename code", "colour": "Recolour code"}


class UpdateCode(Command[Change]):
    """Rename, recolour or edit a code's texts."""

    def __init__(self, store: ProjectStore, code_id: int, **fields: str) -> None:
        self.store = store
        self.code_id = code_id
        self.fields = fields
        self.before: dict[str, str] = {}
        self.left: dict[str, str] | None = None  # the fields as the last step left them
        self.text = _CODE_EDIT_TEXT.get(next(iter(fields)), "Edit code") if len(fields) == 1 else "Edit code"

    def apply(self) -> Change:
        if self.left is not None:
            return self._redo()
        current = cb.code_fields(self.store, self.code_id)
        self.before = {key: current[key] for key in self.fields}
        self._set(self.fields, expected=None)
        return CODEBOOK

    @redo_step
    def _redo(self) -> Change:
        self._set(self.fields, expected=self.left)
        return CODEBOOK

    @undo_step
    def revert(self) -> Change:
        self._set(self.before, expected=self.left)
        return CODEBOOK

    def _set(self, fields: dict[str, str], expected: dict[str, str] | None) -> None:
        info = cb.update_code(self.store, self.code_id, expected=expected, **fields)
        self.left = {key: getattr(info, key) for key in fields}


class MoveCode(Command[Change]):
    text = "Move code"

    def __init__(
        self, store: ProjectStore, code_id: int, new_parent_id: int | None, position: int | None = None
    ) -> None:
        self.store = store
        self.code_id = code_id
        self.to = (new_parent_id, position)
        self.before: cb.Placement | None = None
        self.after: conflicts.Placements = {}  # where the move left the codes of both groups
        self.undone: conflicts.Placements | None = None  # where undo left them

    def apply(self) -> Change:
        if self.undone is not None:
            return self._redo()
        self.before = cb.move_code(self.store, self.code_id, *self.to)
        # Read just after its own transaction (move_code returns only where the codes were).
        moved = {self.code_id, *(sibling for sibling, _ in self.before.sibling_positions)}
        self.after = cb_undo.placements(self.store, moved)
        return CODEBOOK

    @redo_step
    def _redo(self) -> Change:
        parent_id, position = self.after[self.code_id]
        again = cb.Placement(parent_id, position, tuple((cid, pos) for cid, (_, pos) in self.after.items()))
        self.after = cb.restore_placement(self.store, self.code_id, again, expected=self.undone)
        self.undone = None
        return CODEBOOK

    @undo_step
    def revert(self) -> Change:
        assert self.before is not None
        self.undone = cb.restore_placement(self.store, self.code_id, self.before, expected=self.after)
        return CODEBOOK


class MergeCodes(Command[Change]):
    text = "Merge codes"

    def __init__(self, store: ProjectStore, source_id: int, target_id: int) -> None:
        self.store = store
        self.source_id, self.target_id = source_id, target_id
        self.merge: code_merging.CodeMerge | None = None
        self.undone = False

    def apply(self) -> Change:
        if self.undone:
            return self._redo()
        self.merge = code_merging.merge_codes(self.store, self.source_id, self.target_id)
        return Change(codebook_changed=True, annotations_removed=_ids(self.merge.dropped_annotations))

    @redo_step
    def _redo(self) -> Change:
        assert self.merge is not None
        cb_undo.merge_again(self.store, self.merge, self.target_id)
        self.undone = False
        return Change(codebook_changed=True, annotations_removed=_ids(self.merge.dropped_annotations))

    @undo_step
    def revert(self) -> Change:
        assert self.merge is not None
        code_merging.unmerge_codes(self.store, self.merge, into=self.target_id)
        self.undone = True
        return Change(codebook_changed=True, annotations_added=_restored(self.merge.dropped_annotations))


class DeleteCode(Command[Change]):
    text = "Delete code"

    def __init__(self, store: ProjectStore, code_id: int) -> None:
        self.store = store
        self.code_id = code_id
        self.snapshot: cb.CodeSnapshot | None = None  # the rows deleted (and put back by undo)
        self.undone = False

    def apply(self) -> Change:
        if self.undone:
            return self._redo()
        self.snapshot = cb.delete_code(self.store, self.code_id)
        return Change(codebook_changed=True, annotations_removed=_ids(self.snapshot.annotations))

    @redo_step
    def _redo(self) -> Change:
        assert self.snapshot is not None
        # Exactly the rows undo put back: refused if anyone coded with the codes meanwhile.
        self.snapshot = cb_undo.take_back_codes(self.store, self.snapshot)
        self.undone = False
        return Change(codebook_changed=True, annotations_removed=_ids(self.snapshot.annotations))

    @undo_step
    def revert(self) -> Change:
        assert self.snapshot is not None
        cb.restore_codes(self.store, self.snapshot)
        self.undone = True
        return Change(codebook_changed=True, annotations_added=_restored(self.snapshot.annotations))
