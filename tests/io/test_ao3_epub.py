"""AO3 EPUB import: the same work as an EPUB gives the same document as its HTML download."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotator.core.types import (
    ZONE_CHAPTER,
    ZONE_CHAPTER_END_NOTES,
    ZONE_CHAPTER_HEADING,
    ZONE_CHAPTER_NOTES,
    ZONE_END_NOTES,
    ZONE_STORY,
    ZONE_TITLE,
    ImportedDocument,
)
from annotator.io.ao3_epub import read_ao3_epub
from annotator.io.ao3_html import read_ao3_html
from annotator.io.errors import DocumentImportError
from annotator.services.documents import import_files, list_documents
from annotator.store.project import ProjectStore
from tests.io.builders import (
    CONTAINER_XML,
    MULTI_CHAPTER_HTML,
    SINGLE_CHAPTER_HTML,
    assert_well_formed,
    epub_bytes,
    epub_from_download,
    opf,
    xhtml,
    zone_texts,
)


@pytest.mark.parametrize(
    ("sample", "split_chapters"),
    [(SINGLE_CHAPTER_HTML, False), (MULTI_CHAPTER_HTML, False), (MULTI_CHAPTER_HTML, True)],
    ids=["single", "multi", "multi-split"],
)
def test_epub_and_html_of_one_work_give_the_same_document(sample: Path, split_chapters: bool) -> None:
    html = sample.read_text(encoding="utf-8")
    from_html = read_ao3_html(html.encode(), "work.html")
    from_epub = read_ao3_epub(epub_from_download(html, split_chapters=split_chapters), "work.epub")
    assert from_epub.source_format == "ao3-epub"
    assert from_epub.source_name == "work.epub"
    assert from_epub.attributes == from_html.attributes
    assert from_epub.text == from_html.text
    assert from_epub.zones == from_html.zones
    assert from_epub == replace(from_html, source_format="ao3-epub", source_name="work.epub")
    assert_well_formed(from_epub)


def test_sample_epub_values() -> None:
    html = SINGLE_CHAPTER_HTML.read_text(encoding="utf-8")
    doc = read_ao3_epub(epub_from_download(html), "sample.epub")
    assert doc.attributes["rating"] == ["Teen And Up Audiences"]
    assert doc.attributes["ao3_work_id"] == ["6100002"]
    assert zone_texts(doc, ZONE_STORY)[0].startswith("It hadn’t been easy")


def plain_epub(*, container: str | None = CONTAINER_XML, title: str = "Book Title") -> bytes:
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf(
            [("b", "Text/two.xhtml"), ("a", "Text/one%20file.xhtml")], ["a", "b"], title, "An Author"
        ),
        "OEBPS/Text/one file.xhtml": xhtml("<h1>Part One</h1><p>First page.</p>"),
        "OEBPS/Text/two.xhtml": xhtml("<p>Second page.</p>"),
    }
    return epub_bytes(files, container=container)


def test_a_non_ao3_epub_reads_its_spine_and_package_metadata() -> None:
    doc = read_ao3_epub(plain_epub(), "book.epub")
    assert doc.source_format == "epub"
    assert doc.title == "Book Title"
    assert doc.attributes == {"title": ["Book Title"], "authors": ["An Author"]}
    assert doc.text == "Book Title\n\nPart One\n\nFirst page.\n\nSecond page."
    assert zone_texts(doc, ZONE_TITLE) == ["Book Title"]
    assert_well_formed(doc)


def test_a_missing_container_is_tolerated_when_one_package_file_exists() -> None:
    doc = read_ao3_epub(plain_epub(container=None), "book.epub")
    assert doc.text.endswith("Second page.")


def test_an_epub_without_a_package_is_an_error() -> None:
    data = epub_bytes({"OEBPS/a.xhtml": xhtml("<p>x</p>")}, container=None)
    with pytest.raises(DocumentImportError, match=r"^b\.epub: not a valid EPUB \(cannot find the package"):
        read_ao3_epub(data, "b.epub")


def test_a_spine_of_missing_files_is_an_error() -> None:
    files: dict[str, str | bytes] = {"OEBPS/content.opf": opf([("a", "gone.xhtml")], ["a"])}
    with pytest.raises(DocumentImportError, match="lists no readable chapters"):
        read_ao3_epub(epub_bytes(files), "b.epub")


def test_malformed_package_xml_is_an_error() -> None:
    files: dict[str, str | bytes] = {"OEBPS/content.opf": "<package><manifest>"}
    with pytest.raises(DocumentImportError, match=r"content\.opf is not well-formed XML"):
        read_ao3_epub(epub_bytes(files), "b.epub")


def test_hrefs_escaping_the_archive_are_ignored() -> None:
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf([("a", "../../etc/passwd"), ("b", "ok.xhtml")], ["a", "b"]),
        "OEBPS/ok.xhtml": xhtml("<p>Fine.</p>"),
    }
    assert read_ao3_epub(epub_bytes(files), "b.epub").text.endswith("Fine.")


REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "real"
REAL_HTML = REAL / "218676_incompleteWork.html"
REAL_EPUB = REAL / "218676_incompleteWork.epub"
needs_real = pytest.mark.skipif(
    not REAL_EPUB.exists(), reason="the real AO3 downloads in ../shared/samples/real are not here"
)


def _zones(doc: ImportedDocument) -> list[tuple[str, int | None, str, str]]:
    return [(zone.kind, zone.chapter, zone.label, doc.text[zone.start : zone.end]) for zone in doc.zones]


@needs_real
def test_a_real_calibre_epub_gives_the_document_of_its_html_download() -> None:
    from_html = read_ao3_html(REAL_HTML.read_bytes(), REAL_HTML.name)
    from_epub = read_ao3_epub(REAL_EPUB.read_bytes(), REAL_EPUB.name)
    headings = ["Chapter 1: Festival", "Chapter 2: Riversong K'Vala", "Chapter 3: Conversations"]
    for doc in (from_html, from_epub):
        assert zone_texts(doc, ZONE_CHAPTER_HEADING) == headings
        assert [zone.label for zone in doc.zones if zone.kind == ZONE_CHAPTER] == headings
        assert zone_texts(doc, ZONE_CHAPTER_NOTES) == [
            "Only one more chapter of this, and then I'm done posting my high school fic. "
            "THANK YOU RAPTOR JESUS."
        ]
        # Chapter end notes stay with their chapter; the work's own end note stays at the end.
        assert [(z.chapter, z.label) for z in doc.zones if z.kind == ZONE_CHAPTER_END_NOTES] == [
            (2, ""),
            (3, ""),
        ]
        assert zone_texts(doc, ZONE_CHAPTER_END_NOTES)[0] == "oh bb!Nia, why so many italics?"
        assert zone_texts(doc, ZONE_END_NOTES) == [
            "I think this is my longest published work to date. That's depressing."
        ]
        # AO3's own signposts are not story text.
        for story in zone_texts(doc, ZONE_STORY):
            assert "See the end of the chapter" not in story and "Chapter Notes" not in story
            assert not story.startswith("Chapter ")
    assert from_epub.source_format == "ao3-epub"
    assert from_epub.attributes == from_html.attributes
    attributes = from_epub.attributes
    assert attributes["title"] == ["Fire and Feather"] and attributes["authors"] == ["nianeyna"]
    assert attributes["rating"] == ["General Audiences"]
    assert attributes["fandoms"] == ["Valdemar Series - Mercedes Lackey"]
    assert attributes["characters"] == ["Original Characters"]
    assert attributes["warnings"] == ["No Archive Warnings Apply"] and attributes["categories"] == ["Gen"]
    assert attributes["words"] == ["7526"] and attributes["ao3_work_id"] == ["218676"]
    assert "relationships" not in attributes and "additional_tags" not in attributes  # the work has none
    assert _zones(from_epub) == _zones(from_html)
    assert from_epub.text == from_html.text
    assert_well_formed(from_epub)


@needs_real
def test_importing_the_html_and_the_epub_of_one_work_keeps_one_document(empty_project: ProjectStore) -> None:
    report = import_files(empty_project, [REAL_HTML, REAL_EPUB])
    assert report.failed == []
    [kept] = report.imported
    assert kept.source_format == "ao3-html"
    assert report.duplicates == [(str(REAL_EPUB), kept.id)]
    assert [document.id for document in list_documents(empty_project)] == [kept.id]
