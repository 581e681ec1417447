"""Who was assigned to code which document: the ``assignments`` table, one transaction per action.

Agreement reads it (``team_scope.read_assignments``): where a document has assignments, only its
assigned coders count there and the others are *missing* for it, not "coded nothing"; a document
without assignments keeps the default rule (every chosen coder counts). Every action returns an
``AssignmentReport`` whose ``pairs`` are exactly the (document id, coder id) pairs it added or
removed, so undo (``assignment_commands``) takes back no more than the action did.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from annotator.services.changes import Change
from annotator.services.coders import find_coder
from annotator.services.errors import NotFoundError, ServiceError
from annotator.store.models import Assignment, Coder, Document
from annotator.store.project import ProjectStore

Pair = tuple[int, int]  # (document id, coder id)
CSV_COLUMNS = ("document_id", "coder")


@dataclass(frozen=True)
class AssignmentReport:
    """What one action changed: the pairs added or removed (only those that changed)."""

    added: tuple[Pair, ...] = ()
    removed: tuple[Pair, ...] = ()

    @property
    def change(self) -> Change:
        documents = sorted({doc for doc, _ in (*self.added, *self.removed)})
        return Change(assignments_changed=tuple(documents))

    def summary(self) -> str:
        return f"{len(self.added)} assignment(s) added, {len(self.removed)} removed"


@dataclass(frozen=True)
class AssignmentGrid:
    """Plain values for a works × coders checklist: every document, every coder, who is assigned."""

    documents: tuple[tuple[int, str], ...]  # (id, title) by id
    coders: tuple[tuple[int, str], ...]  # (id, name) by name
    assigned: frozenset[Pair]


def read_assignments(
    session: Session, document_ids: Iterable[int] | None = None
) -> dict[int, frozenset[int]]:
    """Document id → the ids of its assigned coders, for documents that have any assignment."""
    query = select(Assignment.document_id, Assignment.coder_id)
    if document_ids is not None:
        query = query.where(Assignment.document_id.in_(sorted(set(document_ids))))
    found: dict[int, set[int]] = {}
    for doc_id, coder_id in session.execute(query):
        found.setdefault(doc_id, set()).add(coder_id)
    return {doc_id: frozenset(coders) for doc_id, coders in found.items()}


def assignment_grid(store: ProjectStore) -> AssignmentGrid:
    with store.reading() as session:
        documents = tuple(
            (i, t) for i, t in session.execute(select(Document.id, Document.title).order_by(Document.id))
        )
        coders = tuple((i, n) for i, n in session.execute(select(Coder.id, Coder.name).order_by(Coder.name)))
        pairs = frozenset(
            (d, c) for d, c in session.execute(select(Assignment.document_id, Assignment.coder_id))
        )
    return AssignmentGrid(documents, coders, pairs)


def _check_documents(session: Session, document_ids: Iterable[int]) -> list[int]:
    wanted = sorted(set(document_ids))
    found = set(session.scalars(select(Document.id).where(Document.id.in_(wanted))))
    missing = [doc for doc in wanted if doc not in found]
    if missing:
        raise NotFoundError(f"no document with id {missing[0]}")
    return wanted


def _check_coders(session: Session, coder_ids: Iterable[int]) -> None:
    wanted = set(coder_ids)
    found = set(session.scalars(select(Coder.id).where(Coder.id.in_(sorted(wanted)))))
    if wanted - found:
        raise NotFoundError(f"no coder with id {min(wanted - found)}")


def _apply(session: Session, add: Sequence[Pair], remove: Sequence[Pair]) -> AssignmentReport:
    """Add and remove pairs inside the caller's transaction; report only what changed."""
    _check_documents(session, [doc for doc, _ in (*add, *remove)])
    _check_coders(session, [coder for _, coder in (*add, *remove)])
    touched = sorted(set(add) | set(remove))
    existing: set[Pair] = set()
    if touched:
        key = tuple_(Assignment.document_id, Assignment.coder_id)
        query = select(Assignment.document_id, Assignment.coder_id).where(key.in_(touched))
        existing = {(doc, coder) for doc, coder in session.execute(query)}
    added = tuple(dict.fromkeys(p for p in add if p not in existing and p not in remove))
    removed = tuple(dict.fromkeys(p for p in remove if p in existing))
    if added:
        session.add_all(Assignment(document_id=doc, coder_id=coder) for doc, coder in added)
    for doc, coder in removed:
        session.execute(delete(Assignment).where(Assignment.document_id == doc, Assignment.coder_id == coder))
    session.flush()
    return AssignmentReport(added, removed)


def change_assignments(
    store: ProjectStore, add: Sequence[Pair] = (), remove: Sequence[Pair] = ()
) -> AssignmentReport:
    """Add and remove (document id, coder id) pairs in one transaction (ids must exist)."""
    if set(add) & set(remove):
        raise ServiceError("a coder cannot be assigned and unassigned the same document at once")
    with store.transaction() as session:
        return _apply(session, list(add), list(remove))


def assign_coder(
    store: ProjectStore, coder: str, document_ids: Sequence[int], *, unassign: bool = False
) -> AssignmentReport:
    """Assign the coder called ``coder`` to the documents (or, with ``unassign``, take them away)."""
    if not document_ids:
        raise ServiceError("name at least one document")
    with store.transaction() as session:
        coder_id = find_coder(session, coder).id
        pairs = [(doc, coder_id) for doc in document_ids]
        return _apply(session, [] if unassign else pairs, pairs if unassign else [])


def assign_from_csv(store: ProjectStore, source: TextIO, *, unassign: bool = False) -> AssignmentReport:
    """Assignments from a CSV with the columns ``document_id,coder`` (a coder's name), all or none."""
    reader = csv.DictReader(source)
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ServiceError(
            f"the assignments CSV needs the columns {', '.join(CSV_COLUMNS)}; missing {missing[0]}"
        )
    rows: list[tuple[int, str]] = []
    for line, row in enumerate(reader, start=2):
        value = (row["document_id"] or "").strip()
        if not value.isdigit():
            raise ServiceError(f"line {line}: document_id must be a whole number, not {value!r}")
        rows.append((int(value), (row["coder"] or "").strip()))
    with store.transaction() as session:
        ids = {name: find_coder(session, name).id for name in dict.fromkeys(name for _, name in rows)}
        pairs = [(doc, ids[name]) for doc, name in rows]
        return _apply(session, [] if unassign else pairs, pairs if unassign else [])
