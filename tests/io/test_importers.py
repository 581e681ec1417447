"""The dispatcher: which importer a file gets, and that reading problems become import errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.io import importers
from annotator.io.errors import DocumentImportError
from annotator.io.importers import SUPPORTED_SUFFIXES, read_document
from tests.io.builders import SINGLE_CHAPTER_HTML, docx_bytes, epub_from_download

SAMPLE_HTML = SINGLE_CHAPTER_HTML.read_bytes()


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".html", ".htm", ".epub", ".docx", ".md", ".markdown"}


@pytest.mark.parametrize(
    ("name", "data", "source_format"),
    [
        ("a.txt", b"Plain words.", "text"),
        ("a.TXT", b"Plain words.", "text"),
        ("a.html", SAMPLE_HTML, "ao3-html"),
        ("a.htm", SAMPLE_HTML, "ao3-html"),
        ("a.epub", epub_from_download(SAMPLE_HTML.decode()), "ao3-epub"),
        ("a.docx", docx_bytes(), "docx"),
        ("a.md", b"# Title\n\nText.", "markdown"),
        ("a.markdown", b"# Title\n\nText.", "markdown"),
    ],
)
def test_the_extension_chooses_the_importer(
    tmp_path: Path, name: str, data: bytes, source_format: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.source_format == source_format
    assert doc.source_name == name


def test_html_saved_as_txt_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "source.txt"
    path.write_bytes(b"<html><body><p>Tags are the subject here.</p></body></html>")
    doc = read_document(path)
    assert doc.source_format == "text"
    assert "<p>" in doc.text


@pytest.mark.parametrize(
    ("name", "data", "source_format"),
    [
        ("renamed.html", epub_from_download(SAMPLE_HTML.decode()), "ao3-epub"),
        ("wrong.epub", docx_bytes(), "docx"),
        ("no-extension", SAMPLE_HTML, "ao3-html"),
        ("no-extension-zip", docx_bytes(), "docx"),
        ("no-extension-text", b"Just a story.", "text"),
    ],
)
def test_content_overrides_or_replaces_the_extension(
    tmp_path: Path, name: str, data: bytes, source_format: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert read_document(path).source_format == source_format


def test_an_unsupported_extension_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "story.rtf"
    path.write_bytes(b"{\\rtf1 hello}")
    with pytest.raises(DocumentImportError, match=r"^story\.rtf: unsupported file type '\.rtf'"):
        read_document(path)


def test_a_missing_file_is_an_import_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentImportError, match=r"^gone\.txt: cannot be read"):
        read_document(tmp_path / "gone.txt")


def test_a_directory_is_an_import_error(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(DocumentImportError, match=r"^folder\.txt: cannot be read"):
        read_document(folder)


def test_an_oversized_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 11)
    with pytest.raises(DocumentImportError, match=r"^big\.txt: file is too large"):
        read_document(path)


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_an_empty_file_is_an_error_for_every_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    with pytest.raises(DocumentImportError, match=rf"^empty{suffix}: file is empty$"):
        read_document(path)
