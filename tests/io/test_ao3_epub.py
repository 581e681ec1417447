"""AO3 EPUB import: the same work as an EPUB gives the same document as its HTML download."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotator.core.types import ZONE_STORY, ZONE_TITLE
from annotator.io.ao3_epub import read_ao3_epub
from annotator.io.ao3_html import read_ao3_html
from annotator.io.errors import DocumentImportError
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
