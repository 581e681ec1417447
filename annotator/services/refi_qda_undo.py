"""Undo and redo of a REFI-QDA import: one step takes back everything it created, and puts it back.

A ``.qdpx`` import creates documents (with their attributes, zones, memos and codings), codings
and memos on documents that were already here (a source with the same text), codes and coders
(:class:`~annotator.services.refi_qda_import.QdpxCreated`). :class:`ImportedQdpx` removes all of
them in one transaction and redo puts the very same rows back, in one transaction too.

As with every command (``services/commands.py``), a step refuses with a
:class:`~annotator.services.conflicts.ConflictError`, changing nothing, when it would take other
rows with it or clash with rows made since: annotations or memos made on the imported works,
annotations made with an imported code or by an imported coder, a code added under an imported
one, a coder or code of the same name made again before a redo.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from annotator.core.undo import Command
from annotator.services import conflicts, snapshots
from annotator.services.changes import Change
from annotator.services.codebook import lock_codebook
from annotator.services.commands import redo_step, undo_step
from annotator.services.conflict_messages import coder_names, counted, quoted, them
from annotator.services.conflicts import ConflictError
from annotator.services.refi_qda_import import QdpxCreated, QdpxImportReport
from annotator.store.models import (
    Annotation,
    Code,
    Coder,
    Document,
    DocumentAttribute,
    DocumentMemo,
    DocumentZone,
)
from annotator.store.project import ProjectStore

Rows = list[snapshots.Row]


@dataclass
class _Rows:
    """Every row an import created, whole (what undo deletes and redo inserts)."""

    documents: Rows
    attributes: Rows
    zones: Rows
    memos: Rows  # on the new documents and the ones added to documents already here
    annotations: Rows  # likewise
    codes: Rows  # parents before children
    coders: Rows


def _take(session: Session, made: QdpxCreated) -> _Rows:
    docs = list(made.document_ids)
    on_new_or_added = (Annotation.document_id.in_(docs)) | Annotation.id.in_(made.annotation_ids)
    memos = DocumentMemo.document_id.in_(docs) | DocumentMemo.id.in_(made.memo_ids)
    order = {code_id: index for index, code_id in enumerate(made.code_ids)}
    return _Rows(
        documents=snapshots.take(session, Document, Document.id.in_(docs)),
        attributes=snapshots.take(session, DocumentAttribute, DocumentAttribute.document_id.in_(docs)),
        zones=snapshots.take(session, DocumentZone, DocumentZone.document_id.in_(docs)),
        memos=snapshots.take(session, DocumentMemo, memos),
        annotations=snapshots.take(session, Annotation, on_new_or_added),
        codes=sorted(
            snapshots.take(session, Code, Code.id.in_(made.code_ids)), key=lambda row: order[row["id"]]
        ),
        coders=snapshots.take(session, Coder, Coder.id.in_(made.coder_ids)),
    )


def _check_unchanged(session: Session, made: QdpxCreated, left: _Rows) -> None:
    """Refuse unless the import's rows are as it left them and nothing else hangs on them."""
    new_docs = set(made.document_ids)
    conflicts.check_attached_to_documents(
        session,
        made.document_ids,
        [m for m in left.memos if m["document_id"] in new_docs],
        [a for a in left.annotations if a["document_id"] in new_docs],
    )
    added = set(made.annotation_ids)
    conflicts.check_annotations_unchanged(
        session, [a for a in left.annotations if a["id"] in added], would="delete it"
    )
    for memo in left.memos:
        if memo["id"] in made.memo_ids:
            conflicts.check_memo_unchanged(session, memo["document_id"], memo["coder_id"], [memo])
    code_ids = set(made.code_ids)
    conflicts.check_codes_unchanged(
        session, left.codes, [a for a in left.annotations if a["code_id"] in code_ids]
    )
    _check_coders_unused(session, left)


