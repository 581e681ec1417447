"""Broken and hostile files: each fails with a one-line message or imports harmlessly.

Nothing here may hang, exhaust memory, read local files, touch the network, or leak a raw
exception type to the user.
"""

from __future__ import annotations

import io
import os
import random
import socket
import struct
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from annotator.io import archive
from annotator.io.ao3_epub import read_ao3_epub
from annotator.io.ao3_html import read_ao3_html
from annotator.io.docx import read_docx
from annotator.io.errors import DocumentImportError
from annotator.io.importers import read_document
from annotator.io.markdown import read_markdown
from annotator.io.text import read_text
from annotator.io.values import MAX_TITLE_CHARS, MAX_VALUE_CHARS, MAX_VALUES_PER_ATTRIBUTE, stem_title
from tests.io.builders import (
    CONTAINER_XML,
    SINGLE_CHAPTER_HTML,
    assert_well_formed,
    docx_bytes,
    epub_bytes,
    epub_from_download,
    opf,
    rewrite_entry,
    xhtml,
)

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
RANDOM_BYTES = random.Random(7).randbytes(4096)
READERS = [read_text, read_markdown, read_ao3_html]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection from Python fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"an importer tried to use the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


# --- empty and binary ------------------------------------------------------------------------


@pytest.mark.parametrize("reader", [*READERS, read_ao3_epub, read_docx])
def test_empty_input(reader) -> None:
    with pytest.raises(DocumentImportError, match=r"^x: (file is empty|not a valid .*\(file is empty\))$"):
        reader(b"", "x")


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (RANDOM_BYTES, "looks like binary data, not text"),
        (PNG_HEADER, "looks like a PNG image, not text"),
        (bytes(range(1, 32)) * 50, "looks like binary data, not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF document, not text"),
    ],
    ids=["random", "png", "controls", "pdf"],
)
def test_binary_data_is_refused_by_text_formats(reader, data: bytes, message: str) -> None:
    with pytest.raises(DocumentImportError) as caught:
        reader(data, "x.bin")
    assert str(caught.value) == f"x.bin: {message}"


def test_random_bytes_without_nul_are_still_refused() -> None:
    data = bytes(b for b in RANDOM_BYTES if b)
    with pytest.raises(DocumentImportError, match="looks like binary data"):
        read_text(data, "x.bin")


@pytest.mark.parametrize("reader", [read_ao3_epub, read_docx])
@pytest.mark.parametrize("data", [RANDOM_BYTES, PNG_HEADER, b"plain text"], ids=["random", "png", "text"])
def test_non_zips_are_refused_by_zip_formats(reader, data: bytes) -> None:
    with pytest.raises(DocumentImportError, match=r"^x: not a valid .*\(not a zip archive\)$"):
        reader(data, "x")


# --- lying and legacy encodings --------------------------------------------------------------


def test_cp1252_text_with_curly_quotes_decodes() -> None:
    text = "“Don’t,” she said — and meant it. Café."
    assert read_text(text.encode("cp1252"), "x.txt").text == text


def test_html_declaring_utf8_but_written_in_cp1252_decodes_sensibly() -> None:
    html = '<html><head><meta charset="utf-8"></head><body><p>“Don’t,” he said. Naïve café.</p>'
    doc = read_ao3_html(html.encode("cp1252"), "lying.html")
    assert doc.text.endswith("“Don’t,” he said. Naïve café.")
    assert "\ufffd" not in doc.text


def test_html_declaring_a_legacy_charset_uses_it() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body><p>Привет, мир.</p></body></html>'
    assert read_ao3_html(html.encode("cp1251"), "ru.html").text.endswith("Привет, мир.")


@pytest.mark.parametrize("reader", READERS)
def test_utf16_with_bom_works(reader) -> None:
    data = "\ufeff“Title”\n\nBody text é.".encode("utf-16-le")
    assert "Body text é." in reader(data, "u16").text


def test_a_bom_that_lies_is_an_error() -> None:
    with pytest.raises(DocumentImportError, match="UTF-16-LE byte-order mark but is not valid"):
        read_text(b"\xff\xfea\x00\x00\xd8", "x.txt")  # a lone surrogate


# --- zips: truncation, bombs, paths -------------------------------------------------------------


