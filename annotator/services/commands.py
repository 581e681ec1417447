"""Every undoable user action, as a small command class over the services.

The first ``apply`` performs the action (one transaction); ``revert`` takes it back exactly (rows
return under their old ids); a later ``apply`` (redo) puts back the same rows rather than creating
new ones, so references held by other undo entries stay valid. Each command keeps what undo and
redo need on ``self`` and returns the :class:`Change` its step made.

**Undo and redo when others work on the same project.** Each command also keeps the rows as
its last step left them (whole annotation rows with ``updated_at``, the code fields it set, the
placements of a move, the memo rows). Undo and redo re-read those rows inside the transaction
that takes the step (``services/conflicts.py``: locked on PostgreSQL, under SQLite's write
lock) and refuse with a :class:`~annotator.services.conflicts.ConflictError` — changing nothing,
the command staying where it was on the stack — when the step would

- change or delete a row that differs from what the command left: edited (memo, span or code),
  renamed, recoloured, moved, reordered, deleted, or deleted and made again, by another user or
  by the same coder in another session. Only what the step writes counts: undoing a rename does
  not mind a new definition, undoing a merge not a memo edited on a merged annotation, deleting
  a code not its siblings being reordered around it;
- take other rows with it: annotations or memos on imported works that were not there when the
  import was recorded, annotations made with an added, in-vivo or restored code, codes added
  under it, annotations made with a code that a redone merge would move;
- put back a row that clashes with one made since (the same span coded again by the same coder
  with the same code, a code of the same name under the same parent) or whose work, code or
  parent was removed since.

So undoing "Apply code" refuses once the annotation was edited since (its memo, span or code):
deleting it would throw that edit away; the edit is undone first (its owner's undo), or the
annotation removed by hand. The message is one line naming what changed, with names and titles
from the database: ``cannot undo Import 2 documents: 3 annotations by bob were made on “Work 2”
since; undoing would delete them``. Once the other change is itself undone, the step works.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from annotator.core.types import AnnotationInfo
from annotator.core.undo import Command
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import codebook_undo as cb_undo
from annotator.services import conflicts
from annotator.services import documents as docs
from annotator.services.changes import Change
from annotator.services.code_commands import AddCode, DeleteCode, MergeCodes, MoveCode, UpdateCode
from annotator.services.command_steps import ids as _ids
from annotator.services.command_steps import redo_step, undo_step
from annotator.services.command_steps import restored as _restored
from annotator.store.project import ProjectStore

if TYPE_CHECKING:
    # Imported by the two methods that resolve: it brings the disagreement statistics (numpy),
    # which the app's first window does not need (start-up time).
    from annotator.services import adjudication as adj

__all__ = [
    "AddCode",
    "ApplyCode",
    "DeleteCode",
    "EditAnnotation",
    "ImportedDocuments",
    "InVivoCode",
    "MergeCodes",
    "MoveCode",
    "RemoveAnnotations",
    "ResolveDisagreement",
    "SetDocumentMemo",
    "UpdateCode",
    "redo_step",
    "undo_step",
]


# --- coding ------------------------------------------------------------------------------------


class ApplyCode(Command[Change]):
    text = "Apply code"

    def __init__(
        self,
        store: ProjectStore,
        document_id: int,
        start: int,
        end: int,
        code_id: int,
        coder_id: int,
        memo: str = "",
        *,
        shown_hash: str | None = None,
    ) -> None:
        self.store = store
        self.target = (document_id, start, end, code_id, coder_id, memo)
        self.shown_hash = shown_hash  # the text the span was selected on (an update since refuses)
        self.row: dict[str, Any] | None = None  # the annotation as first stored

    def apply(self) -> Change:
        if self.row is not None:
            return self._redo()
        info = ann.apply_code(self.store, *self.target, shown_hash=self.shown_hash)
        self.row = ann.row_of(info)
        return Change(annotations_added=(info,))

    @redo_step
    def _redo(self) -> Change:
        assert self.row is not None
        return Change(annotations_added=tuple(ann.restore_annotations(self.store, [self.row])))

    @undo_step
    def revert(self) -> Change:
        assert self.row is not None
        ann.remove_annotations(self.store, [self.row["id"]], expected=[self.row])
        return Change(annotations_removed=(self.row["id"],))


class RemoveAnnotations(Command[Change]):
    def __init__(self, store: ProjectStore, annotation_ids: Sequence[int]) -> None:
        self.store = store
        self.ids = list(annotation_ids)
        self.removed: list[dict[str, Any]] = []  # the rows as removed, and as undo puts them back
        self.text = "Remove annotation" if len(self.ids) == 1 else f"Remove {len(self.ids)} annotations"

    def apply(self) -> Change:
        if self.removed:
            return self._redo()
        self.removed = ann.remove_annotations(self.store, self.ids)
        return Change(annotations_removed=tuple(self.ids))

    @redo_step
    def _redo(self) -> Change:
        ann.remove_annotations(self.store, self.ids, expected=self.removed)
        return Change(annotations_removed=tuple(self.ids))

    @undo_step
    def revert(self) -> Change:
        return Change(annotations_added=tuple(ann.restore_annotations(self.store, self.removed)))


class EditAnnotation(Command[Change]):
    """Change an annotation's span, code or memo (only the arguments given)."""

    def __init__(
        self,
        store: ProjectStore,
        annotation_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        code_id: int | None = None,
        memo: str | None = None,
        text: str = "Edit annotation",
    ) -> None:
        self.store = store
        self.annotation_id = annotation_id
        self.start, self.end, self.code_id, self.memo = start, end, code_id, memo
        self.text = text
        self.before: ann.AnnotationEdit | None = None
        self.edited_at: datetime | None = None  # redo keeps the time of the first edit
        self.left: dict[str, Any] | None = None  # the whole row as the last step left it

    def apply(self) -> Change:
        if self.left is not None:
            return self._redo()
        return self._edit()

    @redo_step
    def _redo(self) -> Change:
        return self._edit()

    def _edit(self) -> Change:
        info, self.before = ann.edit_annotation(
            self.store,
            self.annotation_id,
            start=self.start,
            end=self.end,
            code_id=self.code_id,
            memo=self.memo,
            updated_at=self.edited_at,
            expected=self.left,
        )
        self.edited_at = info.updated_at
        self.left = ann.row_of(info)
        return Change(annotations_updated=(info,))

    @undo_step
    def revert(self) -> Change:
        b = self.before
        assert b is not None
        info, _ = ann.edit_annotation(
            self.store,
            self.annotation_id,
            start=b.start,
            end=b.end,
            code_id=b.code_id,
            memo=b.memo,
            updated_at=b.updated_at,
            expected=self.left,
        )
        self.left = ann.row_of(info)
        return Change(annotations_updated=(info,))


