"""The content every kill campaign starts from: one work, the fandom codebook, coder "crash".

Annotation 1 (coder "crash", on the work's first words) is the memo writer's target. Writers
find the work and the coder with :func:`base_work`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.store.project import ProjectStore

TEXT = "".join(f"Paragraph {n}: she looked at him 👀 and said “later”.\n" for n in range(40))
TITLE = "Target"
CODER = "crash"
# Alembic keeps the migration being run in module globals: creating (and opening, which checks the
# revision) projects from several threads at once must take turns.
CREATION_LOCK = threading.RLock()


def add_base_content(store: ProjectStore) -> None:
    doc = documents.add_document(store, ImportedDocument(title=TITLE, source_format="text", text=TEXT))
    coder = coders.ensure_coder(store, CODER)
    first = ann.apply_code(store, doc.id, 0, 9, cb.list_codes(store)[0].id, coder.id)
    assert first.id == 1  # the memo writer's target


@dataclass(frozen=True)
class BaseWork:
    document_id: int
    text: str
    coder_id: int


def base_work(store: ProjectStore) -> BaseWork:
    doc = next(d for d in documents.list_documents(store) if d.title == TITLE)
    coder = next(c for c in coders.list_coders(store) if c.name == CODER)
    return BaseWork(doc.id, documents.document_text(store, doc.id), coder.id)
