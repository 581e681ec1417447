"""Word import: paragraphs in order joined by a blank line, headings zoned, title from properties."""

from __future__ import annotations

import pytest

from annotator.core.types import ZONE_HEADING
from annotator.io.docx import read_docx
from annotator.io.errors import DocumentImportError
from tests.io.builders import assert_well_formed, docx_bytes, epub_bytes, zone_texts


def test_paragraphs_headings_and_tables_in_order() -> None:
    doc = read_docx(docx_bytes(), "story.docx")
    assert doc.source_format == "docx"
    assert doc.title == "A Story"
    assert doc.attributes == {"title": ["A Story"]}
    assert doc.text == (
        "Chapter One\n\nIt was a dark night.\n\nShe said “hello” and left.\n\nLine one\nline two"
        "\n\ncell a\n\ncell b\n\nChapter Two\n\nMorning came."
    )
    assert zone_texts(doc, ZONE_HEADING) == ["Chapter One", "Chapter Two"]
    assert_well_formed(doc)


def test_title_falls_back_to_the_file_stem() -> None:
    assert read_docx(docx_bytes(title=None), "dir/My Story.docx").title == "My Story"


def test_a_document_without_text_is_an_error() -> None:
    with pytest.raises(DocumentImportError, match=r"^e\.docx: the document contains no text$"):
        read_docx(docx_bytes(empty=True), "e.docx")


def test_a_zip_that_is_not_a_word_document_is_an_error() -> None:
    data = epub_bytes({"OEBPS/content.opf": "<package/>"})
    with pytest.raises(DocumentImportError, match=r"^x\.docx: not a valid Word document"):
        read_docx(data, "x.docx")


def test_bytes_that_are_not_a_zip_are_an_error() -> None:
    with pytest.raises(
        DocumentImportError, match=r"^x\.docx: not a valid Word document \(not a zip archive\)$"
    ):
        read_docx(b"Just some text pretending.", "x.docx")
