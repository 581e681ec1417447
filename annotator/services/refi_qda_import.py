"""Import a REFI-QDA project (``.qdpx``) in one transaction: documents, codes, coders, codings, memos.

Positions are read in the convention the file turns out to use (``io.refi_qda.positions``) and
converted exactly; a selection that cannot be placed is reported, never moved. The coder of an
annotation is the ``Coding``'s ``creatingUser`` (who applied the code), falling back to the
selection's; where the two differ the report says so. Sources that are not text (PDF, pictures,
audio, video), sets and notes attached to nothing are reported, not imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from annotator.core.types import ImportedDocument
from annotator.core.validation import MAX_CODER_NAME_LENGTH, MAX_NAME_LENGTH
from annotator.io.csv_segments import parse_timestamp
from annotator.io.refi_qda.descriptions import split_description
from annotator.io.refi_qda.model import QdaCode, QdaNote, QdaProject, QdaSelection, QdaTextSource
from annotator.io.refi_qda.positions import PositionMap, detect_convention
from annotator.io.refi_qda.reader import read_qdpx
from annotator.services.annotations import MAX_MEMO_LENGTH
from annotator.services.changes import Change
from annotator.services.codebook import add_code_in, lock_codebook
from annotator.services.coders import ensure_coder_in
from annotator.services.documents import add_document_in
from annotator.store.id_sequences import allocate_ids
from annotator.store.models import Annotation, Code, Coder, DocumentMemo, utcnow
from annotator.store.project import ProjectStore

SOURCE_FORMAT = "refi-qda"
ANNOTATIONS = cast(Table, Annotation.__table__)
_BATCH = 5_000


@dataclass(frozen=True)
class QdpxImportReport:
    file: str
    origin: str
    convention: str  # how the file counts positions, as detected
    documents: tuple[tuple[int, str], ...] = ()  # (document id, title)
    annotations: int = 0
    duplicates: int = 0
    memos: int = 0
    created_codes: int = 0
    created_coders: tuple[str, ...] = ()
    unplaced: tuple[str, ...] = ()  # selections or codings that could not be placed, and why
    skipped: tuple[str, ...] = ()  # sources not imported, and why
    notes: tuple[str, ...] = ()  # everything else worth knowing
    scores: tuple[str, ...] = field(default=())

    @property
    def change(self) -> Change:
        return Change(
            documents_added=tuple(doc_id for doc_id, _ in self.documents),
            codebook_changed=self.created_codes > 0,
            coders_changed=bool(self.created_coders),
        )


@dataclass
class _Placed:
    selection: QdaSelection
    start: int
    end: int


@dataclass
class _Source:
    qda: QdaTextSource
    positions: PositionMap
    placed: list[_Placed] = field(default_factory=list)


def import_qdpx(store: ProjectStore, data: bytes, file_name: str) -> QdpxImportReport:
    """Add the project in ``data`` to ``store``; unreadable files raise and nothing is stored."""
    project = read_qdpx(data, file_name)
    plan = _Plan(project, file_name)
    with store.transaction() as session:
        return _Storer(session, project, plan).store()


class _Plan:
    """Everything decided before the transaction: texts, the convention, where selections fall."""

    def __init__(self, project: QdaProject, file_name: str) -> None:
        self.file_name = file_name
        self.sources: list[_Source] = []
        self.skipped = [
            f"{name}: a {kind} source (only text sources are imported)"
            for name, kind in project.skipped_sources
        ]
        self.unplaced: list[str] = []
        for qda in project.sources:
            if qda.raw is None:
                self.skipped.append(f"{qda.name}: {qda.problem}")
                continue
            source = _Source(qda, PositionMap(qda.raw))
            if not source.positions.text.strip():
                self.skipped.append(f"{qda.name}: the text is empty")
                continue
            self.sources.append(source)
        self.convention, scores = detect_convention(
            [(s.positions, [(sel.start, sel.end) for sel in s.qda.selections]) for s in self.sources],
            project.origin,
        )
        self.scores = tuple(
            f"{s.convention}: {s.placed} placed, {s.on_word_edges} ends on word edges" for s in scores
        )
        self.convention_shown = self.convention
        if not any(source.qda.selections for source in self.sources):
            self.convention_shown += " (no selections to check; from the file's origin)"
        for source in self.sources:
            for selection in source.qda.selections:
                start = source.positions.stored(selection.start, self.convention)
                end = source.positions.stored(selection.end, self.convention)
                if start is None or end is None or start >= end:
                    why = _why(source.positions, selection, self.convention)
                    self.unplaced.append(
                        f"{source.qda.name}: selection {selection.start}–{selection.end} "
                        f"({len(selection.codings)} coding(s)) {why}"
                    )
                    continue
                source.placed.append(_Placed(selection, start, end))


def _why(positions: PositionMap, selection: QdaSelection, convention: str) -> str:
    length = positions.length(convention)
    if selection.start < 0 or selection.end > length:
        return f"is outside the text ({length} positions in {convention})"
    if selection.start >= selection.end:
        return "is empty or reversed"
    return f"falls inside a character or line end ({convention}); not moved"


def _codes(
    codes: tuple[QdaCode, ...], path: tuple[str, ...] = ()
) -> Iterator[tuple[QdaCode, tuple[str, ...]]]:
    for code in codes:
        yield code, path
        yield from _codes(code.children, (*path, code.name))


class _Storer:
    def __init__(self, session: Session, project: QdaProject, plan: _Plan) -> None:
        self.session, self.project, self.plan = session, project, plan
        self.notes: list[str] = [*project.warnings]
        self.unplaced = list(plan.unplaced)
        self.code_ids: dict[str, int] = {}
        self.created_codes = 0
        self.user_names = {u.guid: u.name or f"user {u.guid[:8]}" for u in project.users}
        self.coder_ids: dict[str, int] = {}
        self.created_coders: list[str] = []

    def store(self) -> QdpxImportReport:
        self._codebook()
        notes_by_guid = {note.guid: note for note in self.project.notes}
        used_notes: set[str] = set()
        documents: list[tuple[int, str]] = []
        rows: list[dict[str, object]] = []
        duplicates = memos = differing_users = 0
        attributes = self._attributes()
        for source in self.plan.sources:
            doc = add_document_in(
                self.session,
                ImportedDocument(
                    title=source.qda.name,
                    source_format=SOURCE_FORMAT,
                    text=source.positions.text,
                    attributes=attributes.get(source.qda.guid, {}),
                    source_name=f"{self.plan.file_name}: {source.qda.name}",
                ),
            )
            documents.append((doc.id, source.qda.name))
            text = source.positions.text
            keys: set[tuple[int, int, int, int]] = set()
            for placed in source.placed:
                selection = placed.selection
                memo = self._memo(selection.note_guids, notes_by_guid, used_notes)
                for coding in selection.codings:
                    code_id = self.code_ids.get(coding.code_guid)
                    if code_id is None:
                        self.unplaced.append(
                            f"{source.qda.name}: a coding at {selection.start}–{selection.end} names a code "
                            f"that is not in the codebook ({coding.code_guid[:36]})"
                        )
                        continue
                    user = coding.user_guid or selection.user_guid
                    differing_users += bool(
                        coding.user_guid and selection.user_guid and coding.user_guid != selection.user_guid
                    )
                    coder_id = self._coder(user)
                    key = (code_id, coder_id, placed.start, placed.end)
                    if key in keys:
                        duplicates += 1
                        continue
                    keys.add(key)
                    created = _time(coding.created or selection.created)
                    rows.append(
                        {
                            "document_id": doc.id,
                            "code_id": code_id,
                            "coder_id": coder_id,
                            "start": placed.start,
                            "end": placed.end,
                            "quote": text[placed.start : placed.end],
                            "memo": memo,
                            "created_at": created,
                            "updated_at": _time(selection.modified) if selection.modified else created,
                            "order": _order(selection.name, len(rows)),
                        }
                    )
            memos += self._document_memos(doc.id, source.qda.note_guids, notes_by_guid, used_notes)
        if self.project.origin.startswith("annotator"):
            rows.sort(
                key=lambda row: cast(int, row.pop("order"))
            )  # annotator's own file: ids in the same order
        else:
            for row in rows:
                row.pop("order")
        self._insert(rows)
        if differing_users:
            self.notes.append(
                f"{differing_users} coding(s) were made by another user than their selection: "
                "the coding's user is taken as the coder"
            )
        unattached = len(notes_by_guid) - len(used_notes)
        if unattached > 0:
            self.notes.append(f"{unattached} note(s) attached to no source or selection were not imported")
        self.notes.extend(
            f"set {name!r} ({members} members) was not imported" for name, members in self.project.sets
        )
        return QdpxImportReport(
            file=self.plan.file_name,
            origin=self.project.origin,
            convention=self.plan.convention_shown,
            documents=tuple(documents),
            annotations=len(rows),
            duplicates=duplicates,
            memos=memos + sum(1 for row in rows if row["memo"]),
            created_codes=self.created_codes,
            created_coders=tuple(self.created_coders),
            unplaced=tuple(self.unplaced),
            skipped=tuple(self.plan.skipped),
            notes=tuple(self.notes),
            scores=self.plan.scores,
        )

    def _codebook(self) -> None:
        lock_codebook(self.session)
        existing = {
            (r.parent_id, r.name.casefold()): r.id
            for r in self.session.execute(select(Code.id, Code.parent_id, Code.name))
        }
        parents: dict[tuple[str, ...], int | None] = {(): None}
        for code, path in _codes(self.project.codes):
            parent_id = parents.get(path)
            name = _name(code.name, MAX_NAME_LENGTH, "unnamed code")
            found = existing.get((parent_id, name.casefold()))
            if found is None:
                fields = split_description(code.description)
                found = add_code_in(self.session, name, parent_id, code.colour or None, **fields).id
                existing[(parent_id, name.casefold())] = found
                self.created_codes += 1
            elif code.guid in self.code_ids:
                self.notes.append(f"code {code.name!r} appears twice in the codebook")
            self.code_ids[code.guid] = found
            parents[(*path, code.name)] = found

    def _coder(self, user_guid: str) -> int:
        fallback = f"user {user_guid[:8]}" if user_guid else "unknown coder"
        name = _name(self.user_names.get(user_guid, ""), MAX_CODER_NAME_LENGTH, fallback)
        found = self.coder_ids.get(name)
        if found is None:
            known = self.session.scalar(select(Coder.id).where(Coder.name == " ".join(name.split())))
            found = known if known is not None else ensure_coder_in(self.session, name).id
            if known is None:
                self.created_coders.append(name)
            self.coder_ids[name] = found
        return found

    def _memo(self, guids: tuple[str, ...], notes: dict[str, QdaNote], used: set[str]) -> str:
        texts = []
        for guid in guids:
            note = notes.get(guid)
            if note is not None:
                used.add(guid)
                texts.append(note.text)
        memo = "\n\n".join(texts)
        if len(memo) > MAX_MEMO_LENGTH:
            self.notes.append(f"a memo of {len(memo):,} characters was cut to {MAX_MEMO_LENGTH:,}")
            memo = memo[:MAX_MEMO_LENGTH]
        return memo

    def _document_memos(
        self, doc_id: int, guids: tuple[str, ...], notes: dict[str, QdaNote], used: set[str]
    ) -> int:
        by_coder: dict[int, list[str]] = {}
        for guid in guids:
            note = notes.get(guid)
            if note is None or not note.text:
                continue
            used.add(guid)
            by_coder.setdefault(self._coder(note.user_guid), []).append(note.text)
        for coder_id, texts in by_coder.items():
            self.session.add(
                DocumentMemo(
                    document_id=doc_id, coder_id=coder_id, text="\n\n".join(texts), updated_at=utcnow()
                )
            )
        return len(by_coder)

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

    def _insert(self, rows: list[dict[str, object]]) -> None:
        ids = allocate_ids(self.session, Annotation.id, len(rows))
        for row, annotation_id in zip(rows, ids, strict=True):
            row["id"] = annotation_id
        for start in range(0, len(rows), _BATCH):
            self.session.execute(insert(ANNOTATIONS), rows[start : start + _BATCH])


def _name(written: str, limit: int, fallback: str) -> str:
    """A vendor's name as annotator can store it: one line, within the limit, never empty."""
    return " ".join(written.split())[:limit].strip() or fallback


def _order(name: str, default: int) -> int:
    number = name.removeprefix("annotation ")
    return int(number) if number.isdigit() and len(number) < 19 else default


def _time(value: str) -> datetime:
    try:
        parsed = parse_timestamp(value) if value else None
    except ValueError:  # a vendor's odd date is not worth refusing the project over
        parsed = None
    return parsed or utcnow()
