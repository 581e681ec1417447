"""Codebook actions: list, add, edit, move and delete codes (merges and CSV live beside it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, or_, select, update
from sqlalchemy.orm import Session

from annotator.core.codebook import (
    CodeNode,
    code_paths,
    counts_by_subtree,
    is_descendant_or_self,
    next_colour,
    split_path,
    subtree_ids,
    tree_order,
)
from annotator.core.types import CodeInfo
from annotator.core.validation import InvalidInputError, clean_colour, clean_name
from annotator.services import conflicts, snapshots
from annotator.services.errors import NotFoundError, ServiceError
from annotator.services.merge_source import SourceCode
from annotator.store.column_limits import max_length
from annotator.store.models import Annotation, Code
from annotator.store.project import ProjectStore
from annotator.store.table_locks import take_turns_changing

TEXT_FIELDS = ("short_name", "definition", "inclusion", "exclusion", "example")
MAX_SHORT_NAME_LENGTH = max_length(Code.short_name)  # PostgreSQL refuses longer values


def _nodes(session: Session) -> list[CodeNode]:
    rows = session.execute(select(Code.id, Code.parent_id, Code.name, Code.position)).all()
    return [CodeNode(r.id, r.parent_id, r.name, r.position) for r in rows]


def lock_codebook(session: Session) -> None:
    """Make changes to the code tree take turns: call it first in a transaction that adds, moves,
    merges or deletes codes, so what it then reads (where each code sits, its siblings' names)
    stays true until it commits. Two users moving A under B and B under A at once would
    otherwise each check an old tree and together make a loop. (SQLite writers always take turns.)
    """
    take_turns_changing(session, Code)


def lock_codes_in_use(session: Session, code_ids: Iterable[int]) -> set[int]:
    """Lock these codes' rows until commit; return the ids that exist.

    On PostgreSQL an annotation being made with one of them holds a key-share lock on its row
    (the foreign key check, or :func:`annotations.apply_code_in`'s own): this waits for it to
    commit, and holds back new ones, so the annotations read next are all there will be.
    """
    return conflicts.lock_ids(session, Code.id, code_ids)


def codes_in(session: Session, *, with_counts: bool = True) -> list[CodeInfo]:
    """All codes in codebook order, with their paths (and annotation counts)."""
    codes = {c.id: c for c in session.scalars(select(Code))}
    nodes = [CodeNode(c.id, c.parent_id, c.name, c.position) for c in codes.values()]
    paths = code_paths(nodes)
    counts: dict[int, int] = {}
    if with_counts:
        counts = dict(
            session.execute(select(Annotation.code_id, func.count()).group_by(Annotation.code_id)).all()
        )
    return [code_info(codes[n.id], paths[n.id], counts.get(n.id, 0)) for n in tree_order(nodes)]


def code_info(code: Code | SourceCode, path: str, count: int = 0) -> CodeInfo:
    """A code's row (from this project, or a merge source's checked copy) as the plain value views use."""
    return CodeInfo(
        id=code.id,
        parent_id=code.parent_id,
        name=code.name,
        path=path,
        colour=code.colour,
        short_name=code.short_name,
        definition=code.definition,
        inclusion=code.inclusion,
        exclusion=code.exclusion,
        example=code.example,
        position=code.position,
        count=count,
    )


def list_codes(store: ProjectStore) -> list[CodeInfo]:
    with store.reading() as session:
        return codes_in(session)


def get_code(session: Session, code_id: int) -> Code:
    code = session.get(Code, code_id)
    if code is None:
        raise NotFoundError(f"no code with id {code_id}")
    return code


def find_code_by_path(session: Session, path: str | tuple[str, ...]) -> Code:
    """The code at ``path`` ("Trope/Slow burn"); matching ignores case when unambiguous."""
    names = split_path(path) if isinstance(path, str) else path
    parent: int | None = None
    code: Code | None = None
    for name in names:
        siblings = session.scalars(select(Code).where(_parent_is(parent))).all()
        exact = [c for c in siblings if c.name == name]
        loose = [c for c in siblings if c.name.casefold() == name.casefold()]
        matches = exact or loose
        if len(matches) != 1:
            shown = "/".join(names)
            problem = f"no code at path {shown!r}" if not matches else f"code path {shown!r} is ambiguous"
            raise NotFoundError(problem)
        code = matches[0]
        parent = code.id
    if code is None:
        raise NotFoundError("empty code path")
    return code


def _parent_is(parent_id: int | None) -> Any:
    return Code.parent_id.is_(None) if parent_id is None else Code.parent_id == parent_id


def _check_sibling_name(
    session: Session, parent_id: int | None, name: str, own_id: int | None = None
) -> None:
    # Compared in Python: SQL lower() folds only ASCII on SQLite, so "Ä"/"ä" would pass there.
    siblings = session.execute(select(Code.id, Code.name).where(_parent_is(parent_id))).all()
    if any(sid != own_id and sname.casefold() == name.casefold() for sid, sname in siblings):
        where = "at the top level" if parent_id is None else "under the same parent"
        raise ServiceError(f"a code named {name!r} already exists {where}")


def _check_text_field(key: str, value: str) -> str:
    if key not in TEXT_FIELDS:
        raise InvalidInputError(f"unknown code field {key!r}")
    if key == "short_name" and len(value) > MAX_SHORT_NAME_LENGTH:
        raise InvalidInputError(
            f"short name is {len(value)} characters long; the limit is {MAX_SHORT_NAME_LENGTH}"
        )
    return value


def add_code_in(
    session: Session, name: str, parent_id: int | None = None, colour: str | None = None, **texts: str
) -> Code:
    name = clean_name(name)
    lock_codebook(session)
    if parent_id is not None:
        get_code(session, parent_id)
    _check_sibling_name(session, parent_id, name)
    last = session.scalar(select(func.coalesce(func.max(Code.position), -1)).where(_parent_is(parent_id)))
    if not colour:
        siblings = session.scalars(select(Code.colour).where(_parent_is(parent_id))).all()
        colour = next_colour(session.scalars(select(Code.colour)).all(), siblings)
    colour = clean_colour(colour)
    position = int(last if last is not None else -1) + 1
    code = Code(name=name, parent_id=parent_id, colour=colour, position=position)
    for key, value in texts.items():
        setattr(code, key, _check_text_field(key, value))
    session.add(code)
    session.flush()
    return code


def add_code(
    store: ProjectStore, name: str, parent_id: int | None = None, colour: str | None = None, **texts: str
) -> CodeInfo:
    with store.transaction() as session:
        code = add_code_in(session, name, parent_id, colour, **texts)
        return code_info(code, code_paths(_nodes(session))[code.id])


def ensure_code_path(session: Session, names: Iterable[str], colour: str | None = None) -> Code:
    """The code at the path given by ``names``, creating missing levels (used by imports)."""
    lock_codebook(session)
    parent: Code | None = None
    for name in names:
        name = clean_name(name)
        parent_id = parent.id if parent else None
        existing = session.scalar(select(Code).where(_parent_is(parent_id), Code.name == name))
        parent = existing or add_code_in(session, name, parent_id, colour)
    if parent is None:
        raise InvalidInputError("empty code path")
    return parent


def update_code(
    store: ProjectStore, code_id: int, *, expected: Mapping[str, str] | None = None, **fields: str
) -> CodeInfo:
    """Rename, recolour or edit the texts of a code; only the given fields change.

    With ``expected`` (fields as undo or redo last left them), refuse with a ConflictError if
    any of them was changed (or the code deleted) since.
    """
    with store.transaction() as session:
        lock_codebook(session)
        if expected is not None:
            rows = conflicts.locked_rows(session, Code, Code.id == code_id)
            current = rows[0] if rows else None
            problem = conflicts.code_change(expected, current)
            if problem is not None:
                raise conflicts.ConflictError(problem, "overwrite it" if current is not None else "")
        code = get_code(session, code_id)
        for key, value in fields.items():
            if key == "name":
                value = clean_name(value)
                _check_sibling_name(session, code.parent_id, value, own_id=code.id)
            elif key == "colour":
                value = clean_colour(value)
            else:
                value = _check_text_field(key, value)
            setattr(code, key, value)
        session.flush()
        return code_info(code, code_paths(_nodes(session))[code.id])


def code_fields(store: ProjectStore, code_id: int) -> dict[str, str]:
    """The editable fields of a code, e.g. to undo an :func:`update_code`."""
    with store.reading() as session:
        code = get_code(session, code_id)
        return {key: getattr(code, key) for key in ("name", "colour", *TEXT_FIELDS)}


@dataclass(frozen=True)
class Placement:
    parent_id: int | None
    position: int
    # (code id, position) of every code in the old and new sibling groups before the move:
    # a move renumbers siblings, and undo must give each its old position back.
    sibling_positions: tuple[tuple[int, int], ...] = ()


def check_not_inside_itself(session: Session, code: Code, new_parent_id: int | None) -> None:
    """Refuse to put ``code`` under ``new_parent_id`` when that is the code or one of its sub-codes.

    Read in the transaction that then moves it, after :func:`lock_codebook`, so the tree checked
    is the tree changed: no loop, ever (readers would refuse a loop, see ``CodebookCycleError``).
    """
    if new_parent_id is None or not is_descendant_or_self(_nodes(session), new_parent_id, code.id):
        return
    if new_parent_id == code.id:
        raise ServiceError(f"cannot move {code.name!r} inside itself")
    parent = get_code(session, new_parent_id)
    raise ServiceError(f"cannot move {code.name!r} inside itself: {parent.name!r} is one of its sub-codes")


def move_code(
    store: ProjectStore, code_id: int, new_parent_id: int | None, position: int | None = None
) -> Placement:
    """Move a code (with its subtree) under ``new_parent_id``; return where it was before."""
    with store.transaction() as session:
        lock_codebook(session)  # the check below must see every move committed before this one
        code = get_code(session, code_id)
        groups = session.scalars(
            select(Code).where(or_(_parent_is(code.parent_id), _parent_is(new_parent_id)))
        )
        before = Placement(code.parent_id, code.position, tuple((c.id, c.position) for c in groups))
        if new_parent_id is not None:
            get_code(session, new_parent_id)
        check_not_inside_itself(session, code, new_parent_id)
        _check_sibling_name(session, new_parent_id, code.name, own_id=code.id)
        siblings = session.scalars(
            select(Code).where(_parent_is(new_parent_id), Code.id != code_id).order_by(Code.position, Code.id)
        ).all()
        index = len(siblings) if position is None else max(0, min(position, len(siblings)))
        ordered = [*siblings[:index], code, *siblings[index:]]
        code.parent_id = new_parent_id
        for pos, sibling in enumerate(ordered):
            sibling.position = pos
        return before


def restore_placement(
    store: ProjectStore, code_id: int, placement: Placement, *, expected: conflicts.Placements | None = None
) -> conflicts.Placements:
    """Undo :func:`move_code` exactly: the code's old parent and every sibling's old position.

    With ``expected`` (the placements as the move, or its redo, left them), refuse with a
    ConflictError if the code or any of those siblings was moved or reordered since (siblings
    deleted since do not count). Returns the placements it leaves, for the next check.
    """
    with store.transaction() as session:
        lock_codebook(session)
        ids = sorted({code_id, *(sibling for sibling, _ in placement.sibling_positions)})
        if expected is not None:
            conflicts.check_placements(session, code_id, expected)
        code = get_code(session, code_id)
        if placement.parent_id is not None and session.get(Code, placement.parent_id) is None:
            came_from = f"the code {conflicts.quoted(code.name)} came from"
            raise conflicts.ConflictError(f"{came_from} was deleted since")
        _check_sibling_name(session, placement.parent_id, code.name, own_id=code.id)
        check_not_inside_itself(session, code, placement.parent_id)
        code.parent_id = placement.parent_id
        for sibling_id, position in placement.sibling_positions:
            session.execute(update(Code).where(Code.id == sibling_id).values(position=position))
        session.flush()
        rows = session.execute(select(Code.id, Code.parent_id, Code.position).where(Code.id.in_(ids)))
        return {r.id: (r.parent_id, r.position) for r in rows}


@dataclass(frozen=True)
class DeletionImpact:
    codes: int  # the code and its descendants
    annotations: int


def deletion_impact(store: ProjectStore, code_id: int) -> DeletionImpact:
    with store.reading() as session:
        get_code(session, code_id)
        nodes = _nodes(session)
        ids = subtree_ids(nodes, code_id)
        own_query = select(Annotation.code_id, func.count()).group_by(Annotation.code_id)
        own = dict(session.execute(own_query).all())
        return DeletionImpact(codes=len(ids), annotations=counts_by_subtree(nodes, own)[code_id])


@dataclass(frozen=True)
class CodeSnapshot:
    """Rows removed by a delete or merge, enough for undo to put them back."""

    codes: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)


def delete_code(store: ProjectStore, code_id: int) -> CodeSnapshot:
    """Delete a code, its descendants and all their annotations; return what was removed."""
    with store.transaction() as session:
        lock_codebook(session)  # nothing is added under, moved into or out of the subtree meanwhile
        get_code(session, code_id)
        ids = subtree_ids(_nodes(session), code_id)
        # The codes are locked before their annotations are read: one being made with them right
        # now commits first and is in the snapshot; later ones wait, then find the code gone.
        # Otherwise the foreign key's cascade would delete annotations that undo never saw.
        lock_codes_in_use(session, ids)
        # Parents before children (not id order: a moved code can be older than its new parent),
        # so restoring row by row never points a foreign key at a row not back yet.
        depth_first = {cid: index for index, cid in enumerate(ids)}
        codes = snapshots.take(session, Code, Code.id.in_(ids))
        snap = CodeSnapshot(
            codes=sorted(codes, key=lambda row: depth_first[row["id"]]),
            annotations=conflicts.locked_rows(session, Annotation, Annotation.code_id.in_(ids)),
        )
        in_subtree = Annotation.code_id.in_(ids)
        removed = cast(CursorResult[Any], session.execute(delete(Annotation).where(in_subtree)))
        if removed.rowcount != len(snap.annotations):  # by the locks above, never; never silently
            raise ServiceError("annotations with these codes changed while deleting; nothing was deleted")
        # Children first, so the parent foreign key never points at a deleted row.
        for cid in reversed(ids):
            session.execute(delete(Code).where(Code.id == cid))
        return snap


def restore_codes(store: ProjectStore, snap: CodeSnapshot) -> None:
    """Undo :func:`delete_code`: put codes (parents first) and annotations back as they were.

    Refused (ConflictError) when a parent outside the snapshot was deleted, a code with the same
    name was made in its place, or an annotation's work was removed since.
    """
    with store.transaction() as session:
        lock_codebook(session)
        coming = {row["id"] for row in snap.codes}
        for row in snap.codes:
            if row["parent_id"] in coming:
                continue
            if row["parent_id"] is not None and session.get(Code, row["parent_id"]) is None:
                parent = f"the parent of {conflicts.quoted(row['name'])}"
                raise conflicts.ConflictError(f"{parent} was deleted since")
            _check_sibling_name(session, row["parent_id"], row["name"])
        conflicts.check_annotations_restorable(session, snap.annotations, new_codes=coming)
        snapshots.put_back(session, Code, snap.codes)
        snapshots.put_back(session, Annotation, snap.annotations)
