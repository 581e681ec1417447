"""Import a REFI-QDA project (``.qdpx``) in one transaction: documents, codes, coders, codings, memos.

Positions are read in the convention the file turns out to use (``refi_qda_plan``) and converted
exactly; a selection that cannot be placed is reported, never moved. The coder of an annotation
is the ``Coding``'s ``creatingUser`` (who applied the code), falling back to the selection's;
where the two differ the report says so. Sources that are not text (PDF, pictures, audio, video),
sets and notes attached to nothing are reported, not imported.

A source whose text is already in the project (the same file imported again, or a work a
colleague coded elsewhere) is not stored twice: it is reported as the same text as the existing
document, and its codings and memos are added to that document, as a merge would, skipping
those already there (same code, coder and span). The document's attributes and zones stay as
they are. The report lists what the import created (:class:`QdpxCreated`), so one undo step
(``refi_qda_undo``) can take all of it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from annotator.core.text import text_hash
from annotator.core.types import ImportedDocument
from annotator.core.validation import MAX_CODER_NAME_LENGTH, MAX_NAME_LENGTH
from annotator.io.refi_qda.descriptions import split_description
from annotator.io.refi_qda.model import QdaNote, QdaProject
from annotator.io.refi_qda.reader import read_qdpx
from annotator.io.refi_qda.zones import split_zones
from annotator.services.annotations import MAX_MEMO_LENGTH
from annotator.services.changes import Change
from annotator.services.codebook import add_code_in, lock_codebook
from annotator.services.coders import ensure_coder_in
from annotator.services.documents import add_document_in
from annotator.services.refi_qda_plan import (
    PlacedSource,
    Plan,
    codes_with_paths,
    order_of,
    storable_name,
    time_of,
)
from annotator.store.id_sequences import allocate_ids
from annotator.store.models import Annotation, Code, Coder, Document, DocumentMemo, utcnow
from annotator.store.project import ProjectStore

SOURCE_FORMAT = "refi-qda"
ANNOTATIONS = cast(Table, Annotation.__table__)
_BATCH = 5_000
_Key = tuple[int, int, int, int]  # code, coder, start, end: what makes a coding a duplicate


@dataclass(frozen=True)
class QdpxCreated:
    """The rows one import created, for its undo: new documents take their attributes, zones,
    memos and codings with them; the rest is listed."""

    document_ids: tuple[int, ...] = ()
    existing_document_ids: tuple[int, ...] = ()  # documents already here that got codings or memos
    annotation_ids: tuple[int, ...] = ()  # codings added to those documents
    memo_ids: tuple[int, ...] = ()  # document memos added to them
    code_ids: tuple[int, ...] = ()  # parents before children
    coder_ids: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.document_ids or self.annotation_ids or self.memo_ids or self.code_ids or self.coder_ids
        )


@dataclass(frozen=True)
class QdpxImportReport:
    file: str
    origin: str
    convention: str  # how the file counts positions, as detected
    documents: tuple[tuple[int, str], ...] = ()  # (document id, title) of new documents
    existing: tuple[str, ...] = ()  # sources whose text was already here, and what became of them
    annotations: int = 0
    duplicate_codings: int = 0  # in the file twice, or already on the document
    memos: int = 0
    created_codes: int = 0
    created_coders: tuple[str, ...] = ()
    unplaced: tuple[str, ...] = ()  # selections or codings that could not be placed, and why
    skipped: tuple[str, ...] = ()  # sources not imported, and why
    notes: tuple[str, ...] = ()  # everything else worth knowing
    scores: tuple[str, ...] = ()
    created: QdpxCreated = field(default_factory=QdpxCreated)

    @property
    def change(self) -> Change:
        made = self.created
        return Change(
            documents_added=made.document_ids,
            annotations_changed_in=made.existing_document_ids,
            document_memos_changed=made.existing_document_ids if made.memo_ids else (),
            codebook_changed=bool(made.code_ids),
            coders_changed=bool(made.coder_ids),
        )


def import_qdpx(store: ProjectStore, data: bytes, file_name: str) -> QdpxImportReport:
    """Add the project in ``data`` to ``store``; unreadable files raise and nothing is stored."""
    project = read_qdpx(data, file_name)
    plan = Plan(project, file_name)
    with store.transaction() as session:
        return _Storer(session, project, plan).store()


class _Storer:
    def __init__(self, session: Session, project: QdaProject, plan: Plan) -> None:
        self.session, self.project, self.plan = session, project, plan
        self.notes: list[str] = [*project.warnings]
        self.unplaced = list(plan.unplaced)
        self.code_ids: dict[str, int] = {}
        self.created_code_ids: list[int] = []
        self.user_names = {u.guid: u.name or f"user {u.guid[:8]}" for u in project.users}
        self.coder_ids: dict[str, int] = {}
        self.created_coders: dict[str, int] = {}
        self.keys: dict[int, set[_Key]] = {}  # per document: the codings it has
        self.new_documents: list[tuple[int, str]] = []
        self.existing: list[str] = []
        self.existing_ids: list[int] = []
        self.same_text: dict[str, list[tuple[int, str]]] = {}  # text hash -> documents not taken yet
        self.memo_ids: list[int] = []
        self.memo_documents: set[int] = set()  # documents already here that got a memo
        self.notes_by_guid = {note.guid: note for note in project.notes}
        self.used_notes: set[str] = set()
        self.duplicates = self.differing_users = 0

    def store(self) -> QdpxImportReport:
        self._codebook()
        rows: list[dict[str, object]] = []
        memos = 0
        attributes = self._attributes()
        for source in self.plan.sources:
            doc_id = self._document(source, attributes.get(source.qda.guid, {}))
            rows.extend(self._codings(source, doc_id, len(rows)))
            memos += self._document_memos(doc_id, source.qda.note_guids)
        if self.project.origin.startswith("annotator"):
            rows.sort(key=lambda row: cast(int, row.pop("order")))  # annotator's own file: ids in order
        else:
            for row in rows:
                row.pop("order")
        ids = self._insert(rows)
        existing = set(self.existing_ids)
        self._final_notes()
        return QdpxImportReport(
            file=self.plan.file_name,
            origin=self.project.origin,
            convention=self.plan.convention_shown,
            documents=tuple(self.new_documents),
            existing=tuple(self.existing),
            annotations=len(rows),
            duplicate_codings=self.duplicates,
            memos=memos + sum(1 for row in rows if row["memo"]),
            created_codes=len(self.created_code_ids),
            created_coders=tuple(self.created_coders),
            unplaced=tuple(self.unplaced),
            skipped=tuple(self.plan.skipped),
            notes=tuple(self.notes),
            scores=self.plan.scores,
            created=QdpxCreated(
                document_ids=tuple(doc_id for doc_id, _ in self.new_documents),
                existing_document_ids=tuple(
                    sorted({cast(int, r["document_id"]) for r in rows} & existing | self.memo_documents)
                ),
                annotation_ids=tuple(
                    i for i, r in zip(ids, rows, strict=True) if r["document_id"] in existing
                ),
                memo_ids=tuple(self.memo_ids),
                code_ids=tuple(self.created_code_ids),
                coder_ids=tuple(self.created_coders.values()),
            ),
        )

    def _document(self, source: PlacedSource, attributes: dict[str, list[str]]) -> int:
        """The new document for ``source``, or the one already holding its text."""
        text, name = source.positions.text, source.qda.name
        found = self._same_text(text_hash(text))
        if found is not None:
            doc_id, title = found
            self.existing_ids.append(doc_id)
            self.keys[doc_id] = self._codings_on(doc_id)
            self.existing.append(
                f"{name}: the same text as document {doc_id} ({title}); not stored again, "
                "its codings and memos go to that document"
            )
            return doc_id
        _description, zones, problem = split_zones(source.qda.description, text)
        if problem:
            self.notes.append(f"{name}: {problem}")
        doc = add_document_in(
            self.session,
            ImportedDocument(
                title=name,
                source_format=SOURCE_FORMAT,
                text=text,
                attributes=attributes,
                zones=zones,
                source_name=f"{self.plan.file_name}: {name}",
            ),
        )
        self.new_documents.append((doc.id, name))
        self.keys[doc.id] = set()
        return doc.id

    def _same_text(self, digest: str) -> tuple[int, str] | None:
        """The next document that held this text before the import and no source took yet.

        Sources and documents with one text pair up in order, so a project holding a text twice
        gets its own export back onto its own documents; a source left over makes a new one.
        """
        waiting = self.same_text.get(digest)
        if waiting is None:
            query = (
                select(Document.id, Document.title).where(Document.text_hash == digest).order_by(Document.id)
            )
            waiting = self.same_text[digest] = [(r.id, r.title) for r in self.session.execute(query)]
        return waiting.pop(0) if waiting else None

    def _codings_on(self, doc_id: int) -> set[_Key]:
        query = select(Annotation.code_id, Annotation.coder_id, Annotation.start, Annotation.end).where(
            Annotation.document_id == doc_id
        )
        return {(r.code_id, r.coder_id, r.start, r.end) for r in self.session.execute(query)}

    def _codings(self, source: PlacedSource, doc_id: int, numbered: int) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        keys, text = self.keys[doc_id], source.positions.text
        for placed in source.placed:
            selection = placed.selection
            memo = self._memo(selection.note_guids)
            for coding in selection.codings:
                code_id = self.code_ids.get(coding.code_guid)
                if code_id is None:
                    self.unplaced.append(
                        f"{source.qda.name}: a coding at {selection.start}–{selection.end} names a code "
                        f"that is not in the codebook ({coding.code_guid[:36]})"
                    )
                    continue
                user = coding.user_guid or selection.user_guid
                self.differing_users += bool(
                    coding.user_guid and selection.user_guid and coding.user_guid != selection.user_guid
                )
                coder_id = self._coder(user)
                key = (code_id, coder_id, placed.start, placed.end)
                if key in keys:
                    self.duplicates += 1
                    continue
                keys.add(key)
                created = time_of(coding.created or selection.created)
                rows.append(
                    {
                        "document_id": doc_id,
                        "code_id": code_id,
                        "coder_id": coder_id,
                        "start": placed.start,
                        "end": placed.end,
                        "quote": text[placed.start : placed.end],
                        "memo": memo,
                        "created_at": created,
                        "updated_at": time_of(selection.modified) if selection.modified else created,
                        "order": order_of(selection.name, numbered + len(rows)),
                    }
                )
        return rows

    def _final_notes(self) -> None:
        if self.differing_users:
            self.notes.append(
                f"{self.differing_users} coding(s) were made by another user than their selection: "
                "the coding's user is taken as the coder"
            )
        unattached = len(self.notes_by_guid) - len(self.used_notes)
        if unattached > 0:
            self.notes.append(f"{unattached} note(s) attached to no source or selection were not imported")
        self.notes.extend(
            f"set {name!r} ({members} members) was not imported" for name, members in self.project.sets
        )

    def _codebook(self) -> None:
        lock_codebook(self.session)
        existing = {
            (r.parent_id, r.name.casefold()): r.id
            for r in self.session.execute(select(Code.id, Code.parent_id, Code.name))
        }
        parents: dict[tuple[str, ...], int | None] = {(): None}
        for code, path in codes_with_paths(self.project.codes):
            parent_id = parents.get(path)
            name = storable_name(code.name, MAX_NAME_LENGTH, "unnamed code")
            found = existing.get((parent_id, name.casefold()))
            if found is None:
                fields = split_description(code.description)
                found = add_code_in(self.session, name, parent_id, code.colour or None, **fields).id
                existing[(parent_id, name.casefold())] = found
                self.created_code_ids.append(found)
            elif code.guid in self.code_ids:
                self.notes.append(f"code {code.name!r} appears twice in the codebook")
            self.code_ids[code.guid] = found
            parents[(*path, code.name)] = found

    def _coder(self, user_guid: str) -> int:
        fallback = f"user {user_guid[:8]}" if user_guid else "unknown coder"
        name = storable_name(self.user_names.get(user_guid, ""), MAX_CODER_NAME_LENGTH, fallback)
        found = self.coder_ids.get(name)
        if found is None:
            known = self.session.scalar(select(Coder.id).where(Coder.name == " ".join(name.split())))
            found = known if known is not None else ensure_coder_in(self.session, name).id
            if known is None:
                self.created_coders[name] = found
            self.coder_ids[name] = found
        return found

    def _memo(self, guids: tuple[str, ...]) -> str:
        texts = []
        for guid in guids:
            note = self.notes_by_guid.get(guid)
            if note is not None:
                self.used_notes.add(guid)
                texts.append(note.text)
        memo = "\n\n".join(texts)
        if len(memo) > MAX_MEMO_LENGTH:
            self.notes.append(f"a memo of {len(memo):,} characters was cut to {MAX_MEMO_LENGTH:,}")
            memo = memo[:MAX_MEMO_LENGTH]
        return memo

    def _document_memos(self, doc_id: int, guids: tuple[str, ...]) -> int:
        by_coder: dict[int, list[str]] = {}
        for guid in guids:
            note: QdaNote | None = self.notes_by_guid.get(guid)
            if note is None or not note.text:
                continue
            self.used_notes.add(guid)
            by_coder.setdefault(self._coder(note.user_guid), []).append(note.text)
        added = 0
        for coder_id, texts in by_coder.items():
            text = "\n\n".join(texts)
            there = self.session.scalar(
                select(DocumentMemo.text).where(
                    DocumentMemo.document_id == doc_id, DocumentMemo.coder_id == coder_id
                )
            )
            if there is not None:
                if there != text:
                    self.notes.append(
                        f"a document memo on document {doc_id} was not imported: its coder already "
                        "has a different memo there"
                    )
                continue
            memo = DocumentMemo(document_id=doc_id, coder_id=coder_id, text=text, updated_at=utcnow())
            self.session.add(memo)
            self.session.flush()
            if doc_id in self.existing_ids:
                self.memo_ids.append(memo.id)
                self.memo_documents.add(doc_id)
            added += 1
        return added

    def _attributes(self) -> dict[str, dict[str, list[str]]]:
        names = {v.guid: v.name for v in self.project.variables}
        result: dict[str, dict[str, list[str]]] = {}

        def add(source_guid: str, pairs: tuple[tuple[str, str], ...]) -> None:
            values = result.setdefault(source_guid, {})
            for variable, value in pairs:
                name = names.get(variable)
                if name and value and value not in values.setdefault(name, []):
                    values[name].append(value)

        for source in self.project.sources:
            add(source.guid, source.values)
        for case in self.project.cases:
            for source_guid in case.source_guids:
                add(source_guid, case.values)
        return result

    def _insert(self, rows: list[dict[str, object]]) -> list[int]:
        ids = allocate_ids(self.session, Annotation.id, len(rows))
        for row, annotation_id in zip(rows, ids, strict=True):
            row["id"] = annotation_id
        for start in range(0, len(rows), _BATCH):
            self.session.execute(insert(ANNOTATIONS), rows[start : start + _BATCH])
        return list(ids)
