"""Every undoable user action, as a small command class over the services.

The first ``apply`` performs the action (one transaction); ``revert`` takes it back exactly (rows
return under their old ids); a later ``apply`` (redo) puts back the same rows rather than creating
new ones, so references held by other undo entries stay valid. Each command keeps what undo and
redo need on ``self`` and returns the :class:`Change` its step made.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from annotator.core.types import AnnotationInfo
from annotator.core.undo import Command
from annotator.core.validation import validate_span
from annotator.services import adjudication as adj
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import documents as docs
from annotator.services.changes import CODEBOOK, Change
from annotator.store.project import ProjectStore


def _restored(rows: Sequence[dict[str, Any]]) -> tuple[AnnotationInfo, ...]:
    return tuple(ann.info_from_row(row) for row in rows)


def _ids(rows: Sequence[dict[str, Any]]) -> tuple[int, ...]:
    return tuple(int(row["id"]) for row in rows)


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
    ) -> None:
        self.store = store
        self.target = (document_id, start, end, code_id, coder_id, memo)
        self.row: dict[str, Any] | None = None  # the annotation as first stored

    def apply(self) -> Change:
        if self.row is not None:
            return Change(annotations_added=tuple(ann.restore_annotations(self.store, [self.row])))
        info = ann.apply_code(self.store, *self.target)
        self.row = ann.row_of(info)
        return Change(annotations_added=(info,))

    def revert(self) -> Change:
        assert self.row is not None
        ann.remove_annotations(self.store, [self.row["id"]])
        return Change(annotations_removed=(self.row["id"],))


class RemoveAnnotations(Command[Change]):
    def __init__(self, store: ProjectStore, annotation_ids: Sequence[int]) -> None:
        self.store = store
        self.ids = list(annotation_ids)
        self.removed: list[dict[str, Any]] = []
        self.text = "Remove annotation" if len(self.ids) == 1 else f"Remove {len(self.ids)} annotations"

    def apply(self) -> Change:
        self.removed = ann.remove_annotations(self.store, self.ids)
        return Change(annotations_removed=tuple(self.ids))

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

    def apply(self) -> Change:
        info, self.before = ann.edit_annotation(
            self.store,
            self.annotation_id,
            start=self.start,
            end=self.end,
            code_id=self.code_id,
            memo=self.memo,
            updated_at=self.edited_at,
        )
        self.edited_at = info.updated_at
        return Change(annotations_updated=(info,))

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
        )
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
    ) -> None:
        text = docs.document_text(store, document_id)
        validate_span(start, end, len(text))  # refused before naming: a bad span creates nothing
        self.name = ann.in_vivo_name(text[start:end])
        self.store = store
        self.target = (document_id, start, end, coder_id, parent_id)
        self.text = f"In-vivo code {self.name!r}"
        self.annotation: AnnotationInfo | None = None
        self.snapshot: cb.CodeSnapshot | None = None  # the code and its annotation, while undone

    @property
    def code_id(self) -> int | None:
        return self.annotation.code_id if self.annotation is not None else None

    def apply(self) -> Change:
        if self.snapshot is not None:
            cb.restore_codes(self.store, self.snapshot)
            added = _restored(self.snapshot.annotations)
            self.snapshot = None
            return Change(codebook_changed=True, annotations_added=added)
        self.annotation = ann.code_in_vivo(self.store, *self.target)
        return Change(codebook_changed=True, annotations_added=(self.annotation,))

    def revert(self) -> Change:
        assert self.annotation is not None
        # Deleting the code takes its annotation with it, in one transaction.
        self.snapshot = cb.delete_code(self.store, self.annotation.code_id)
        return Change(codebook_changed=True, annotations_removed=_ids(self.snapshot.annotations))


# --- codebook ----------------------------------------------------------------------------------


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
        self.snapshot: cb.CodeSnapshot | None = None

    def apply(self) -> Change:
        if self.snapshot is not None:
            cb.restore_codes(self.store, self.snapshot)
            self.snapshot = None
        else:
            added = cb.add_code(self.store, self.name, self.parent_id, self.colour, **self.texts)
            self.code_id = added.id
        return CODEBOOK

    def revert(self) -> Change:
        assert self.code_id is not None
        self.snapshot = cb.delete_code(self.store, self.code_id)
        # Others may have coded with it meanwhile: their annotations go with it (and come back).
        return Change(codebook_changed=True, annotations_removed=_ids(self.snapshot.annotations))


_CODE_EDIT_TEXT = {"name": "Rename code", "colour": "Recolour code"}


class UpdateCode(Command[Change]):
    """Rename, recolour or edit a code's texts."""

    def __init__(self, store: ProjectStore, code_id: int, **fields: str) -> None:
        self.store = store
        self.code_id = code_id
        self.fields = fields
        self.before: dict[str, str] = {}
        self.text = _CODE_EDIT_TEXT.get(next(iter(fields)), "Edit code") if len(fields) == 1 else "Edit code"

    def apply(self) -> Change:
        current = cb.code_fields(self.store, self.code_id)
        self.before = {key: current[key] for key in self.fields}
        cb.update_code(self.store, self.code_id, **self.fields)
        return CODEBOOK

    def revert(self) -> Change:
        cb.update_code(self.store, self.code_id, **self.before)
        return CODEBOOK


