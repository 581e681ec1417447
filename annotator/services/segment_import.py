"""Importing a segments CSV: all rows or none, without keeping other writers waiting long.

Each row is matched to a document of this project (by ``document_hash``, else ``document_id``,
else a unique title) and its quote is compared with the document text, so a file made from a
different version of a work is refused rather than silently mis-coded. Codes are found by path
and created when missing; coders by name, created when new. Rows go in with Core ``insert()``
in batches (the ORM's ``add_all`` is ten times slower), under ids the project hands out: a row
keeps the file's ``annotation_id`` only when it is one of those (:func:`_assign_ids`).

Two steps. The whole file is read and checked first, in a read-only look: that is the long part,
and it holds no write lock (an SQLite project has one writer at a time, so coding in another
process would otherwise wait for all of it, and give up after the busy timeout). A bad row stops
the import there, before anything is written. Then one short transaction stores the rows,
resolving codes, coders and duplicates against the project as it is by then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from annotator.core.codebook import join_path
from annotator.core.validation import MAX_CODER_NAME_LENGTH, InvalidInputError, clean_name
from annotator.io.csv_segments import SegmentFormatError, SegmentRecord, read_segments_csv
from annotator.services.annotations import MAX_MEMO_LENGTH
from annotator.services.changes import Change
from annotator.services.codebook import add_code_in, lock_codebook
from annotator.services.coders import ensure_coder_in
from annotator.services.document_texts import current_text
from annotator.services.errors import ServiceError
from annotator.store.bulk_insert import insert_rows
from annotator.store.id_sequences import allocate_ids
from annotator.store.models import Annotation, Code, Coder, Document, utcnow
from annotator.store.project import ProjectStore

BATCH = 5_000
_INSERT_COLUMNS = (
    "id",
    "document_id",
    "code_id",
    "coder_id",
    "start",
    "end",
    "quote",
    "memo",
    "created_at",
    "updated_at",
)
ANNOTATIONS = cast(Table, Annotation.__table__)  # Core insert: the ORM's add_all is 10× slower
_DocKey = tuple[int, int, int, int, int]  # document, code, coder, start, end


@dataclass(frozen=True)
class SegmentImportReport:
    imported: int
    duplicates: int  # rows identical to an annotation already there (or earlier in the file)
    created_codes: tuple[str, ...]  # code paths the file named that the codebook lacked
    created_coders: tuple[str, ...]
    renumbered: int  # rows stored under another id than the annotation_id the file gave
    document_ids: tuple[int, ...] = ()  # documents that gained annotations

    @property
    def change(self) -> Change:
        return Change(
            annotations_changed_in=self.document_ids,
            codebook_changed=bool(self.created_codes),
            coders_changed=bool(self.created_coders),
        )


def import_segments(store: ProjectStore, source: TextIO, name: str = "segments.csv") -> SegmentImportReport:
    """Add the segments in ``source`` to the project; any bad row raises and nothing is stored."""
    return import_segment_records(store, read_segments_csv(source, name), name)


def import_segment_records(
    store: ProjectStore, records: Iterable[SegmentRecord], name: str
) -> SegmentImportReport:
    """Add the segments ``records`` holds (or yields, as a file is read); any bad record raises and
    nothing is stored."""
    try:
        with store.reading() as session:
            checker = _Checker(session, store, name)
            for record in records:
                checker.add(record)
    except SegmentFormatError as exc:
        raise ServiceError(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ServiceError(f"{name}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8") from exc
    with store.transaction() as session:
        return _Storer(session, name).store(checker.segments)


@dataclass(frozen=True, slots=True)
class _Segment:
    """A row that passed every check, with its document resolved and its names cleaned."""

    row: int
    document_id: int
    code_path: tuple[str, ...]
    written_path: tuple[str, ...]  # the code path as the file wrote it, for the report
    coder: str
    start: int
    end: int
    quote: str
    memo: str
    created_at: datetime
    updated_at: datetime
    annotation_id: int | None


class _Checker:
    """The first step: every row checked against a read-only look at the project."""

    def __init__(self, session: Session, store: ProjectStore, name: str) -> None:
        self.session, self.store, self.name = session, store, name
        self.documents = session.execute(select(Document.id, Document.title, Document.text_hash)).all()
        self.by_id = {d.id for d in self.documents}
        self.by_hash: dict[str, int] = {}
        for d in sorted(self.documents, key=lambda d: d.id):
            self.by_hash.setdefault(d.text_hash, d.id)  # two copies of a work: the older one
        self.by_title: dict[str, list[int]] = {}
        for d in self.documents:
            self.by_title.setdefault(d.title, []).append(d.id)
        self.texts: dict[int, str] = {}
        self.coders = set(session.scalars(select(Coder.name)))
        self.paths: dict[tuple[str, ...], tuple[str, ...]] = {}  # as written -> cleaned names
        self.segments: list[_Segment] = []

    def error(self, record: SegmentRecord, message: str) -> ServiceError:
        return ServiceError(f"{self.name}, row {record.row}: {message}")

    def add(self, record: SegmentRecord) -> None:
        doc_id = self._document(record)
        text_ = self._text(doc_id)
        if record.end > len(text_):
            raise self.error(
                record, f"end {record.end} is past the end of document {doc_id} ({len(text_)} characters)"
            )
        quote = text_[record.start : record.end]
        if record.text != quote:
            raise self.error(
                record,
                f"the file's quote does not match document {doc_id} at {record.start}–{record.end} "
                f"(file {_preview(record.text)!r}, document {_preview(quote)!r}): "
                "the text or the offsets changed",
            )
        if len(record.memo) > MAX_MEMO_LENGTH:
            raise self.error(
                record, f"memo is {len(record.memo)} characters long; the limit is {MAX_MEMO_LENGTH}"
            )
        code_path = self._code_path(record)
        coder = self._coder(record)
        created = record.created_at or utcnow()
        self.segments.append(
            _Segment(
                row=record.row,
                document_id=doc_id,
                code_path=code_path,
                written_path=record.code_path,
                coder=coder,
                start=record.start,
                end=record.end,
                quote=quote,
                memo=record.memo,
                created_at=created,
                updated_at=record.updated_at or created,
                annotation_id=record.annotation_id,
            )
        )

    def _document(self, record: SegmentRecord) -> int:
        if record.document_hash:
            found = self.by_hash.get(record.document_hash)
            if found is None:
                raise self.error(
                    record,
                    f"no document in this project has hash {record.document_hash[:12]}… "
                    "(import the same version of the work first)",
                )
            return found
        if record.document_id is not None:
            if record.document_id not in self.by_id:
                raise self.error(record, f"no document with id {record.document_id}")
            return record.document_id
        matches = self.by_title.get(record.document) or self.by_title.get(record.document.strip()) or []
        if len(matches) != 1:
            problem = "no document is titled" if not matches else f"{len(matches)} documents are titled"
            raise self.error(
                record, f"{problem} {_preview(record.document)!r}; add a document_hash or document_id column"
            )
        return matches[0]

    def _text(self, doc_id: int) -> str:
        cached = self.texts.get(doc_id)
        if cached is None:  # the stored text (another process may have updated the work)
            cached = self.texts[doc_id] = current_text(self.session, self.store, doc_id)
        return cached

    def _code_path(self, record: SegmentRecord) -> tuple[str, ...]:
        cleaned = self.paths.get(record.code_path)
        if cleaned is None:
            try:
                cleaned = tuple(clean_name(raw) for raw in record.code_path)
            except InvalidInputError as exc:
                raise self.error(record, f"code_path: {exc}") from None
            self.paths[record.code_path] = cleaned
        return cleaned

    def _coder(self, record: SegmentRecord) -> str:
        name = " ".join(record.coder.split())
        if name not in self.coders:
            try:
                clean_name(name, what="coder name", limit=MAX_CODER_NAME_LENGTH)
            except InvalidInputError as exc:
                raise self.error(record, str(exc)) from None
            self.coders.add(name)  # checked once; created (if still missing) when stored
        return name


class _Storer:
    """The second step, in the write transaction: codes, coders, duplicates, ids, then the rows."""

    def __init__(self, session: Session, name: str) -> None:
        self.session, self.name = session, name
        lock_codebook(session)  # codes it finds or creates stay where they are until commit
        self.codes = {
            (r.parent_id, r.name): r.id for r in session.execute(select(Code.id, Code.parent_id, Code.name))
        }
        self.code_cache: dict[tuple[str, ...], int] = {}
        self.coders: dict[str, int] = {
            name: cid for name, cid in session.execute(select(Coder.name, Coder.id))
        }
        self.created_codes: list[str] = []
        self.created_coders: list[str] = []
        self.keys: dict[int, set[_DocKey]] = {}  # existing + imported annotation keys per document

    def error(self, segment: _Segment, message: str) -> ServiceError:
        return ServiceError(f"{self.name}, row {segment.row}: {message}")

    def store(self, segments: list[_Segment]) -> SegmentImportReport:
        self._check_documents_remain(segments)
        rows: list[dict[str, object]] = []
        wanted: list[int | None] = []  # the file's annotation_id of each row
        duplicates = 0
        document_ids: set[int] = set()
        for segment in segments:
            doc_id = segment.document_id
            key = (doc_id, self._code(segment), self._coder(segment), segment.start, segment.end)
            keys = self._keys(doc_id)
            if key in keys:
                duplicates += 1
                continue
            keys.add(key)
            rows.append(
                {
                    "document_id": doc_id,
                    "code_id": key[1],
                    "coder_id": key[2],
                    "start": segment.start,
                    "end": segment.end,
                    "quote": segment.quote,
                    "memo": segment.memo,
                    "created_at": segment.created_at,
                    "updated_at": segment.updated_at,
                }
            )
            wanted.append(segment.annotation_id)
            document_ids.add(doc_id)
        ids, renumbered = _assign_ids(wanted, allocate_ids(self.session, Annotation.id, len(rows)))
        for row, annotation_id in zip(rows, ids, strict=True):
            row["id"] = annotation_id
        for start in range(0, len(rows), BATCH):
            self._insert(rows[start : start + BATCH])
        return SegmentImportReport(
            imported=len(rows),
            duplicates=duplicates,
            created_codes=tuple(self.created_codes),
            created_coders=tuple(self.created_coders),
            renumbered=renumbered,
            document_ids=tuple(sorted(document_ids)),
        )

    def _check_documents_remain(self, segments: list[_Segment]) -> None:
        """Refuse if a document the rows code was deleted after the check; keep the others so."""
        wanted = sorted({segment.document_id for segment in segments})
        present: set[int] = set()
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            # The key-share lock a foreign key check takes, up front: a delete waits for this import.
            query = select(Document.id).where(Document.id.in_(chunk))
            present.update(self.session.scalars(query.with_for_update(read=True, key_share=True)))
        for segment in segments:
            if segment.document_id not in present:
                raise self.error(
                    segment, f"document {segment.document_id} was deleted while the file was being read"
                )

    def _insert(self, rows: list[dict[str, object]]) -> None:
        if not rows:
            return
        insert_rows(self.session.connection(), ANNOTATIONS, _INSERT_COLUMNS, rows)

    def _keys(self, doc_id: int) -> set[_DocKey]:
        keys = self.keys.get(doc_id)
        if keys is None:
            query = select(
                Annotation.document_id,
                Annotation.code_id,
                Annotation.coder_id,
                Annotation.start,
                Annotation.end,
            ).where(Annotation.document_id == doc_id)
            keys = self.keys[doc_id] = {(d, c, k, s, e) for d, c, k, s, e in self.session.execute(query)}
        return keys

    def _code(self, segment: _Segment) -> int:
        cached = self.code_cache.get(segment.code_path)
        if cached is not None:
            return cached
        parent: int | None = None
        created = False
        for name in segment.code_path:
            found = self.codes.get((parent, name)) or self._loose_match(parent, name)
            if found is None:
                try:
                    found = add_code_in(self.session, name, parent).id
                except InvalidInputError as exc:
                    raise self.error(segment, str(exc)) from None
                self.codes[(parent, name)] = found
                created = True
            parent = found
        assert parent is not None  # read_segments_csv refuses empty paths
        if created:
            self.created_codes.append(join_path(segment.written_path))
        self.code_cache[segment.code_path] = parent
        return parent

    def _loose_match(self, parent: int | None, name: str) -> int | None:
        # Sibling names are unique regardless of case, so a case-insensitive hit is the same code.
        folded = name.casefold()
        hits = [
            cid for (pid, other), cid in self.codes.items() if pid == parent and other.casefold() == folded
        ]
        return hits[0] if len(hits) == 1 else None

    def _coder(self, segment: _Segment) -> int:
        found = self.coders.get(segment.coder)
        if found is None:
            try:
                found = ensure_coder_in(self.session, segment.coder).id
            except InvalidInputError as exc:
                raise self.error(segment, str(exc)) from None
            self.created_coders.append(segment.coder)
            self.coders[segment.coder] = found
        return found


def _assign_ids(wanted: list[int | None], fresh: list[int]) -> tuple[list[int], int]:
    """Each row's id, from ``fresh`` (new ids the project handed out for this import), and how many
    rows did not get the id the file gave.

    A row keeps its file's id when that id is one of the fresh ones (so a file exported from a
    project and imported into an empty one keeps its ids); the others take the fresh ids left over,
    in file order. The file can choose among the ids the project handed out, never beyond them:
    a hostile id cannot move where the next annotation's id comes from.
    """
    available = set(fresh)
    kept: list[int | None] = []
    for annotation_id in wanted:
        if annotation_id is not None and annotation_id in available:
            available.discard(annotation_id)  # a second row with the same id gets a new one
            kept.append(annotation_id)
        else:
            kept.append(None)
    left_over = iter(sorted(available))
    ids = [annotation_id if annotation_id is not None else next(left_over) for annotation_id in kept]
    renumbered = sum(1 for given, got in zip(wanted, ids, strict=True) if given is not None and given != got)
    return ids, renumbered


def _preview(value: str, limit: int = 30) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
