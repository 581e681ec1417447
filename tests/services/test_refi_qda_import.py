"""Importing .qdpx projects: the real NVivo export, exact positions, and all-or-nothing."""

# ruff: noqa: E501  (XML copied in the shape real exports write it, one element to a line)

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from annotator.core.text import normalise_text
from annotator.core.types import ImportedDocument
from annotator.io.errors import DocumentImportError
from annotator.services.codebook import list_codes
from annotator.services.coders import list_coders
from annotator.services.documents import add_document, list_documents, load_document
from annotator.services.refi_qda_import import import_qdpx
from annotator.services.segments import iter_segments
from annotator.store.models import Annotation, Document
from annotator.store.project import ProjectStore
from tests.io.refi_builders import SAMPLES, nvivo_project, selection

TEXT = "video_id\r\nNa mi van? 😀 Nem mertétek\r\nkötelezővé tenni?"


def _count(store: ProjectStore, model: type) -> int:
    with store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_real_nvivo_export_lands_every_coding_on_word_edges(empty_project: ProjectStore) -> None:
    path = SAMPLES / "samples" / "nvivo-win-12.6-oltas.qdpx"
    if not path.exists():
        pytest.skip(f"{path} is not here (the real REFI-QDA exports are kept outside the project)")
    report = import_qdpx(empty_project, path.read_bytes(), path.name)
    assert report.convention == "UTF-16 units"
    assert report.annotations == 97 and not report.unplaced
    assert [c.name for c in list_coders(empty_project)] == ["floriansipos"]  # the codings' user
    assert any("coding's user is taken" in note for note in report.notes)
    text = load_document(empty_project, report.documents[0][0]).text
    segments = list(iter_segments(empty_project))
    assert all(not (text[s.start - 1].isalnum() and text[s.start].isalnum()) for s in segments if s.start)
    assert any(s.text.startswith("Na mi van?") for s in segments) or segments[0].text.startswith("Na mi van?")
    assert len(list_codes(empty_project)) == 60


def test_an_nvivo_shaped_file_converts_utf16_crlf_positions_exactly(empty_project: ProjectStore) -> None:
    # "Nem" starts after CRLF (2 units), "Na mi van? " and the emoji (2 units).
    units = TEXT.index("Nem") + 1  # the emoji is one code point but two UTF-16 units
    data = nvivo_project(TEXT, selection(units, units + len("Nem mertétek")))
    report = import_qdpx(empty_project, data, "p.qdpx")
    assert report.convention == "UTF-16 units"
    assert [s.text for s in iter_segments(empty_project)] == ["Nem mertétek"]


def test_a_selection_that_cannot_be_placed_is_reported_not_moved(empty_project: ProjectStore) -> None:
    inside_crlf = TEXT.index("\r\n") + 1
    words = ["Nem", "mertétek", "kötelezővé", "tenni"]
    good = selection(0, 8) + "".join(selection(TEXT.index(w) + 1, TEXT.index(w) + 1 + len(w)) for w in words)
    data = nvivo_project(TEXT, good + selection(inside_crlf, inside_crlf + 3) + selection(5, 900))
    report = import_qdpx(empty_project, data, "p.qdpx")
    assert report.convention == "UTF-16 units"
    assert report.annotations == 5 and len(report.unplaced) == 2
    assert "inside a character or line end" in report.unplaced[0]
    assert "outside the text" in report.unplaced[1]
    assert [s.text for s in iter_segments(empty_project)] == ["video_id", *words]


def test_a_broken_file_stores_nothing(empty_project: ProjectStore) -> None:
    with pytest.raises(DocumentImportError):
        import_qdpx(empty_project, b"PK\x03\x04broken", "p.qdpx")
    assert _count(empty_project, Document) == 0 and not list_codes(empty_project)


def test_memos_attributes_and_other_sources_come_in_or_are_reported(empty_project: ProjectStore) -> None:
    note = "aaaaaaaa-0000-0000-0000-000000000001"
    variable = "aaaaaaaa-0000-0000-0000-000000000002"
    coded = selection(0, 8).replace(
        "</PlainTextSelection>", f'<NoteRef targetGUID="{note.upper()}" /></PlainTextSelection>'
    )
    tail = (
        f'<Variables><Variable guid="{variable}" name="rating" typeOfVariable="Text" /></Variables>'
        f'<Cases><Case guid="aaaaaaaa-0000-0000-0000-000000000003" name="c"><VariableValue>'
        f'<VariableRef targetGUID="{variable}" /><TextValue>Explicit</TextValue></VariableValue>'
        f'<SourceRef targetGUID="56A79789-D535-4FB8-BEDD-A915504C54BA" /></Case></Cases>'
        f'<Notes><Note guid="{note}" name="m"><PlainTextContent>why I coded this</PlainTextContent></Note></Notes>'
        '<Sets><Set guid="aaaaaaaa-0000-0000-0000-000000000004" name="Group" /></Sets>'
    )
    audio = '<AudioSource guid="aaaaaaaa-0000-0000-0000-000000000005" name="interview.mp3" />'
    # The XSD's order puts Variables and Cases before Sources; vendors do not all follow it.
    report = import_qdpx(empty_project, nvivo_project(TEXT, coded, extra_sources=audio, tail=tail), "p.qdpx")
    assert [s.memo for s in iter_segments(empty_project)] == ["why I coded this"]
    assert list_documents(empty_project)[0].attributes == {"rating": ["Explicit"]}
    assert report.skipped == ("interview.mp3: a audio source (only text sources are imported)",)
    assert any("Group" in n for n in report.notes)


