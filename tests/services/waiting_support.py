"""A seeded project with a work updated so that some annotations wait for review.

The first seed work is coded (``tests.ui.updates.edited_work``: one sentence the edit keeps, one
it changes, one it deletes), a second coder codes the changed sentence too, and another work is
coded so reports have figures beside the updated work. The update then leaves exactly two
annotations moved onto edited text and waiting for review (``waiting``), known by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.services.annotations import apply_code
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import document_text, list_documents
from annotator.services.work_updates import update_document
from annotator.store.project import ProjectStore
from tests.ui.updates.edited_work import EDITED, EditedWork, coded_and_edited


@dataclass(frozen=True)
class UpdatedProject:
    work: EditedWork
    waiting: frozenset[int]  # the annotations moved onto edited text, not reviewed
    counted: frozenset[int]  # every other annotation of the project
    other_document: int


def updated_with_waiting(store: ProjectStore, folder: Path) -> UpdatedProject:
    work = coded_and_edited(store, folder)
    paths = {c.path: c.id for c in list_codes(store)}
    edited_code = paths[work.code_names["edited"]]
    kept_code = paths[work.code_names["kept"]]
    bob = ensure_coder(store, "<b>bob</b>").id
    alice = ensure_coder(store, "alice").id
    start = work.old_text.index(EDITED)
    second = apply_code(store, work.document_id, start, start + len(EDITED), edited_code, bob).id
    other = next(d.id for d in list_documents(store) if d.id != work.document_id)
    other_text = document_text(store, other)
    others = {
        apply_code(store, other, 0, 40, edited_code, alice).id,
        apply_code(store, other, 20, 60, kept_code, bob).id,
        apply_code(store, other, len(other_text) - 30, len(other_text), edited_code, bob).id,
    }
    report = update_document(store, work.path, document_id=work.document_id)
    assert report.counts == {"exact": 1, "changed": 2, "orphaned": 1}, report.counts
    waiting = frozenset({work.annotation_ids["edited"], second})
    counted = frozenset({work.annotation_ids["kept"], *others})
    return UpdatedProject(work, waiting, counted, other)
