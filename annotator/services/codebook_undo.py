"""Codebook steps only undo and redo take, checked against what their command left.

``delete_code`` and ``merge_codes`` act on whatever a code has now; undoing an added code and
redoing a delete or a merge must act on exactly the rows the command knows, and refuse
(:class:`~annotator.services.conflicts.ConflictError`) when someone else's rows would go with
them. Also the reads a command makes right after its action to remember what it left.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from annotator.services import conflict_messages as say
from annotator.services import conflicts, snapshots
from annotator.services.code_merging import CodeMerge
from annotator.services.codebook import CodeSnapshot
from annotator.services.conflicts import ConflictError
from annotator.store.models import Annotation, Code
from annotator.store.project import ProjectStore


def take_back_codes(store: ProjectStore, expected: CodeSnapshot) -> CodeSnapshot:
    """Delete exactly the codes (parents first in ``expected``) and annotations of a snapshot.

    Refused when a code was renamed, recoloured, edited, moved or deleted since, a code was added
    under one of them, or their annotations are not exactly the snapshot's (made, edited or removed
    since). Returns the rows as deleted, for :func:`~annotator.services.codebook.restore_codes`.
    """
    ids = [row["id"] for row in expected.codes]
    with store.transaction() as session:
        conflicts.check_codes_unchanged(session, expected.codes, expected.annotations)
        order = {cid: index for index, cid in enumerate(ids)}
        codes = snapshots.take(session, Code, Code.id.in_(ids))
        snap = CodeSnapshot(
            codes=sorted(codes, key=lambda row: order[row["id"]]),
            annotations=snapshots.take(session, Annotation, Annotation.code_id.in_(ids)),
        )
        session.execute(delete(Annotation).where(Annotation.code_id.in_(ids)))
        for cid in reversed(ids):  # children before their parents
            session.execute(delete(Code).where(Code.id == cid))
        return snap


def merge_again(store: ProjectStore, merge: CodeMerge, target_id: int) -> None:
    """Redo a merge undone by ``unmerge_codes``: the same rows move and go as the first time.

    Refused when the source code was edited or deleted, the target deleted, or the source's
    annotations or sub-codes are not the ones the merge took (someone coded with it, added a
    sub-code, edited a duplicate it drops, or removed the twin that made it a duplicate).
    """
    source = merge.source
    name = say.quoted(source["name"])
    with store.transaction() as session:
        codes = {
            r["id"]: r for r in conflicts.locked_rows(session, Code, Code.id.in_([source["id"], target_id]))
        }
        problem = say.code_change(source, codes.get(source["id"]))
        if problem is not None:
            raise ConflictError(problem, "delete it" if source["id"] in codes else "")
        if target_id not in codes:
            raise ConflictError(f"the code {name} was merged into was deleted since")
        target = codes[target_id]
        _check_children(session, merge, target)
        _check_annotations(session, merge, target)
        if merge.dropped_annotations:
            dropped = [row["id"] for row in merge.dropped_annotations]
            session.execute(delete(Annotation).where(Annotation.id.in_(dropped)))
        if merge.moved_annotation_ids:
            moved = Annotation.id.in_(merge.moved_annotation_ids)
            session.execute(update(Annotation).where(moved).values(code_id=target_id))
        if merge.moved_child_ids:
            children = Code.id.in_(merge.moved_child_ids)
            session.execute(update(Code).where(children).values(parent_id=target_id))
        session.execute(delete(Code).where(Code.id == source["id"]))


def _check_children(session: Session, merge: CodeMerge, target: dict[str, Any]) -> None:
    children = conflicts.locked_rows(session, Code, Code.parent_id == merge.source["id"])
    name = say.quoted(merge.source["name"])
    for child in children:
        if child["id"] not in merge.moved_child_ids:
            raise ConflictError(
                f"{say.quoted(child['name'])} was added under {name} since",
                f"move it into {say.quoted(target['name'])}",
            )
    if len(children) != len(merge.moved_child_ids):
        raise ConflictError(f"a sub-code of {name} was moved or deleted since")
    taken = session.execute(select(Code.name).where(Code.parent_id == target["id"])).scalars()
    clash = {n.casefold() for n in taken} & {c["name"].casefold() for c in children}
    if clash:
        raise ConflictError(
            f"a code named {say.quoted(clash.pop())} was added under {say.quoted(target['name'])} since"
        )


def _check_annotations(session: Session, merge: CodeMerge, target: dict[str, Any]) -> None:
    source_id, into = merge.source["id"], say.quoted(target["name"])
    extra, edited = conflicts.attached(
        session, Annotation, Annotation.code_id == source_id, merge.dropped_annotations
    )
    moved = set(merge.moved_annotation_ids)
    made = [row for row in extra if row["id"] not in moved]
    if made:
        what = say.rows_made(session, made, "annotation", "made", say.with_codes(session, made))
        raise ConflictError(f"{what} since", f"move {say.them(len(made))} into {into}")
    if edited:
        expected, now = edited[0]
        raise ConflictError(say.annotation_change(session, expected, now), "delete it" if now else "")
    if len(extra) != len(moved):
        missing = len(moved) - len(extra)
        gone = f"{say.counted(missing, 'annotation')} of {say.quoted(merge.source['name'])}"
        raise ConflictError(f"{gone} {'was' if missing == 1 else 'were'} removed or recoded since")
    # The merge dropped exact duplicates of target annotations and moved the rest: the same split
    # must hold now, or the redo would lose a coding or break the one-annotation-per-span rule.
    twins = {
        tuple(r)
        for r in session.execute(
            select(Annotation.document_id, Annotation.coder_id, Annotation.start, Annotation.end).where(
                Annotation.code_id == target["id"]
            )
        )
    }
    for row in extra:
        if (row["document_id"], row["coder_id"], row["start"], row["end"]) in twins:
            label = say.annotation_label(session, row)
            raise ConflictError(f"{label} was also coded with {into} since")
    for row in merge.dropped_annotations:
        if (row["document_id"], row["coder_id"], row["start"], row["end"]) not in twins:
            label = say.annotation_label(session, row)
            raise ConflictError(f"the {into} annotation that {label} duplicates was removed since", "lose it")


# --- what a command remembers right after its action ---------------------------------------------


def code_row(store: ProjectStore, code_id: int) -> dict[str, Any]:
    """A code's whole row (e.g. of the code an in-vivo coding created)."""
    with store.reading() as session:
        [row] = snapshots.take(session, Code, Code.id == code_id)
        return row


def placements(store: ProjectStore, code_ids: set[int]) -> conflicts.Placements:
    """Where the codes are now: code id -> (parent id, position)."""
    with store.reading() as session:
        rows = session.execute(
            select(Code.id, Code.parent_id, Code.position).where(Code.id.in_(sorted(code_ids)))
        )
        return {r.id: (r.parent_id, r.position) for r in rows}
