"""Merging one code into another, and taking the merge back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update

from annotator.core.codebook import (
    is_descendant_or_self,
)
from annotator.services import conflicts, snapshots
from annotator.services.codebook import (
    _check_sibling_name,
    _nodes,
    get_code,
    lock_codebook,
    lock_codes_in_use,
)
from annotator.services.errors import ServiceError
from annotator.store.models import Annotation, Code
from annotator.store.project import ProjectStore


@dataclass(frozen=True)
class CodeMerge:
    """What :func:`merge_codes` did, so :func:`unmerge_codes` can take it back."""

    source: dict[str, Any]
    moved_annotation_ids: list[int]
    dropped_annotations: list[dict[str, Any]]  # exact duplicates of a target annotation
    moved_child_ids: list[int]


def merge_codes(store: ProjectStore, source_id: int, target_id: int) -> CodeMerge:
    """Fold ``source`` into ``target``: its annotations and sub-codes move, then it is deleted."""
    if source_id == target_id:
        raise ServiceError("cannot merge a code with itself")
    with store.transaction() as session:
        lock_codebook(session)  # the sub-code check and the children moved stay true until commit
        source = get_code(session, source_id)
        target = get_code(session, target_id)
        if is_descendant_or_self(_nodes(session), target_id, source_id):
            raise ServiceError(f"cannot merge {source.name!r} into its own sub-code {target.name!r}")
        # Both codes' annotations are read next and must stay as read (see delete_code): one being
        # made with either code now commits first; later ones wait, then find the source gone.
        lock_codes_in_use(session, [source_id, target_id])
        target_keys = select(
            Annotation.document_id, Annotation.coder_id, Annotation.start, Annotation.end
        ).where(Annotation.code_id == target_id)
        existing = {tuple(r) for r in session.execute(target_keys)}
        source_rows = conflicts.locked_rows(session, Annotation, Annotation.code_id == source_id)
        dropped = [
            r for r in source_rows if (r["document_id"], r["coder_id"], r["start"], r["end"]) in existing
        ]
        dropped_ids = [r["id"] for r in dropped]
        moved = [r["id"] for r in source_rows if r["id"] not in set(dropped_ids)]
        if dropped_ids:
            session.execute(delete(Annotation).where(Annotation.id.in_(dropped_ids)))
        if moved:
            session.execute(update(Annotation).where(Annotation.id.in_(moved)).values(code_id=target_id))
        children = session.scalars(select(Code).where(Code.parent_id == source_id)).all()
        for child in children:
            _check_sibling_name(session, target_id, child.name)
            child.parent_id = target_id
        session.flush()
        source_row = snapshots.take(session, Code, Code.id == source_id)[0]
        session.execute(delete(Code).where(Code.id == source_id))
        return CodeMerge(source_row, moved, dropped, [c.id for c in children])


def unmerge_codes(store: ProjectStore, merge: CodeMerge, *, into: int | None = None) -> None:
    """Undo :func:`merge_codes`: the source code, its annotations and sub-codes come back.

    ``into`` is the code it was merged into: then refuse (ConflictError) unless the annotations
    and sub-codes the merge moved are still there, with that code and under it.
    """
    with store.transaction() as session:
        lock_codebook(session)
        source = merge.source
        if into is not None:
            conflicts.check_merged_into(
                session, merge.source, merge.moved_annotation_ids, merge.moved_child_ids, into
            )
        if source["parent_id"] is not None and session.get(Code, source["parent_id"]) is None:
            parent = f"the parent of {conflicts.quoted(source['name'])}"
            raise conflicts.ConflictError(f"{parent} was deleted since")
        _check_sibling_name(session, source["parent_id"], source["name"])
        conflicts.check_annotations_restorable(session, merge.dropped_annotations, new_codes=[source["id"]])
        snapshots.put_back(session, Code, [merge.source])
        source_id = merge.source["id"]
        if merge.moved_child_ids:
            session.execute(
                update(Code).where(Code.id.in_(merge.moved_child_ids)).values(parent_id=source_id)
            )
            if is_descendant_or_self(_nodes(session), source["parent_id"], source_id):
                # The code it sat under was moved into one of the sub-codes it gets back.
                name = conflicts.quoted(source["name"])
                raise conflicts.ConflictError(f"the code {name} sat under was moved inside it since")
        if merge.moved_annotation_ids:
            session.execute(
                update(Annotation)
                .where(Annotation.id.in_(merge.moved_annotation_ids))
                .values(code_id=source_id)
            )
        snapshots.put_back(session, Annotation, merge.dropped_annotations)