class InVivoCode(Command[Change]):
    """Create a code named after the selected words and apply it to them, in one transaction."""

    def __init__(
        self,
        store: ProjectStore,
        document_id: int,
        start: int,
        end: int,
        coder_id: int,
        parent_id: int | None = None,
        *,
        shown_hash: str | None = None,
    ) -> None:
        self.name = ann.in_vivo_name_at(store, document_id, start, end)  # refuses a bad span first
        self.store = store
        self.target = (document_id, start, end, coder_id, parent_id)
        self.shown_hash = shown_hash
        self.text = f"In-vivo code {self.name!r}"
        self.annotation: AnnotationInfo | None = None
        self.left: cb.CodeSnapshot | None = None  # the code and its annotation, while done
        self.snapshot: cb.CodeSnapshot | None = None  # the code and its annotation, while undone

    @property
    def code_id(self) -> int | None:
        return self.annotation.code_id if self.annotation is not None else None

    def apply(self) -> Change:
        if self.snapshot is not None:
            return self._redo()
        self.annotation = ann.code_in_vivo(self.store, *self.target, shown_hash=self.shown_hash)
        # Read just after its own transaction (code_in_vivo returns the annotation only).
        code = cb_undo.code_row(self.store, self.annotation.code_id)
        self.left = cb.CodeSnapshot([code], [ann.row_of(self.annotation)])
        return Change(codebook_changed=True, annotations_added=(self.annotation,))

    @redo_step
    def _redo(self) -> Change:
        assert self.snapshot is not None
        cb.restore_codes(self.store, self.snapshot)
        added = _restored(self.snapshot.annotations)
        self.left, self.snapshot = self.snapshot, None
        return Change(codebook_changed=True, annotations_added=added)

    @undo_step
    def revert(self) -> Change:
        assert self.left is not None
        # The code goes with its annotation, in one transaction; anyone else's use of it refuses.
        self.snapshot = cb_undo.take_back_codes(self.store, self.left)
        return Change(codebook_changed=True, annotations_removed=_ids(self.snapshot.annotations))


