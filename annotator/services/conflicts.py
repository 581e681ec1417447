"""Undo and redo across users: refuse a step when someone changed its rows since.

Optimistic concurrency without version columns: a command remembers the rows as its last step
left them (whole rows, ``updated_at`` included), and the service that undoes or redoes it re-reads
them inside its own transaction and raises :class:`ConflictError` when they differ. On PostgreSQL
the re-read locks the rows (``SELECT … FOR UPDATE``; locking a code or document row also holds
back new annotations pointing at it until the step commits); an SQLite write transaction holds
the write lock from ``BEGIN IMMEDIATE`` on. The rule itself is written in ``commands``.

The messages name what changed in one line of plain text, with the coder names, code names and
titles read from the database (``conflict_messages``): ``3 annotations by bob were made on
“Work 2” since``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

# The services word their own refusals with quoted, them and code_change from here too.
from annotator.services.conflict_messages import (
    annotation_change,
    annotation_label,
    code_change,
    code_names,
    counted,
    memo_change,
    on_documents,
    quoted,
    rows_made,
    them,
    with_codes,
)
from annotator.services.errors import ServiceError
from annotator.store.models import Annotation, Base, Code, Document, DocumentMemo
from annotator.store.project import ProjectStore

Row = dict[str, Any]


class ConflictError(ServiceError):
    """Undo or redo refused: rows it would change were changed since; nothing was changed.

    ``what`` says what changed (``… was edited since``), ``would`` what the step would have done
    to it (``delete them``); :meth:`of_step` words both for one command's undo or redo.
    """

    def __init__(self, what: str, would: str = "", *, step: str = "", action: str = "") -> None:
        self.what = what
        self.would = would
        if step:
            message = f"cannot {step} {action}: {what}" + (f"; {step}ing would {would}" if would else "")
        else:
            message = f"{what}; this would {would}" if would else what
        super().__init__(message)

    @classmethod
    def of_step(cls, step: str, action: str, refusal: Exception) -> ConflictError:
        """``cannot undo Import 2 documents: …; undoing would delete them``."""
        if isinstance(refusal, ConflictError):
            return cls(refusal.what, refusal.would, step=step, action=action)
        return cls(str(refusal), step=step, action=action)


# --- reading what is there now ------------------------------------------------------------------


def locked_rows(session: Session, model: type[Base], condition: ColumnElement[bool]) -> list[Row]:
    """Whole rows matching ``condition``, locked until the transaction ends (PostgreSQL)."""
    table = model.__table__
    query = select(table).where(condition).order_by(table.c.id).with_for_update()
    return [dict(row) for row in session.execute(query).mappings()]


def lock_ids(session: Session, column: InstrumentedAttribute[int], ids: Iterable[int]) -> set[int]:
    """Lock the rows with these ids (only the id is read); return the ids that exist."""
    query = select(column).where(column.in_(sorted(set(ids)))).order_by(column).with_for_update()
    return set(session.scalars(query))


# --- checks -------------------------------------------------------------------------------------


def check_annotations_unchanged(
    session: Session, expected: Sequence[Mapping[str, Any]], *, would: str
) -> list[Row]:
    """Lock the annotations ``expected`` names; refuse unless each is exactly as expected."""
    ids = [row["id"] for row in expected]
    current = {row["id"]: row for row in locked_rows(session, Annotation, Annotation.id.in_(ids))}
    changed = [row for row in expected if current.get(row["id"]) != row]
    if changed:
        now = current.get(changed[0]["id"])
        what = annotation_change(session, changed[0], now)
        if len(changed) > 1:
            what += f" (and {counted(len(changed) - 1, 'other annotation')})"
        raise ConflictError(what, would if now is not None else "")
    return [current[i] for i in ids]


def attached(
    session: Session, model: type[Base], condition: ColumnElement[bool], expected: Sequence[Mapping[str, Any]]
) -> tuple[list[Row], list[tuple[Mapping[str, Any], Row | None]]]:
    """Lock the rows matching ``condition``: (rows not expected, (expected, current) pairs that differ)."""
    current = {row["id"]: row for row in locked_rows(session, model, condition)}
    known = {row["id"] for row in expected}
    extra = [row for key, row in current.items() if key not in known]
    changed = [(row, current.get(row["id"])) for row in expected if current.get(row["id"]) != row]
    return extra, changed


def check_attached_to_documents(
    session: Session,
    document_ids: Sequence[int],
    memos: Sequence[Mapping[str, Any]],
    annotations: Sequence[Mapping[str, Any]],
) -> None:
    """Refuse unless the memos and annotations on the documents are exactly the given rows."""
    lock_ids(session, Document.id, document_ids)  # holds back annotations and memos being made
    ids = sorted(set(document_ids))
    new_annotations, edited = attached(session, Annotation, Annotation.document_id.in_(ids), annotations)
    new_memos, rewritten = attached(session, DocumentMemo, DocumentMemo.document_id.in_(ids), memos)
    made = []
    if new_annotations:
        made.append(
            rows_made(session, new_annotations, "annotation", "made", on_documents(session, new_annotations))
        )
    if new_memos:
        made.append(rows_made(session, new_memos, "memo", "written", on_documents(session, new_memos)))
    if made:
        raise ConflictError(
            " and ".join(made) + " since", f"delete {them(len(new_annotations) + len(new_memos))}"
        )
    if edited:
        expected, now = edited[0]
        raise ConflictError(annotation_change(session, expected, now), "delete it" if now is not None else "")
    if rewritten:
        expected, now = rewritten[0]
        what = memo_change(session, expected["document_id"], expected["coder_id"], expected, now)
        raise ConflictError(what, "delete it" if now is not None else "")


def attached_to_documents(store: ProjectStore, document_ids: Sequence[int]) -> tuple[list[Row], list[Row]]:
    """The memos and annotations on documents now, as :func:`check_attached_to_documents` expects them."""
    ids = sorted(set(document_ids))
    with store.reading() as session:
        memos = [
            dict(r)
            for r in session.execute(
                select(DocumentMemo.__table__)
                .where(DocumentMemo.document_id.in_(ids))
                .order_by(DocumentMemo.id)
            ).mappings()
        ]
        annotations = [
            dict(r)
            for r in session.execute(
                select(Annotation.__table__).where(Annotation.document_id.in_(ids)).order_by(Annotation.id)
            ).mappings()
        ]
        return memos, annotations


def check_codes_unchanged(
    session: Session,
    codes: Sequence[Mapping[str, Any]],
    annotations: Sequence[Mapping[str, Any]],
    *,
    verb: str = "delete",
) -> None:
    """Refuse unless ``codes`` are as given (positions aside: moves of siblings renumber them),
    nothing was added under them, and their annotations are exactly ``annotations``."""
    ids = sorted(row["id"] for row in codes)
    current = {row["id"]: row for row in locked_rows(session, Code, Code.id.in_(ids))}
    for row in codes:
        problem = code_change(row, current.get(row["id"]))
        if problem is not None:
            raise ConflictError(problem, f"{verb} it" if row["id"] in current else "")
    added = session.execute(
        select(Code.name, Code.parent_id)
        .where(Code.parent_id.in_(ids), Code.id.not_in(ids))
        .order_by(Code.id)
    ).first()
    if added is not None:
        parent = current[added.parent_id]["name"]
        raise ConflictError(f"{quoted(added.name)} was added under {quoted(parent)} since", f"{verb} it too")
    new_annotations, edited = attached(session, Annotation, Annotation.code_id.in_(ids), annotations)
    if new_annotations:
        what = rows_made(session, new_annotations, "annotation", "made", with_codes(session, new_annotations))
        raise ConflictError(f"{what} since", f"{verb} {them(len(new_annotations))}")
    if edited:
        expected, now = edited[0]
        raise ConflictError(
            annotation_change(session, expected, now), f"{verb} it" if now is not None else ""
        )


def check_annotations_restorable(
    session: Session,
    rows: Sequence[Mapping[str, Any]],
    *,
    new_codes: Iterable[object] = (),
    new_documents: Iterable[object] = (),
) -> None:
    """Refuse to put back annotations whose document or code is gone, or that were made again.

    ``new_codes`` and ``new_documents`` are put back in the same step (a code's or an import's
    undo): those exist by then, and nothing can duplicate an annotation on them.
    """
    if not rows:
        return
    coming_codes, coming_documents = set(new_codes), set(new_documents)
    documents = {r["document_id"] for r in rows} - coming_documents
    present = set(session.scalars(select(Document.id).where(Document.id.in_(sorted(documents)))))
    for row in rows:
        if row["document_id"] in documents - present:
            raise ConflictError(f"the work of {annotation_label(session, row)} was removed since")
    codes = {r["code_id"] for r in rows} - coming_codes
    present = set(session.scalars(select(Code.id).where(Code.id.in_(sorted(codes)))))
    for row in rows:
        if row["code_id"] in codes - present:
            raise ConflictError(f"the code of {annotation_label(session, row)} was deleted since")
    exposed = [r for r in rows if r["code_id"] in codes and r["document_id"] in documents]
    if not exposed:
        return
    key_columns = (
        Annotation.document_id,
        Annotation.code_id,
        Annotation.coder_id,
        Annotation.start,
        Annotation.end,
    )
    existing = {
        tuple(r[1:]): r[0]
        for r in session.execute(
            select(Annotation.id, *key_columns).where(
                Annotation.code_id.in_(sorted({r["code_id"] for r in exposed})),
                Annotation.document_id.in_(sorted({r["document_id"] for r in exposed})),
            )
        )
    }
    for row in exposed:
        twin = existing.get((row["document_id"], row["code_id"], row["coder_id"], row["start"], row["end"]))
        if twin is not None and twin != row["id"]:
            raise ConflictError(f"{annotation_label(session, row)} was made again since (annotation {twin})")


def check_memo_unchanged(session: Session, document_id: int, coder_id: int, expected: Sequence[Row]) -> None:
    """Refuse unless a coder's memo on a document is exactly ``expected`` (none or one row)."""
    lock_ids(session, Document.id, [document_id])  # holds back a memo being written meanwhile
    mine = (DocumentMemo.document_id == document_id) & (DocumentMemo.coder_id == coder_id)
    current = locked_rows(session, DocumentMemo, mine)
    if current != list(expected):
        before, now = (expected[0] if expected else None), (current[0] if current else None)
        what = memo_change(session, document_id, coder_id, before, now)
        raise ConflictError(what, "overwrite it" if now is not None else "")


