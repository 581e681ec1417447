"""Importing a segments CSV: one transaction, all rows or none.

Each row is matched to a document of this project (by ``document_hash``, else ``document_id``,
else a unique title) and its quote is compared with the document text, so a file made from a
different version of a work is refused rather than silently mis-coded. Codes are found by path
and created when missing; coders by name, created when new. Rows go in with Core ``insert()``
in batches (the ORM's ``add_all`` is ten times slower).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from annotator.core.codebook import join_path
from annotator.core.validation import InvalidInputError, clean_name
from annotator.io.csv_segments import SegmentFormatError, SegmentRecord, read_segments_csv
from annotator.services.annotations import MAX_MEMO_LENGTH
from annotator.services.changes import Change
from annotator.services.codebook import add_code_in
from annotator.services.coders import ensure_coder_in
from annotator.services.errors import ServiceError
from annotator.store.id_sequences import advance_past, highest_id_ever
from annotator.store.models import Annotation, Code, Coder, Document, utcnow
from annotator.store.project import ProjectStore

BATCH = 5_000
ANNOTATIONS = cast(Table, Annotation.__table__)  # Core insert: the ORM's add_all is 10× slower
_DocKey = tuple[int, int, int, int, int]  # document, code, coder, start, end


@dataclass(frozen=True)
class SegmentImportReport:
    imported: int
    duplicates: int  # rows identical to an annotation already there (or earlier in the file)
    created_codes: tuple[str, ...]  # code paths the file named that the codebook lacked
    created_coders: tuple[str, ...]
    renumbered: int  # rows whose annotation_id was taken, stored under a new id
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
    try:
        with store.transaction() as session:
            importer = _Importer(session, store, name)
            for record in read_segments_csv(source, name):
                importer.add(record)
            return importer.finish()
    except SegmentFormatError as exc:
        raise ServiceError(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ServiceError(f"{name}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8") from exc


class _Importer:
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
        self.keys: dict[int, set[_DocKey]] = {}  # existing + imported annotation keys per document
        self.codes = {
            (r.parent_id, r.name): r.id for r in session.execute(select(Code.id, Code.parent_id, Code.name))
        }
        self.code_cache: dict[tuple[str, ...], int] = {}
        self.coders: dict[str, int] = {
            name: cid for name, cid in session.execute(select(Coder.name, Coder.id))
        }
        self.created_codes: list[str] = []
        self.created_coders: list[str] = []
        # An id is kept only if no annotation ever had it, so undo entries holding deleted rows stay valid.
        self.high_water = self._high_water()
        self.used_ids: set[int] = set()
        self.with_ids: list[dict[str, object]] = []
        self.without_ids: list[dict[str, object]] = []
        self.imported = self.duplicates = self.renumbered = 0
        self.document_ids: set[int] = set()

    def error(self, record: SegmentRecord, message: str) -> ServiceError:
        return ServiceError(f"{self.name}, row {record.row}: {message}")

    def _high_water(self) -> int:
        return highest_id_ever(self.session, Annotation.id)

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
        code_id = self._code(record)
        coder_id = self._coder(record)
        key = (doc_id, code_id, coder_id, record.start, record.end)
        keys = self._keys(doc_id)
        if key in keys:
            self.duplicates += 1
            return
        keys.add(key)
        created = record.created_at or utcnow()
        row: dict[str, object] = {
            "document_id": doc_id,
            "code_id": code_id,
            "coder_id": coder_id,
            "start": record.start,
            "end": record.end,
            "quote": quote,
            "memo": record.memo,
            "created_at": created,
            "updated_at": record.updated_at or created,
        }
        self.imported += 1
        self.document_ids.add(int(str(row["document_id"])))
        wanted = record.annotation_id
        if wanted is not None and wanted > self.high_water and wanted not in self.used_ids:
            self.used_ids.add(wanted)
            row["id"] = wanted
            self.with_ids.append(row)
            if len(self.with_ids) >= BATCH:
                self._insert(self.with_ids)
        else:
            self.renumbered += wanted is not None
            self.without_ids.append(row)

    def finish(self) -> SegmentImportReport:
        self._insert(self.with_ids)
        if self.used_ids:
            advance_past(self.session, Annotation.id, max(self.used_ids))
        # Rows needing new ids go last, after every kept id is taken, so they cannot collide.
        for start in range(0, len(self.without_ids), BATCH):
            self._insert(self.without_ids[start : start + BATCH])
        return SegmentImportReport(
            imported=self.imported,
            duplicates=self.duplicates,
            created_codes=tuple(self.created_codes),
            created_coders=tuple(self.created_coders),
            renumbered=self.renumbered,
            document_ids=tuple(sorted(self.document_ids)),
        )

    def _insert(self, rows: list[dict[str, object]]) -> None:
        if rows:
            self.session.execute(insert(ANNOTATIONS), rows)
            rows.clear()

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
        cached = self.texts.get(doc_id) or self.store.texts.get(doc_id)
        if cached is None:
            cached = self.session.scalar(select(Document.text).where(Document.id == doc_id)) or ""
            self.store.texts.put(doc_id, cached)
        self.texts[doc_id] = cached
        return cached

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

    def _code(self, record: SegmentRecord) -> int:
        cached = self.code_cache.get(record.code_path)
        if cached is not None:
            return cached
        parent: int | None = None
        created = False
        for raw in record.code_path:
            try:
                name = clean_name(raw)
            except InvalidInputError as exc:
                raise self.error(record, f"code_path: {exc}") from None
            found = self.codes.get((parent, name)) or self._loose_match(parent, name)
            if found is None:
                try:
                    found = add_code_in(self.session, name, parent).id
                except InvalidInputError as exc:
                    raise self.error(record, str(exc)) from None
                self.codes[(parent, name)] = found
                created = True
            parent = found
        assert parent is not None  # read_segments_csv refuses empty paths
        if created:
            self.created_codes.append(join_path(record.code_path))
        self.code_cache[record.code_path] = parent
        return parent

    def _loose_match(self, parent: int | None, name: str) -> int | None:
        # Sibling names are unique regardless of case, so a case-insensitive hit is the same code.
        folded = name.casefold()
        hits = [
            cid for (pid, other), cid in self.codes.items() if pid == parent and other.casefold() == folded
        ]
        return hits[0] if len(hits) == 1 else None

    def _coder(self, record: SegmentRecord) -> int:
        name = " ".join(record.coder.split())
        found = self.coders.get(name)
        if found is None:
            try:
                found = ensure_coder_in(self.session, name).id
            except InvalidInputError as exc:
                raise self.error(record, str(exc)) from None
            self.created_coders.append(name)
            self.coders[name] = found
        return found


def _preview(value: str, limit: int = 30) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