# --- documents ---------------------------------------------------------------------------------


class ImportedDocuments(Command[Change]):
    """Undo entry for an import that already ran (in a worker): undo removes the documents.

    What the import left is what is attached to the documents when it is recorded (normally
    nothing): annotations or memos made on them after that are someone else's, and refuse undo.
    """

    def __init__(self, store: ProjectStore, document_ids: Sequence[int]) -> None:
        self.store = store
        self.ids = tuple(document_ids)
        self.left = conflicts.attached_to_documents(store, self.ids)  # memos and annotations
        self.snapshot: docs.DocumentSnapshot | None = None
        self.text = f"Import {len(self.ids)} document{'s' if len(self.ids) != 1 else ''}"

    def apply(self) -> Change:
        if self.snapshot is not None:
            return self._redo()
        return Change(documents_added=self.ids)

    @redo_step
    def _redo(self) -> Change:
        assert self.snapshot is not None
        docs.restore_documents(self.store, self.snapshot)
        self.left = (self.snapshot.memos, self.snapshot.annotations)
        self.snapshot = None
        return Change(documents_added=self.ids)

    @undo_step
    def revert(self) -> Change:
        memos, annotations = self.left
        expected = docs.DocumentSnapshot([], [], [], list(memos), list(annotations))
        self.snapshot = docs.delete_documents(self.store, self.ids, expected=expected)
        return Change(documents_removed=self.ids)


class SetDocumentMemo(Command[Change]):
    text = "Edit document memo"

    def __init__(self, store: ProjectStore, document_id: int, coder_name: str, memo: str) -> None:
        self.store = store
        self.document_id = document_id
        self.coder_name = coder_name
        self.memo = memo
        self.memo_change: docs.MemoChange | None = None

    def apply(self) -> Change:
        if self.memo_change is not None:
            return self._redo()
        self.memo_change = docs.change_document_memo(self.store, self.document_id, self.coder_name, self.memo)
        return Change(document_memos_changed=(self.document_id,))

    @redo_step
    def _redo(self) -> Change:
        assert self.memo_change is not None
        return self._put(self.memo_change.after, instead_of=self.memo_change.before)

    @undo_step
    def revert(self) -> Change:
        assert self.memo_change is not None
        return self._put(self.memo_change.before, instead_of=self.memo_change.after)

    def _put(self, rows: list[dict[str, Any]], *, instead_of: list[dict[str, Any]]) -> Change:
        """Make the memo ``rows`` again, refusing if it is no longer ``instead_of``."""
        assert self.memo_change is not None
        coder_id = self.memo_change.coder_id
        docs.restore_document_memo(self.store, self.document_id, coder_id, rows, expected=instead_of)
        return Change(document_memos_changed=(self.document_id,))


# --- adjudication ------------------------------------------------------------------------------


class ResolveDisagreement(Command[Change]):
    """Record the team's decision on a disagreement (redo restores the very same rows)."""

    def __init__(self, store: ProjectStore, item: adj.DisagreementItem, decision: adj.Decision) -> None:
        self.store = store
        self.item = item
        self.decision = decision
        self.text = f"Adjudicate {item.code_path}: {decision.describe()}"
        self.resolution: adj.Resolution | None = None

    def apply(self) -> Change:
        from annotator.services import adjudication as adj

        if self.resolution is None:
            self.resolution = adj.resolve_disagreement(self.store, self.item, self.decision)
        else:
            adj.redo_resolution(self.store, self.resolution)
        r = self.resolution
        return self._change(r.added, r.removed, created=r.created_consensus)

    def revert(self) -> Change:
        from annotator.services import adjudication as adj

        assert self.resolution is not None
        adj.undo_resolution(self.store, self.resolution)
        r = self.resolution
        return self._change(r.removed, r.added, created=False)

    def _change(self, added: list[dict[str, Any]], removed: list[dict[str, Any]], *, created: bool) -> Change:
        return Change(
            annotations_added=_restored(added),
            annotations_removed=_ids(removed),
            adjudications_changed=(self.item.document_id,),
            adjudicated_regions=((self.item.document_id, self.item.code_id, self.item.start, self.item.end),),
            coders_changed=created,  # the consensus coder was created by this decision
        )