def _check_coders_unused(session: Session, left: _Rows) -> None:
    ids = [row["id"] for row in left.coders]
    if not ids:
        return
    conflicts.lock_ids(session, Coder.id, ids)
    known_annotations = [a["id"] for a in left.annotations]
    known_memos = [m["id"] for m in left.memos]
    made = (
        session.scalar(
            select(func.count())
            .select_from(Annotation)
            .where(Annotation.coder_id.in_(ids), Annotation.id.not_in(known_annotations))
        )
        or 0
    )
    made += (
        session.scalar(
            select(func.count())
            .select_from(DocumentMemo)
            .where(DocumentMemo.coder_id.in_(ids), DocumentMemo.id.not_in(known_memos))
        )
        or 0
    )
    if made:
        names = ", ".join(quoted(n) for n in coder_names(session, ids).values())
        raise ConflictError(
            f"{counted(made, 'annotation or memo')} by the imported coder(s) {names} were made since",
            f"delete {them(made)}",
        )


def _delete(session: Session, rows: _Rows) -> None:
    session.execute(delete(Annotation).where(Annotation.id.in_([a["id"] for a in rows.annotations])))
    session.execute(delete(DocumentMemo).where(DocumentMemo.id.in_([m["id"] for m in rows.memos])))
    session.execute(delete(Document).where(Document.id.in_([d["id"] for d in rows.documents])))
    for code in reversed(rows.codes):  # children before their parents
        session.execute(delete(Code).where(Code.id == code["id"]))
    session.execute(delete(Coder).where(Coder.id.in_([c["id"] for c in rows.coders])))


def _check_restorable(session: Session, rows: _Rows) -> None:
    """Refuse to put the rows back where a coder or code of the same name was made since, or where
    what they hang on (an existing document, a parent code) was removed."""
    for coder in rows.coders:
        if session.scalar(select(Coder.id).where(Coder.name == coder["name"])) is not None:
            raise ConflictError(f"a coder named {quoted(coder['name'])} was added since")
    coming = {code["id"] for code in rows.codes}
    for code in rows.codes:
        parent = code["parent_id"]
        if parent is not None and parent not in coming and session.get(Code, parent) is None:
            raise ConflictError(f"the code {quoted(code['name'])} was in was deleted since")
        siblings = select(Code.name).where(
            Code.parent_id.is_(None) if parent is None else Code.parent_id == parent
        )
        if any(name.casefold() == code["name"].casefold() for name in session.scalars(siblings)):
            raise ConflictError(f"a code named {quoted(code['name'])} was added in its place since")
    new_docs = {doc["id"] for doc in rows.documents}
    conflicts.check_annotations_restorable(
        session, rows.annotations, new_codes=coming, new_documents=new_docs
    )
    for memo in rows.memos:
        if memo["document_id"] not in new_docs:
            conflicts.check_memo_unchanged(session, memo["document_id"], memo["coder_id"], [])


def _put_back(session: Session, rows: _Rows) -> None:
    snapshots.put_back(session, Coder, rows.coders)
    for code in rows.codes:  # parents first
        snapshots.put_back(session, Code, [code])
    snapshots.put_back(session, Document, rows.documents)
    snapshots.put_back(session, DocumentAttribute, rows.attributes)
    snapshots.put_back(session, DocumentZone, rows.zones)
    snapshots.put_back(session, DocumentMemo, rows.memos)
    snapshots.put_back(session, Annotation, rows.annotations)


class ImportedQdpx(Command[Change]):
    """Undo entry for a ``.qdpx`` import that already ran (in a worker): one step for all of it."""

    text = "Import REFI-QDA project"

    def __init__(self, store: ProjectStore, report: QdpxImportReport) -> None:
        self.store = store
        self.made = report.created
        self.change = report.change
        with store.reading() as session:
            self.left = _take(session, self.made)  # as the import left them
        self.undone = False

    def apply(self) -> Change:
        if self.undone:
            return self._redo()
        return self.change

    @redo_step
    def _redo(self) -> Change:
        with self.store.transaction() as session:
            lock_codebook(session)
            _check_restorable(session, self.left)
            _put_back(session, self.left)
        self.undone = False
        return self.change

    @undo_step
    def revert(self) -> Change:
        with self.store.transaction() as session:
            lock_codebook(session)
            _check_unchanged(session, self.made, self.left)
            self.left = _take(session, self.made)
            _delete(session, self.left)
        self.store.texts.evict(self.made.document_ids)
        self.undone = True
        return Change(
            documents_removed=self.made.document_ids,
            annotations_changed_in=self.made.existing_document_ids,
            document_memos_changed=self.change.document_memos_changed,
            codebook_changed=self.change.codebook_changed,
            coders_changed=self.change.coders_changed,
        )
