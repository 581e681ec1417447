"""Undo of a .qdpx import: one step takes back every row it created, redo puts the same rows back."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from annotator.core.text import normalise_text
from annotator.core.types import ImportedDocument
from annotator.core.undo import UndoStack
from annotator.services.annotations import apply_code
from annotator.services.changes import Change
from annotator.services.codebook import list_codes
from annotator.services.codebook_csv import export_codebook
from annotator.services.coders import ensure_coder, list_coders
from annotator.services.conflicts import ConflictError
from annotator.services.documents import add_document, list_documents
from annotator.services.refi_qda_import import import_qdpx
from annotator.services.refi_qda_undo import ImportedQdpx
from annotator.services.segments import export_segments
from annotator.store.models import DocumentMemo
from annotator.store.project import ProjectStore
from tests.io.refi_builders import nvivo_project, selection

TEXT = "video_id\r\nNa mi van? 😀 Nem mertétek\r\nkötelezővé tenni?"
NOTE = "aaaaaaaa-0000-0000-0000-000000000001"
SECOND = (
    '<TextSource guid="11111111-2222-3333-4444-555555555555" name="second">'
    "<PlainTextContent>another text</PlainTextContent></TextSource>"
)
# A memo on the source whose text is already here, and a coding on it.
FILE = nvivo_project(
    TEXT,
    selection(0, 8) + f'<NoteRef targetGUID="{NOTE}" />',
    extra_sources=SECOND,
    tail=f'<Notes><Note guid="{NOTE}" name="m"><PlainTextContent>seen before</PlainTextContent>'
    "</Note></Notes>",
)


def _state(store: ProjectStore) -> tuple[str, str, list[str], list[int], int]:
    segments, codebook = io.StringIO(newline=""), io.StringIO(newline="")
    export_segments(store, segments)
    export_codebook(store, codebook)
    with store.reading() as session:
        memos = int(session.scalar(select(func.count()).select_from(DocumentMemo)) or 0)
    return (
        segments.getvalue(),
        codebook.getvalue(),
        [c.name for c in list_coders(store)],
        [d.id for d in list_documents(store)],
        memos,
    )


@pytest.fixture
def here(empty_project: ProjectStore) -> int:
    """A work already in the project (the text of the file's first source), coded by ana."""
    doc = add_document(empty_project, ImportedDocument("Mine", "text", normalise_text(TEXT)))
    ensure_coder(empty_project, "ana")
    return doc.id


def test_undo_takes_back_documents_codings_memos_codes_and_coders_and_redo_puts_them_back(
    empty_project: ProjectStore, here: int
) -> None:
    before = _state(empty_project)
    report = import_qdpx(empty_project, FILE, "team.qdpx")
    assert report.existing and len(report.documents) == 1 and report.created_codes == 2
    assert report.created.annotation_ids and report.created.memo_ids and report.created.coder_ids
    stack: UndoStack[Change] = UndoStack()
    stack.record(ImportedQdpx(empty_project, report))
    after = _state(empty_project)
    assert after != before

    undone = stack.undo()
    assert _state(empty_project) == before
    assert not list_codes(empty_project) and [c.name for c in list_coders(empty_project)] == ["ana"]
    assert undone is not None and undone.codebook_changed and undone.annotations_changed_in == (here,)

    stack.redo()
    assert _state(empty_project) == after  # the same rows, under the same ids
    stack.undo()
    assert _state(empty_project) == before


def test_undo_refuses_when_an_imported_code_was_used_since(empty_project: ProjectStore, here: int) -> None:
    report = import_qdpx(empty_project, FILE, "team.qdpx")
    command = ImportedQdpx(empty_project, report)
    code = next(c for c in list_codes(empty_project) if c.name == "alacsony fogékonyság")
    ana = ensure_coder(empty_project, "ana").id
    apply_code(empty_project, here, 10, 12, code.id, ana)
    state = _state(empty_project)
    with pytest.raises(ConflictError, match=r"cannot undo Import REFI-QDA project: .*ana"):
        command.revert()
    assert _state(empty_project) == state


def test_redo_refuses_when_a_coder_of_the_same_name_was_added_since(
    empty_project: ProjectStore, here: int
) -> None:
    report = import_qdpx(empty_project, FILE, "team.qdpx")
    command = ImportedQdpx(empty_project, report)
    command.revert()
    ensure_coder(empty_project, "floriansipos")
    state = _state(empty_project)
    with pytest.raises(ConflictError, match=r"cannot redo .*floriansipos"):
        command.apply()
    assert _state(empty_project) == state


def test_an_import_without_codings_is_undone_too(empty_project: ProjectStore) -> None:
    report = import_qdpx(empty_project, nvivo_project(TEXT, ""), "codes.qdpx")
    command = ImportedQdpx(empty_project, report)
    command.revert()
    assert not list_codes(empty_project) and not list_documents(empty_project)
    command.apply()
    assert len(list_codes(empty_project)) == 2 and len(list_documents(empty_project)) == 1
