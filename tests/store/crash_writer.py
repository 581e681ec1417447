"""Child process for the crash-safety test: codes through the services until it is killed.

Usage: ``python crash_writer.py PROJECT ACTION SEED``. After each service call returns (the
transaction is committed) it prints one acknowledgement line and flushes stdout; the parent
kills it with SIGKILL at a random moment and checks that every acknowledged action survived.

Acknowledgements, by action:
  ``apply ID``                       apply_code created annotation ID
  ``memo ID N``                      edit_annotation set annotation ID's memo to "memo N"
  ``deleted CODE ID,ID,…`` / ``restored CODE ID,ID,…``   delete_code / restore_codes
  ``segments PATH N``                import_segments stored N annotations under code PATH
  ``document ID``                    add_document stored document ID with 3 attributes
"""

from __future__ import annotations

import csv
import io
import random
import sys
from itertools import count

from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.services.errors import ServiceError
from annotator.store.project import ProjectStore, open_project

MEMO_TARGET = 1  # the parent's setup makes annotation 1 for the memo edits


def ack(*words: object) -> None:
    print(*words, flush=True)


def apply_codes(store: ProjectStore, rng: random.Random, doc: int, length: int, coder: int) -> None:
    codes = [c.id for c in cb.list_codes(store)]
    while True:
        start = rng.randrange(0, length - 1)
        end = rng.randrange(start + 1, min(length, start + 80) + 1)
        try:
            info = ann.apply_code(store, doc, start, end, rng.choice(codes), coder)
        except ServiceError:  # the same span and code drawn twice
            continue
        ack("apply", info.id)


def edit_memos(store: ProjectStore, seed: int) -> None:
    for n in count(seed * 1_000_000):
        ann.edit_annotation(store, MEMO_TARGET, memo=f"memo {n}")
        ack("memo", MEMO_TARGET, n)


def delete_and_restore(store: ProjectStore, rng: random.Random, doc: int, length: int, coder: int) -> None:
    code = cb.add_code(store, f"Doomed {rng.random()}")
    cb.add_code(store, "Doomed child", code.id)
    for start in range(0, min(length - 1, 60), 3):
        ann.apply_code(store, doc, start, start + 2, code.id, coder)
    while True:
        snap = cb.delete_code(store, code.id)
        ids = ",".join(str(row["id"]) for row in snap.annotations)
        ack("deleted", code.id, ids)
        cb.restore_codes(store, snap)
        ack("restored", code.id, ids)


def import_segment_files(store: ProjectStore, rng: random.Random, doc: int, text: str) -> None:
    from annotator.services.segment_import import import_segments

    view = documents.load_document(store, doc)
    for n in count():
        path = f"Bulk/run-{rng.randrange(10**9)}-{n}"  # no spaces: the ack is split on them
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(["document_hash", "start", "end", "text", "code_path", "coder"])
        rows = 200
        for i in range(rows):
            start = i % (len(text) - 5)
            writer.writerow([view.text_hash, start, start + 5, text[start : start + 5], path, "bulk"])
        report = import_segments(store, io.StringIO(out.getvalue(), newline=""), "bulk.csv")
        ack("segments", path, report.imported)


def add_documents(store: ProjectStore, rng: random.Random) -> None:
    while True:
        text = f"Work {rng.random()}\n" + "words " * rng.randrange(10, 500)
        summary = documents.add_document(
            store,
            ImportedDocument(
                title="Crash work",
                source_format="text",
                text=text,
                attributes={"fandom": ["A", "B"], "rating": ["G"]},
                zones=[ZoneSpec("story", 0, len(text))],
            ),
        )
        ack("document", summary.id)


def main(project: str, action: str, seed: int) -> None:
    rng = random.Random(seed)
    store = open_project(project)
    doc = documents.list_documents(store)[0].id
    text = documents.document_text(store, doc)
    coder = coders.ensure_coder(store, "crash").id
    ack("ready")
    if action == "apply":
        apply_codes(store, rng, doc, len(text), coder)
    elif action == "memo":
        edit_memos(store, seed)
    elif action == "delete":
        delete_and_restore(store, rng, doc, len(text), coder)
    elif action == "segments":
        import_segment_files(store, rng, doc, text)
    elif action == "document":
        add_documents(store, rng)
    else:
        raise SystemExit(f"unknown action {action!r}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