def test_importing_the_same_file_again_stores_nothing_twice(empty_project: ProjectStore) -> None:
    data = nvivo_project(TEXT, selection(0, 8))
    first = import_qdpx(empty_project, data, "p.qdpx")
    again = import_qdpx(empty_project, data, "p.qdpx")
    [(doc_id, _title)] = first.documents
    assert again.documents == () and again.annotations == 0 and again.duplicate_codings == 1
    assert again.existing == (
        f"videos_selection: the same text as document {doc_id} (videos_selection); not stored again, "
        "its codings and memos go to that document",
    )
    assert again.created.empty and not again.change
    assert _count(empty_project, Document) == 1 and _count(empty_project, Annotation) == 1


def test_a_colleagues_codings_on_a_text_already_here_go_to_that_document(
    empty_project: ProjectStore,
) -> None:
    mine = add_document(empty_project, ImportedDocument("My copy", "ao3-html", normalise_text(TEXT)))
    data = nvivo_project(TEXT, selection(0, 8))
    report = import_qdpx(empty_project, data, "colleague.qdpx")
    assert report.documents == () and report.annotations == 1
    assert report.created.existing_document_ids == (mine.id,)
    assert report.change.annotations_changed_in == (mine.id,)
    [segment] = iter_segments(empty_project)
    assert (segment.document_id, segment.text, segment.coder) == (mine.id, "video_id", "floriansipos")
    assert [d.title for d in list_documents(empty_project)] == ["My copy"]


def test_duplicate_source_names_and_non_codable_parents_come_in_as_they_are(
    empty_project: ProjectStore,
) -> None:
    second = (
        '<TextSource guid="11111111-2222-3333-4444-555555555555" name="videos_selection">'
        "<PlainTextContent>another text</PlainTextContent></TextSource>"
    )
    non_codable = {
        'name="1. Perceived Susceptibility" isCodable="true"': 'name="1. Perceived Susceptibility" isCodable="false"'
    }
    data_non_codable = nvivo_project(TEXT, selection(0, 8), extra_sources=second, replace=non_codable)
    report = import_qdpx(empty_project, data_non_codable, "p.qdpx")
    assert [title for _, title in report.documents] == ["videos_selection", "videos_selection"]
    assert load_document(empty_project, report.documents[1][0]).text == "another text"
    paths = [c.path for c in list_codes(empty_project)]
    assert paths == ["1. Perceived Susceptibility", "1. Perceived Susceptibility/alacsony fogékonyság"]
    assert [s.code_path for s in iter_segments(empty_project)] == [
        "1. Perceived Susceptibility/alacsony fogékonyság"
    ]


def test_a_codebook_only_file_says_where_its_convention_came_from(empty_project: ProjectStore) -> None:
    path = SAMPLES / "samples" / "atlasti-23-target.qdpx"
    if not path.exists():
        pytest.skip(f"{path} is not here (the real REFI-QDA exports are kept outside the project)")
    report = import_qdpx(empty_project, path.read_bytes(), path.name)
    assert report.created_codes == 3 and not report.documents
    assert "no selections to check" in report.convention
    assert list_codes(empty_project)[0].path == "Commits"


def test_unstorable_names_are_made_storable_not_refused(empty_project: ProjectStore) -> None:
    long_name = 'name="' + "x" * 300 + '&#10;&lt;img src=x&gt;"'
    data = nvivo_project(
        TEXT,
        selection(0, 8),
        replace={'name="alacsony fogékonyság"': 'name="  "', 'name="floriansipos"': long_name},
    )
    report = import_qdpx(empty_project, data, "p.qdpx")
    assert report.annotations == 1
    [segment] = list(iter_segments(empty_project))
    assert segment.code_path == "1. Perceived Susceptibility/unnamed code"
    assert segment.coder == "x" * 200