# code id -> (parent id, position): where a move left the codes of the groups it renumbered.
Placements = dict[int, tuple[int | None, int]]


def check_placements(session: Session, code_id: int, expected: Placements) -> None:
    """Refuse unless the moved code and its siblings are placed as ``expected`` (deleted siblings
    do not count: putting the others back does not touch them)."""
    current = {row["id"]: row for row in locked_rows(session, Code, Code.id.in_(sorted(expected)))}
    if code_id not in current:
        raise ConflictError("the moved code was deleted since")
    present = [(cid, place, current[cid]) for cid, place in sorted(expected.items()) if cid in current]
    for _, (parent_id, _), now in present:
        if now["parent_id"] != parent_id:
            raise ConflictError(f"{quoted(now['name'])} was moved since", "move it back")
    for _, (parent_id, position), now in present:
        if now["position"] != position:
            parent = code_names(session, [parent_id]).get(parent_id) if parent_id is not None else None
            group = f"the codes under {quoted(parent)}" if parent else "the top-level codes"
            raise ConflictError(f"{group} were reordered since", "reorder them")


def check_merged_into(
    session: Session,
    source: Row,
    moved_annotation_ids: Sequence[int],
    moved_child_ids: Sequence[int],
    into: int,
) -> None:
    """Refuse unless what a merge moved into ``into`` is still there, unchanged in code and parent."""
    if not lock_ids(session, Code.id, [into]):
        raise ConflictError(f"the code {quoted(source['name'])} was merged into was deleted since")
    target = quoted(code_names(session, [into])[into])
    moved = locked_rows(session, Annotation, Annotation.id.in_(moved_annotation_ids))
    recoded = [row for row in moved if row["code_id"] != into]
    if recoded:
        label = annotation_label(session, {**recoded[0], "code_id": into})
        now = code_names(session, [recoded[0]["code_id"]]).get(recoded[0]["code_id"], "another code")
        raise ConflictError(f"{label} was recoded to {quoted(now)} since", "overwrite it")
    if len(moved) != len(moved_annotation_ids):
        missing = len(moved_annotation_ids) - len(moved)
        was = "was" if missing == 1 else "were"
        raise ConflictError(f"{counted(missing, 'annotation')} merged into {target} {was} removed since")
    children = locked_rows(session, Code, Code.id.in_(moved_child_ids))
    for child in children:
        if child["parent_id"] != into:
            raise ConflictError(f"{quoted(child['name'])} was moved since", "move it back")
    if len(children) != len(moved_child_ids):
        raise ConflictError(f"a sub-code moved into {target} was deleted since")
