"""Documents: importing works (one transaction per file), listing, reading, memos, removal."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from annotator.core.gc_pause import gc_paused
from annotator.core.text import normalise_text, text_hash
from annotator.core.types import DocumentSummary, DocumentView, ImportedDocument, ZoneSpec
from annotator.core.validation import InvalidInputError
from annotator.io.errors import DocumentImportError
from annotator.services import conflicts, snapshots
from annotator.services.changes import Change
from annotator.services.coders import ensure_coder_in
from annotator.services.errors import NotFoundError
from annotator.store.column_limits import max_length
from annotator.store.fast_reads import fetch_rows
from annotator.store.models import Annotation, Document, DocumentAttribute, DocumentMemo, DocumentZone, utcnow
from annotator.store.project import ProjectStore

ProgressCallback = Callable[[int, int, str], None]  # (done, total, current file name)
# Imported names and labels are cut to fit their columns.
_TITLE_LENGTH = max_length(Document.title)
_SOURCE_NAME_LENGTH = max_length(Document.source_name)
_ATTRIBUTE_NAME_LENGTH = max_length(DocumentAttribute.name)
_ATTRIBUTE_VALUE_LENGTH = max_length(DocumentAttribute.value)
_ZONE_LABEL_LENGTH = max_length(DocumentZone.label)


def check_imported(doc: ImportedDocument) -> None:
    """Refuse an imported document the store cannot take (no text, not normalised, bad zones)."""
    if not doc.text.strip():
        raise InvalidInputError(f"{doc.source_name or doc.title}: the document has no text")
    if normalise_text(doc.text) != doc.text:
        raise InvalidInputError(f"{doc.source_name or doc.title}: text is not normalised")
    for zone in doc.zones:
        if not 0 <= zone.start < zone.end <= len(doc.text):
            raise InvalidInputError(f"{doc.source_name or doc.title}: zone {zone.kind} is outside the text")


def document_values(doc: ImportedDocument) -> dict[str, object]:
    """The ``documents`` columns an imported document sets (names cut to fit their columns)."""
    return {
        "title": doc.title[:_TITLE_LENGTH] or "Untitled",
        "source_format": doc.source_format,
        "source_name": doc.source_name[:_SOURCE_NAME_LENGTH],
        "text": doc.text,
        "text_hash": text_hash(doc.text),
        "length": len(doc.text),
    }


def attribute_values(attributes: dict[str, list[str]]) -> list[dict[str, object]]:
    """``document_attributes`` rows (without document) for multi-valued attributes, in order."""
    values = ((name, value) for name, values in attributes.items() for value in values)
    return [
        {
            "name": name[:_ATTRIBUTE_NAME_LENGTH],
            "value": value[:_ATTRIBUTE_VALUE_LENGTH],
            "position": position,
        }
        for position, (name, value) in enumerate(values)
    ]


def zone_values(zones: Iterable[ZoneSpec]) -> list[dict[str, object]]:
    """``document_zones`` rows (without document) for an importer's zones."""
    return [
        {
            "kind": zone.kind,
            "start": zone.start,
            "end": zone.end,
            "label": zone.label[:_ZONE_LABEL_LENGTH],
            "chapter": zone.chapter,
        }
        for zone in zones
    ]


def add_document_in(session: Session, doc: ImportedDocument) -> Document:
    """Store one imported document with its attributes and zones (caller's transaction)."""
    check_imported(doc)
    row = Document(**document_values(doc))
    row.attributes.extend(DocumentAttribute(**values) for values in attribute_values(doc.attributes))
    row.zones.extend(DocumentZone(**values) for values in zone_values(doc.zones))
    session.add(row)
    session.flush()
    return row


def add_document(store: ProjectStore, doc: ImportedDocument) -> DocumentSummary:
    with store.transaction() as session:
        row = add_document_in(session, doc)
        return _summary(row, _attributes_of(row), 0)


@dataclass(frozen=True)
class ImportReport:
    imported: list[DocumentSummary] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (file, existing document id)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, how it was read or repaired)

    @property
    def change(self) -> Change:
        return Change(documents_added=tuple(d.id for d in self.imported))


