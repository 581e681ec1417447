"""Undoable user actions: each builds a core ``Command`` over the services.

The first ``apply`` performs the action; ``revert`` takes it back exactly (rows return under
their old ids); a later ``apply`` (redo) puts back the same rows rather than creating new ones,
so references held by other undo entries stay valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from annotator.core.types import AnnotationInfo
from annotator.core.undo import Command
from annotator.core.validation import validate_span
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import documents as docs
from annotator.services.changes import Change
from annotator.services.errors import ServiceError
from annotator.store.project import ProjectStore

CODEBOOK = Change(codebook_changed=True)


def apply_code(
    store: ProjectStore, document_id: int, start: int, end: int, code_id: int, coder_id: int, memo: str = ""
) -> Command[Change]:
    rows: list[dict[str, Any]] = []

    def do() -> Change:
        if rows:
            return Change(annotations_added=tuple(ann.restore_annotations(store, rows)))
        info = ann.apply_code(store, document_id, start, end, code_id, coder_id, memo)
        rows.append(_row_of(info))
        return Change(annotations_added=(info,))

    def undo() -> Change:
        ann.remove_annotations(store, [rows[0]["id"]])
        return Change(annotations_removed=(rows[0]["id"],))

    return Command("Apply code", do, undo)


def _row_of(info: AnnotationInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "document_id": info.document_id,
        "start": info.start,
        "end": info.end,
        "code_id": info.code_id,
        "coder_id": info.coder_id,
        "memo": info.memo,
        "quote": info.quote,
        "created_at": info.created_at,
        "updated_at": info.updated_at,
    }


def remove_annotations(store: ProjectStore, annotation_ids: Sequence[int]) -> Command[Change]:
    ids = list(annotation_ids)
    removed: list[dict[str, Any]] = []

    def do() -> Change:
        removed[:] = ann.remove_annotations(store, ids)
        return Change(annotations_removed=tuple(ids))

    def undo() -> Change:
        return Change(annotations_added=tuple(ann.restore_annotations(store, removed)))

    text = "Remove annotation" if len(ids) == 1 else f"Remove {len(ids)} annotations"
    return Command(text, do, undo)


def edit_annotation(
    store: ProjectStore,
    annotation_id: int,
    *,
    start: int | None = None,
    end: int | None = None,
    code_id: int | None = None,
    memo: str | None = None,
    text: str = "Edit annotation",
) -> Command[Change]:
    previous: list[ann.AnnotationEdit] = []
    edited_at: list[datetime | None] = []  # redo keeps the time of the first edit

    def do() -> Change:
        info, before = ann.edit_annotation(
            store,
            annotation_id,
            start=start,
            end=end,
            code_id=code_id,
            memo=memo,
            updated_at=edited_at[0] if edited_at else None,
        )
        previous[:] = [before]
        edited_at[:] = [info.updated_at]
        return Change(annotations_updated=(info,))

    def undo() -> Change:
        b = previous[0]
        info, _ = ann.edit_annotation(
            store,
            annotation_id,
            start=b.start,
            end=b.end,
            code_id=b.code_id,
            memo=b.memo,
            updated_at=b.updated_at,
        )
        return Change(annotations_updated=(info,))

    return Command(text, do, undo)


def add_code(
    store: ProjectStore, name: str, parent_id: int | None = None, colour: str | None = None, **texts: str
) -> Command[Change]:
    snapshot: list[cb.CodeSnapshot] = []
    created: list[int] = []  # shared with the command's created_ids

    def do() -> Change:
        if snapshot:
            cb.restore_codes(store, snapshot.pop())
        else:
            created.append(cb.add_code(store, name, parent_id, colour, **texts).id)
        return CODEBOOK

    def undo() -> Change:
        snapshot.append(cb.delete_code(store, created[0]))
        return CODEBOOK

    return Command(f"Add code {name!r}", do, undo, created_ids=created)


def update_code(store: ProjectStore, code_id: int, **fields: str) -> Command[Change]:
    before: list[dict[str, str]] = []

    def do() -> Change:
        current = cb.code_fields(store, code_id)
        before[:] = [{key: current[key] for key in fields}]
        cb.update_code(store, code_id, **fields)
        return CODEBOOK

    def undo() -> Change:
        cb.update_code(store, code_id, **before[0])
        return CODEBOOK

    single = {"name": "Rename code", "colour": "Recolour code"}
    what = single.get(next(iter(fields)), "Edit code") if len(fields) == 1 else "Edit code"
    return Command(what, do, undo)


def move_code(
    store: ProjectStore, code_id: int, new_parent_id: int | None, position: int | None = None
) -> Command[Change]:
    before: list[cb.Placement] = []

    def do() -> Change:
        before[:] = [cb.move_code(store, code_id, new_parent_id, position)]
        return CODEBOOK

    def undo() -> Change:
        cb.restore_placement(store, code_id, before[0])
        return CODEBOOK

    return Command("Move code", do, undo)


def merge_codes(store: ProjectStore, source_id: int, target_id: int) -> Command[Change]:
    merges: list[cb.CodeMerge] = []

    def do() -> Change:
        merges[:] = [cb.merge_codes(store, source_id, target_id)]
        return CODEBOOK

    def undo() -> Change:
        cb.unmerge_codes(store, merges[0])
        return CODEBOOK

    return Command("Merge codes", do, undo)


def delete_code(store: ProjectStore, code_id: int) -> Command[Change]:
    snapshot: list[cb.CodeSnapshot] = []

    def do() -> Change:
        snapshot[:] = [cb.delete_code(store, code_id)]
        removed = tuple(int(r["id"]) for r in snapshot[0].annotations)
        return Change(codebook_changed=True, annotations_removed=removed)

    def undo() -> Change:
        cb.restore_codes(store, snapshot[0])
        return CODEBOOK

    return Command("Delete code", do, undo)


def in_vivo_code(
    store: ProjectStore, document_id: int, start: int, end: int, coder_id: int, parent_id: int | None = None
) -> Command[Change]:
    """Create a code named after the selected words and apply it to them."""
    text = docs.document_text(store, document_id)
    validate_span(start, end, len(text))  # before naming: a bad span must not create a code
    name = " ".join(text[start:end].split())[:80].strip(" .,;:!?\"'“”‘’")
    if not name:
        raise ServiceError("select some words to name the new code after")
    add = add_code(store, name, parent_id)
    applied: list[Command[Change]] = []

    def do() -> Change:
        change = add.apply()
        if not applied:
            try:
                first = apply_code(store, document_id, start, end, add.created_ids[0], coder_id)
                change = change | first.apply()
            except Exception:
                add.revert()  # e.g. an unknown coder: take the new code away again
                raise
            applied.append(first)
            return change
        return change | applied[0].apply()

    def undo() -> Change:
        change = applied[0].revert()
        return change | add.revert()

    return Command(f"In-vivo code {name!r}", do, undo)


def imported_documents(store: ProjectStore, document_ids: Sequence[int]) -> Command[Change]:
    """Undo entry for an import that already ran (in a worker): undo removes the documents."""
    ids = tuple(document_ids)
    snapshot: list[docs.DocumentSnapshot] = []

    def do() -> Change:
        if snapshot:
            docs.restore_documents(store, snapshot.pop())
        return Change(documents_added=ids)

    def undo() -> Change:
        snapshot.append(docs.delete_documents(store, ids))
        return Change(documents_removed=ids)

    return Command(f"Import {len(ids)} document{'s' if len(ids) != 1 else ''}", do, undo)


def set_document_memo(store: ProjectStore, document_id: int, coder_name: str, text: str) -> Command[Change]:
    changes: list[docs.MemoChange] = []

    def do() -> Change:
        if changes:
            docs.restore_document_memo(store, document_id, changes[0].coder_id, changes[0].after)
        else:
            changes.append(docs.change_document_memo(store, document_id, coder_name, text))
        return Change(document_memo_changed=document_id)

    def undo() -> Change:
        docs.restore_document_memo(store, document_id, changes[0].coder_id, changes[0].before)
        return Change(document_memo_changed=document_id)

    return Command("Edit document memo", do, undo)