@pytest.mark.parametrize("reader", [read_ao3_epub, read_docx])
def test_truncated_zip(reader) -> None:
    data = epub_from_download(SINGLE_CHAPTER_HTML.read_text(encoding="utf-8"))
    with pytest.raises(DocumentImportError) as caught:
        reader(data[: len(data) // 2], "story.epub")
    assert str(caught.value).startswith("story.epub: not a valid ")
    assert str(caught.value).endswith(" (zip is truncated)")


def _bomb(size_mb: int, level: int) -> bytes:
    """A valid EPUB skeleton plus one entry of ``size_mb`` MB of zeros, written streaming."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as bomb:
        bomb.writestr("mimetype", "application/epub+zip")
        bomb.writestr("META-INF/container.xml", CONTAINER_XML)
        bomb.writestr("OEBPS/content.opf", opf([("a", "bomb.xhtml")], ["a"]))
        with bomb.open("OEBPS/bomb.xhtml", "w", force_zip64=True) as entry:
            chunk = bytes(1 << 20)
            for _ in range(size_mb):
                entry.write(chunk)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def big_bomb() -> bytes:
    return _bomb(300, level=1)  # ~1.3 MB on disk, ~0.7 s to build


@pytest.mark.parametrize("reader", [read_ao3_epub, read_docx])
def test_zip_bomb_is_refused_from_its_headers(
    reader, big_bomb: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused without decompressing a byte (how long that takes: benchmarks/bench_zip_bomb.py)."""
    assert len(big_bomb) < 2 * 2**20
    opened: list[object] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        opened.append(name)
        return real_open(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    with pytest.raises(DocumentImportError, match=r"unpacks to 300 MB, more than the 200 MB allowed"):
        reader(big_bomb, "bomb")
    assert opened == []  # no entry was opened, so nothing was decompressed


def test_a_small_bomb_is_refused_by_its_compression_ratio() -> None:
    with pytest.raises(DocumentImportError, match=r"bomb\.xhtml' expands [\d,]+-fold \(a zip bomb\?\)"):
        read_ao3_epub(_bomb(20, level=9), "bomb.epub")


def _patch_sizes(data: bytes, name: bytes, size: int) -> bytes:
    """Make the local and central headers of entry ``name`` declare ``size`` bytes (a lie)."""
    patched = bytearray(data)
    for signature, field_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        position = patched.find(signature)
        while position >= 0:
            if patched[position + name_offset : position + name_offset + len(name)] == name:
                struct.pack_into("<I", patched, position + field_offset, size)
            position = patched.find(signature, position + 4)
    return bytes(patched)


def test_a_header_understating_the_size_is_caught_while_reading() -> None:
    page = xhtml("<p>" + "words " * 50_000 + "</p>")
    data = epub_bytes({"OEBPS/content.opf": opf([("a", "a.xhtml")], ["a"]), "OEBPS/a.xhtml": page})
    liar = _patch_sizes(data, b"OEBPS/a.xhtml", 1_000)
    with pytest.raises(DocumentImportError, match=r"a\.xhtml' is damaged"):
        read_ao3_epub(liar, "liar.epub")


def test_the_read_budget_is_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads stop at the total budget even when every header passed the checks."""
    data = epub_from_download(SINGLE_CHAPTER_HTML.read_text(encoding="utf-8"))
    opened = archive.SafeZip(data, "x.epub", "EPUB")
    monkeypatch.setattr(opened, "_budget", 100)
    with pytest.raises(DocumentImportError, match="is larger than its header says"):
        opened.read("OEBPS/part001.xhtml")


@pytest.mark.parametrize(
    "evil", ["../evil.xhtml", "OEBPS/../../evil.xhtml", "/etc/evil.xhtml", "C:/evil.xhtml", "..\\evil"]
)
@pytest.mark.parametrize("reader", [read_ao3_epub, read_docx])
def test_unsafe_paths_in_a_zip_are_refused(reader, evil: str) -> None:
    data = epub_bytes({"OEBPS/content.opf": opf([], []), evil: "<p>x</p>"})
    with pytest.raises(DocumentImportError, match=r"unsafe path '.*evil.*' in the archive"):
        reader(data, "x.zip")


def test_too_many_entries_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
    files: dict[str, str | bytes] = {f"OEBPS/{n}.xhtml": "x" for n in range(6)}
    with pytest.raises(DocumentImportError, match=r"zip has 8 entries, more than the 5 allowed"):
        read_ao3_epub(epub_bytes(files), "many.epub")


# --- XML entity tricks -----------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n' for n in range(1, 10)
    )
    + "]>\n"
)


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-MARKER")
    return path


def test_billion_laughs_in_container_xml_is_refused() -> None:
    container = BILLION_LAUGHS + CONTAINER_XML.split("?>", 1)[1].replace("<rootfiles>", "&lol9;<rootfiles>")
    data = epub_bytes({"OEBPS/content.opf": opf([], [])}, container=container)
    with pytest.raises(DocumentImportError, match=r"container\.xml declares XML entities"):
        read_ao3_epub(data, "lol.epub")


def test_billion_laughs_in_the_package_is_refused() -> None:
    package = BILLION_LAUGHS + opf([("a", "a.xhtml")], ["a"], "&lol9;").split("?>", 1)[1]
    data = epub_bytes({"OEBPS/content.opf": package, "OEBPS/a.xhtml": xhtml("<p>x</p>")})
    with pytest.raises(DocumentImportError, match=r"content\.opf declares XML entities"):
        read_ao3_epub(data, "lol.epub")


def test_external_entity_in_the_package_is_refused(secret_file: Path) -> None:
    package = (
        f'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret_file}">]>\n'
        + opf([("a", "a.xhtml")], ["a"], "&x;").split("?>", 1)[1]
    )
    data = epub_bytes({"OEBPS/content.opf": package, "OEBPS/a.xhtml": xhtml("<p>x</p>")})
    with pytest.raises(DocumentImportError, match="refused for safety"):
        read_ao3_epub(data, "xxe.epub")


def test_external_entity_in_a_chapter_is_refused(secret_file: Path) -> None:
    page = (
        f'<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret_file}">]>\n'
        "<html><body><p>&x;</p></body></html>"
    )
    data = epub_bytes({"OEBPS/content.opf": opf([("a", "a.xhtml")], ["a"]), "OEBPS/a.xhtml": page})
    with pytest.raises(DocumentImportError, match=r"a\.xhtml: declares XML entities, refused"):
        read_ao3_epub(data, "xxe.epub")


def test_entities_in_an_html_file_are_refused(secret_file: Path) -> None:
    page = f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret_file}">]><html><body><p>&x;</p>'
    with pytest.raises(DocumentImportError, match="declares XML entities, refused for safety"):
        read_ao3_html(page.encode(), "xxe.html")


def test_a_dtd_inside_a_docx_is_refused(secret_file: Path) -> None:
    doctype = f'?><!DOCTYPE w [<!ENTITY x SYSTEM "file://{secret_file}">]>'.encode()
    data = rewrite_entry(docx_bytes(), "word/document.xml", lambda xml: xml.replace(b"?>", doctype, 1))
    with pytest.raises(DocumentImportError, match=r"word/document\.xml declares a DTD"):
        read_docx(data, "xxe.docx")


# --- active HTML content --------------------------------------------------------------------

ACTIVE_HTML = """<html><head><title>Active</title>
<script>var leak = "SCRIPT-TEXT";</script><style>p { color: red } /* STYLE-TEXT */</style>
<link rel="stylesheet" href="http://example.invalid/LINK.css"></head><body>
<div id="chapters" class="userstuff"><div class="userstuff">
<p>Before <script>document.write("INLINE-SCRIPT")</script>after.</p>
<p><img src="file:///etc/passwd" alt="IMG-ALT"><img src="http://example.invalid/x.png"></p>
<iframe src="file:///etc/passwd">IFRAME-TEXT</iframe>
<object data="http://example.invalid/x.swf"><p>OBJECT-FALLBACK</p></object>
<embed src="x.swf"><noscript>NOSCRIPT-TEXT</noscript><template><p>TEMPLATE-TEXT</p></template>
<svg><text>SVG-TEXT</text><script>SVG-SCRIPT</script></svg>
<p><a href="javascript:alert('JS-HREF')" onclick="alert('ONCLICK')">click here</a> and
<a href="http://example.invalid/">a web link</a>.</p>
<!-- COMMENT-TEXT --><![CDATA[CDATA-TEXT]]>
<form><input value="INPUT-VALUE"><textarea>TEXTAREA-TEXT</textarea><button>BUTTON-TEXT</button></form>
<p>The end.</p>
</div></div></body></html>"""


def test_active_html_content_leaves_no_text_and_fetches_nothing() -> None:
    doc = read_ao3_html(ACTIVE_HTML.encode(), "active.html")
    for marker in (
        "SCRIPT",
        "STYLE",
        "LINK",
        "IMG-ALT",
        "IFRAME",
        "OBJECT",
        "NOSCRIPT",
        "TEMPLATE",
        "SVG",
        "JS-HREF",
        "ONCLICK",
        "COMMENT",
        "CDATA",
        "INPUT",
        "TEXTAREA",
        "BUTTON",
        "root:",
        "javascript",
        "example.invalid",
        "passwd",
    ):
        assert marker not in doc.text, marker
    assert doc.text == "Active\n\nBefore after.\n\nclick here and a web link.\n\nThe end."
    assert_well_formed(doc)


def test_active_content_in_markdown_leaves_no_text() -> None:
    source = (
        "Before <script>INLINE-SCRIPT</script> after.\n\n<script>\nBLOCK-SCRIPT\n</script>\n\n"
        "[click](javascript:alert('JS')) ![IMG-ALT](file:///etc/passwd)\n"
    )
    doc = read_markdown(source.encode(), "x.md")
    assert "SCRIPT" not in doc.text and "IMG-ALT" not in doc.text and "javascript" not in doc.text
    assert "Before  after." in doc.text and "click" in doc.text


def test_deep_nesting_does_not_crash() -> None:
    depth = 5_000  # far past Python's recursion limit
    html = "<div>" * depth + "<p>Deep text.</p>" + "</div>" * depth
    assert read_ao3_html(html.encode(), "deep.html").text.endswith("Deep text.")


# --- oversized names -------------------------------------------------------------------------


def test_huge_titles_and_tags_are_capped() -> None:
    long_title = "T" * 10_000
    tags = "".join(f'<a href="/tags/{n}">tag {n}</a>, ' for n in range(MAX_VALUES_PER_ATTRIBUTE + 500))
    html = (
        f'<div id="preface"><div class="meta"><dl class="tags"><dt>Additional Tags:</dt><dd>{tags}</dd>'
        f"<dt>Fandom:</dt><dd><a href='#'>{'F' * 10_000}</a></dd>"
        f"<dt>{'K' * 10_000}:</dt><dd>odd</dd></dl>"
        f'<h1>{long_title}</h1><div class="byline">by <a rel="author">{"A " * 5_000}</a></div>'
        '</div></div><div id="chapters" class="userstuff"><div class="userstuff"><p>x</p></div></div>'
    )
    doc = read_ao3_html(html.encode(), "big.html")
    assert doc.title == "T" * MAX_TITLE_CHARS
    assert doc.attributes["title"] == ["T" * MAX_TITLE_CHARS]
    assert doc.attributes["fandoms"] == ["F" * MAX_VALUE_CHARS]
    assert len(doc.attributes["additional_tags"]) == MAX_VALUES_PER_ATTRIBUTE
    assert all(len(author) <= MAX_VALUE_CHARS for author in doc.attributes["authors"])
    assert all(len(key) <= 64 for key in doc.attributes)
    assert doc.text.startswith("T" * MAX_TITLE_CHARS + "\n\n")


def test_huge_markdown_heading_and_docx_title_are_capped() -> None:
    assert len(read_markdown(("# " + "H" * 10_000 + "\n\nx").encode(), "m.md").title) == MAX_TITLE_CHARS
    # python-docx refuses to write a title over 255 characters; a hostile file just has one.
    data = rewrite_entry(
        docx_bytes(title="short"), "docProps/core.xml", lambda xml: xml.replace(b"short", b"D" * 10_000)
    )
    assert read_docx(data, "d.docx").title == "D" * MAX_TITLE_CHARS


def test_errors_are_one_line_and_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "weird\nname.epub"
    path.write_bytes(os.urandom(64) + b"\n" * 3)
    with pytest.raises(DocumentImportError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("weird name.epub: not a valid EPUB")


# --- file names that are not UTF-8 -------------------------------------------------------------


def _named(tmp_path: Path, raw: bytes, content: bytes) -> Path:
    """A file in ``tmp_path`` whose name is the bytes ``raw``, as Python sees it (lone surrogates)."""
    if sys.platform in ("win32", "darwin"):
        pytest.skip("the file system stores names as Unicode")
    path = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), raw)))
    path.write_bytes(content)
    return path


def test_a_file_name_that_is_not_utf8_imports_under_an_escaped_name(tmp_path: Path) -> None:
    """The raw name held lone surrogates, which no database accepts: the import died on it."""
    doc = read_document(_named(tmp_path, b"caf\xe9 story.txt", b"Words."))
    assert (doc.source_name, doc.title, doc.text) == ("caf\\xe9 story.txt", "caf\\xe9 story", "Words.")
    doc.source_name.encode("utf-8")


def test_a_broken_file_with_such_a_name_is_reported_in_one_printable_line(tmp_path: Path) -> None:
    path = _named(tmp_path, b"bad\xff\n\x1b.epub", b"not a zip")
    with pytest.raises(DocumentImportError) as caught:
        read_document(path)
    message = str(caught.value)
    message.encode("utf-8")
    assert message == "bad\\xff \x1b.epub: not a valid EPUB (not a zip archive)"  # the CLI escapes ESC
    assert caught.value.source_name == "bad\\xff\n\x1b.epub"


@pytest.mark.parametrize(
    ("source_name", "title"),
    [
        ("caf\\xe9.txt", "caf\\xe9"),
        ("a\\udcff\\u00e9.md", "a\\udcff\\u00e9"),
        ("C:\\Users\\ana\\story.txt", "story"),
        ("works/ana/story.html", "story"),
        ("folder\\xyz.txt", "xyz"),  # not an escape: "\\x" and two hex digits is
        ("", "Untitled"),
    ],
)
def test_titles_from_file_names_keep_escaped_bytes(source_name: str, title: str) -> None:
    assert stem_title(source_name) == title