def import_files(
    store: ProjectStore,
    paths: Sequence[Path],
    progress: ProgressCallback | None = None,
    *,
    skip_duplicates: bool = True,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import each file in its own transaction: a bad file is reported, the good ones are kept."""
    report = ImportReport()
    total = len(paths)
    for done, path in enumerate(paths):
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress(done, total, path.name)
        if store.holds_file(path):
            # Reading it would also open and close the live database file by another
            # descriptor, which drops SQLite's locks in this process (see store.lock).
            report.failed.append((str(path), f"{path.name}: that is this project's own file, not a work"))
            continue
        # Imported here: the parsers (bs4, lxml, docx, …) are only needed to import works, and
        # every other command and the app's start-up would otherwise wait for them.
        from annotator.io.importers import read_document

        try:
            doc = read_document(path)
        except DocumentImportError as exc:
            report.failed.append((str(path), str(exc)))
            continue
        except OSError as exc:
            report.failed.append((str(path), f"{path.name}: cannot read ({exc.strerror or exc})"))
            continue
        try:
            with store.transaction() as session:
                if skip_duplicates:
                    same_text = Document.text_hash == text_hash(doc.text)
                    existing = session.scalar(select(Document.id).where(same_text))
                    if existing is not None:
                        report.duplicates.append((str(path), existing))
                        continue
                row = add_document_in(session, doc)
                report.imported.append(_summary(row, _attributes_of(row), 0))
                report.notes.extend((str(path), note) for note in doc.notes)
        except InvalidInputError as exc:
            report.failed.append((str(path), str(exc)))
    if progress is not None:
        progress(total, total, "")
    return report


def _attributes_of(row: Document) -> dict[str, list[str]]:
    attributes: dict[str, list[str]] = {}
    for attribute in row.attributes:
        attributes.setdefault(attribute.name, []).append(attribute.value)
    return attributes


def _summary(row: Document, attributes: dict[str, list[str]], count: int) -> DocumentSummary:
    return DocumentSummary(
        id=row.id,
        title=row.title,
        source_format=row.source_format,
        length=row.length,
        attributes=attributes,
        annotation_count=count,
    )


def attributes_by_document(
    session: Session, document_ids: Iterable[int] | None = None
) -> dict[int, dict[str, list[str]]]:
    query = select(DocumentAttribute.document_id, DocumentAttribute.name, DocumentAttribute.value).order_by(
        DocumentAttribute.document_id, DocumentAttribute.position
    )
    if document_ids is not None:
        query = query.where(DocumentAttribute.document_id.in_(list(document_ids)))
    result: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for doc_id, name, value in session.execute(query):
        result[doc_id].setdefault(name, []).append(value)
    return result


def list_documents(store: ProjectStore, coder_id: int | None = None) -> list[DocumentSummary]:
    """All documents (no text), with attributes and annotation counts (of one coder if given)."""
    with store.reading() as session:
        count_query = select(Annotation.document_id, func.count()).group_by(Annotation.document_id)
        if coder_id is not None:
            count_query = count_query.where(Annotation.coder_id == coder_id)
        counts = dict(session.execute(count_query).all())
        attributes = attributes_by_document(session)
        rows = session.execute(
            select(Document.id, Document.title, Document.source_format, Document.length).order_by(Document.id)
        ).all()
        return [
            DocumentSummary(
                id=r.id,
                title=r.title,
                source_format=r.source_format,
                length=r.length,
                attributes=attributes.get(r.id, {}),
                annotation_count=counts.get(r.id, 0),
            )
            for r in rows
        ]


def zones_of(session: Session, document_id: int) -> list[ZoneSpec]:
    query = (
        select(
            DocumentZone.kind, DocumentZone.start, DocumentZone.end, DocumentZone.label, DocumentZone.chapter
        )
        .where(DocumentZone.document_id == document_id)
        .order_by(DocumentZone.start, DocumentZone.id)
    )
    # The driver's tuples, no collector scans: a long AO3 work has 10,000+ zones, read before its
    # first paint.
    with gc_paused():
        return [ZoneSpec(*row) for row in fetch_rows(session, query)]


def load_document(store: ProjectStore, document_id: int, coder_id: int | None = None) -> DocumentView:
    with store.reading() as session:
        row = session.get(Document, document_id)
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        memo = ""
        if coder_id is not None:
            memo = (
                session.scalar(
                    select(DocumentMemo.text).where(
                        DocumentMemo.document_id == document_id, DocumentMemo.coder_id == coder_id
                    )
                )
                or ""
            )
        return DocumentView(
            id=row.id,
            title=row.title,
            text=row.text,
            text_hash=row.text_hash,
            zones=zones_of(session, document_id),
            attributes=_attributes_of(row),
            memo=memo,
        )


def document_text(store: ProjectStore, document_id: int) -> str:
    """The stored text, cached per open project (for reading; a write uses :func:`current_text`)."""
    text = store.texts.get(document_id)
    if text is None:
        with store.reading() as session:
            row = session.execute(
                select(Document.text, Document.text_hash).where(Document.id == document_id)
            ).first()
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        text = row.text
        store.texts.put(document_id, text, row.text_hash)
    return text


def set_document_memo(store: ProjectStore, document_id: int, coder_name: str, text: str) -> str:
    """Set a coder's memo on a document (an empty text removes it); return the previous memo."""
    before = change_document_memo(store, document_id, coder_name, text).before
    return str(before[0]["text"]) if before else ""


@dataclass(frozen=True)
class MemoChange:
    """A coder's memo rows on a document before and after a change (none or one each)."""

    coder_id: int
    before: list[snapshots.Row]
    after: list[snapshots.Row]


def change_document_memo(store: ProjectStore, document_id: int, coder_name: str, text: str) -> MemoChange:
    """Set a coder's memo on a document, keeping the rows an exact undo and redo need."""
    with store.transaction() as session:
        if session.get(Document, document_id) is None:
            raise NotFoundError(f"no document with id {document_id}")
        coder = ensure_coder_in(session, coder_name)
        mine = (DocumentMemo.document_id == document_id) & (DocumentMemo.coder_id == coder.id)
        before = snapshots.take(session, DocumentMemo, mine)
        if not text:
            # No memo and an empty memo look the same to the user; keep one form in the store.
            session.execute(delete(DocumentMemo).where(mine))
        elif before:
            session.execute(update(DocumentMemo).where(mine).values(text=text, updated_at=utcnow()))
        else:
            session.add(
                DocumentMemo(document_id=document_id, coder_id=coder.id, text=text, updated_at=utcnow())
            )
        session.flush()
        return MemoChange(coder.id, before, snapshots.take(session, DocumentMemo, mine))


def restore_document_memo(
    store: ProjectStore,
    document_id: int,
    coder_id: int,
    rows: Sequence[snapshots.Row],
    *,
    expected: Sequence[snapshots.Row] | None = None,
) -> None:
    """Make a coder's memo on a document exactly ``rows`` again (as :func:`change_document_memo` gave).

    With ``expected`` (the memo rows as undo or redo last left them), refuse with a ConflictError
    if the memo was written, changed or removed since.
    """
    with store.transaction() as session:
        if expected is not None:
            conflicts.check_memo_unchanged(session, document_id, coder_id, expected)
        session.execute(
            delete(DocumentMemo).where(
                DocumentMemo.document_id == document_id, DocumentMemo.coder_id == coder_id
            )
        )
        snapshots.put_back(session, DocumentMemo, rows)


@dataclass(frozen=True)
class DocumentSnapshot:
    documents: list[dict[str, object]]
    attributes: list[dict[str, object]]
    zones: list[dict[str, object]]
    memos: list[dict[str, object]]
    annotations: list[dict[str, object]]


def delete_documents(
    store: ProjectStore, document_ids: Sequence[int], *, expected: DocumentSnapshot | None = None
) -> DocumentSnapshot:
    """Remove documents with everything attached; return the rows so undo can restore them.

    With ``expected`` (undo and redo of an import), refuse with a ConflictError unless the memos
    and annotations on the documents are exactly its rows: none made, edited or removed since.
    (Documents, their attributes and zones never change once imported.)
    """
    ids = list(document_ids)
    with store.transaction() as session:
        if expected is not None:
            conflicts.check_attached_to_documents(session, ids, expected.memos, expected.annotations)
        snap = DocumentSnapshot(
            documents=snapshots.take(session, Document, Document.id.in_(ids)),
            attributes=snapshots.take(session, DocumentAttribute, DocumentAttribute.document_id.in_(ids)),
            zones=snapshots.take(session, DocumentZone, DocumentZone.document_id.in_(ids)),
            memos=snapshots.take(session, DocumentMemo, DocumentMemo.document_id.in_(ids)),
            annotations=snapshots.take(session, Annotation, Annotation.document_id.in_(ids)),
        )
        if len(snap.documents) != len(set(ids)):
            raise NotFoundError("some of those documents do not exist")
        session.execute(delete(Document).where(Document.id.in_(ids)))
    store.texts.evict(ids)
    return snap


def restore_documents(store: ProjectStore, snap: DocumentSnapshot) -> None:
    """Put removed documents back with everything attached (refused if a code they were coded
    with was deleted since)."""
    with store.transaction() as session:
        coming = [row["id"] for row in snap.documents]
        conflicts.check_annotations_restorable(session, snap.annotations, new_documents=coming)
        snapshots.put_back(session, Document, snap.documents)
        snapshots.put_back(session, DocumentAttribute, snap.attributes)
        snapshots.put_back(session, DocumentZone, snap.zones)
        snapshots.put_back(session, DocumentMemo, snap.memos)
        snapshots.put_back(session, Annotation, snap.annotations)
