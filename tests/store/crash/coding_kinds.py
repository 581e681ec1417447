"""Writers for everyday coding: apply a code, edit a memo, import a segments CSV, add a work."""

from __future__ import annotations

import csv
import io
import random
from itertools import count

from sqlalchemy import Connection

from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import documents
from annotator.services.errors import ServiceError
from annotator.services.segment_import import import_segments
from annotator.store.project import ProjectStore
from tests.store.crash.base import CODER, base_work
from tests.store.crash.protocol import ANY, Journal, Kind, State, rows

MEMO_TARGET = 1  # made by the base content
SEGMENT_ROWS = 200


class ApplyCode(Kind):
    """Code random spans, one transaction each. KEY start-end-code, STATE the annotation id."""

    name = "apply"

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        work = base_work(store)
        codes = [c.id for c in cb.list_codes(store)]
        length = len(work.text)
        journal.ready()
        while True:
            start = rng.randrange(0, length - 1)
            end = rng.randrange(start + 1, min(length, start + 80) + 1)
            code = rng.choice(codes)
            key = f"{start}-{end}-{code}"
            journal.doing(key, ANY)
            try:
                info = ann.apply_code(store, work.document_id, start, end, code, work.coder_id)
            except ServiceError:  # the same span and code drawn twice: refused, nothing changed
                journal.done()
                continue
            journal.done(key, info.id)

    def observe(self, db: Connection) -> State:
        found = rows(
            db,
            'SELECT a.id, a.start, a."end", a.code_id FROM annotations a JOIN coders k ON k.id = a.coder_id '
            "WHERE k.name = :coder",
            coder=CODER,
        )
        return {f"{r.start}-{r.end}-{r.code_id}": str(r.id) for r in found}


class EditMemo(Kind):
    """Rewrite annotation 1's memo over and over. KEY memo, STATE the memo."""

    name = "memo"

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        journal.ready()
        for n in count():
            memo = f"memo-{tag}-{n}"
            journal.doing("memo", memo)
            ann.edit_annotation(store, MEMO_TARGET, memo=memo)
            journal.done("memo", memo)

    def observe(self, db: Connection) -> State:
        [(memo,)] = rows(db, "SELECT memo FROM annotations WHERE id = :id", id=MEMO_TARGET)
        return {"memo": memo or "(none)"}


class ImportSegments(Kind):
    """Import a 200-row segments CSV under a new code, all rows or none. STATE the row count."""

    name = "segments"
    longest_delay = 0.3  # every row is checked in a read before the one write transaction

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        work = base_work(store)
        view = documents.load_document(store, work.document_id)
        text = work.text
        journal.ready()
        for n in count():
            path = f"Bulk/run-{tag}-{n}"
            out = io.StringIO(newline="")
            writer = csv.writer(out)
            writer.writerow(["document_hash", "start", "end", "text", "code_path", "coder"])
            for i in range(SEGMENT_ROWS):
                start = i % (len(text) - 5)
                writer.writerow([view.text_hash, start, start + 5, text[start : start + 5], path, "bulk"])
            journal.doing(path, SEGMENT_ROWS)
            report = import_segments(store, io.StringIO(out.getvalue(), newline=""), "bulk.csv")
            journal.done(path, report.imported)

    def observe(self, db: Connection) -> State:
        # Every code under Bulk, even one without rows (a half import would leave exactly that).
        found = rows(
            db,
            "SELECT c.name, count(k.id) AS n FROM codes c JOIN codes p ON p.id = c.parent_id "
            "LEFT JOIN annotations a ON a.code_id = c.id "
            "LEFT JOIN coders k ON k.id = a.coder_id AND k.name = 'bulk' "
            "WHERE p.name = 'Bulk' AND p.parent_id IS NULL GROUP BY c.name",
        )
        return {f"Bulk/{r.name}": str(r.n) for r in found}


class AddDocument(Kind):
    """Add works with attributes and a zone. KEY the title, STATE attributes:zones."""

    name = "document"

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        journal.ready()
        for n in count():
            title = f"Crash-work-{tag}-{n}"
            text = f"Work {title}\n" + "words " * rng.randrange(10, 500)
            journal.doing(title, "3:1")
            documents.add_document(
                store,
                ImportedDocument(
                    title=title,
                    source_format="text",
                    text=text,
                    attributes={"fandom": ["A", "B"], "rating": ["G"]},
                    zones=[ZoneSpec("story", 0, len(text))],
                ),
            )
            journal.done(title, "3:1")

    def observe(self, db: Connection) -> State:
        found = rows(
            db,
            "SELECT d.title, (SELECT count(*) FROM document_attributes a WHERE a.document_id = d.id) AS a, "
            "(SELECT count(*) FROM document_zones z WHERE z.document_id = d.id) AS z "
            "FROM documents d WHERE d.title LIKE 'Crash-work-%'",
        )
        return {r.title: f"{r.a}:{r.z}" for r in found}