class MoveCode(Command[Change]):
    text = "Move code"

    def __init__(
        self, store: ProjectStore, code_id: int, new_parent_id: int | None, position: int | None = None
    ) -> None:
        self.store = store
        self.code_id = code_id
        self.to = (new_parent_id, position)
        self.before: cb.Placement | None = None

    def apply(self) -> Change:
        self.before = cb.move_code(self.store, self.code_id, *self.to)
        return CODEBOOK

    def revert(self) -> Change:
        assert self.before is not None
        cb.restore_placement(self.store, self.code_id, self.before)
        return CODEBOOK


class MergeCodes(Command[Change]):
    text = "Merge codes"

    def __init__(self, store: ProjectStore, source_id: int, target_id: int) -> None:
        self.store = store
        self.source_id, self.target_id = source_id, target_id
        self.merge: cb.CodeMerge | None = None

    def apply(self) -> Change:
        self.merge = cb.merge_codes(self.store, self.source_id, self.target_id)
        return Change(codebook_changed=True, annotations_removed=_ids(self.merge.dropped_annotations))

    def revert(self) -> Change:
        assert self.merge is not None
        cb.unmerge_codes(self.store, self.merge)
        return Change(codebook_changed=True, annotations_added=_restored(self.merge.dropped_annotations))


class DeleteCode(Command[Change]):
    text = "Delete code"

    def __init__(self, store: ProjectStore, code_id: int) -> None:
        self.store = store
        self.code_id = code_id
        self.snapshot: cb.CodeSnapshot | None = None

    def apply(self) -> Change:
        self.snapshot = cb.delete_code(self.store, self.code_id)
        return Change(codebook_changed=True, annotations_removed=_ids(self.snapshot.annotations))

    def revert(self) -> Change:
        assert self.snapshot is not None
        cb.restore_codes(self.store, self.snapshot)
        return Change(codebook_changed=True, annotations_added=_restored(self.snapshot.annotations))


# --- documents ---------------------------------------------------------------------------------


class ImportedDocuments(Command[Change]):
    """Undo entry for an import that already ran (in a worker): undo removes the documents."""

    def __init__(self, store: ProjectStore, document_ids: Sequence[int]) -> None:
        self.store = store
        self.ids = tuple(document_ids)
        self.snapshot: docs.DocumentSnapshot | None = None
        self.text = f"Import {len(self.ids)} document{'s' if len(self.ids) != 1 else ''}"

    def apply(self) -> Change:
        if self.snapshot is not None:
            docs.restore_documents(self.store, self.snapshot)
            self.snapshot = None
        return Change(documents_added=self.ids)

    def revert(self) -> Change:
        self.snapshot = docs.delete_documents(self.store, self.ids)
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
        if self.memo_change is None:
            self.memo_change = docs.change_document_memo(
                self.store, self.document_id, self.coder_name, self.memo
            )
        else:
            m = self.memo_change
            docs.restore_document_memo(self.store, self.document_id, m.coder_id, m.after)
        return Change(document_memos_changed=(self.document_id,))

    def revert(self) -> Change:
        assert self.memo_change is not None
        m = self.memo_change
        docs.restore_document_memo(self.store, self.document_id, m.coder_id, m.before)
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
        if self.resolution is None:
            self.resolution = adj.resolve_disagreement(self.store, self.item, self.decision)
        else:
            adj.redo_resolution(self.store, self.resolution)
        r = self.resolution
        return self._change(r.added, r.removed, created=r.created_consensus)

    def revert(self) -> Change:
        assert self.resolution is not None
        adj.undo_resolution(self.store, self.resolution)
        r = self.resolution
        return self._change(r.removed, r.added, created=False)

    def _change(self, added: list[dict[str, Any]], removed: list[dict[str, Any]], *, created: bool) -> Change:
        return Change(
            annotations_added=_restored(added),
            annotations_removed=_ids(removed),
            adjudications_changed=(self.item.document_id,),
            coders_changed=created,  # the consensus coder was created by this decision
        )
