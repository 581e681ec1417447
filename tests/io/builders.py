"""Helpers shared by the importer tests: zone checks and EPUB files built in memory."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx

from annotator.core.text import normalise_text
from annotator.core.types import ImportedDocument
from annotator.io.layout import check_zones

DATA = Path(__file__).parent / "data"
SINGLE_CHAPTER_HTML = DATA / "ao3-single-chapter.html"
MULTI_CHAPTER_HTML = DATA / "ao3-multi-chapter.html"

CONTAINER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def assert_well_formed(doc: ImportedDocument) -> None:
    """What every importer promises: stored-form text, zones in bounds and same-kind disjoint."""
    assert doc.text == normalise_text(doc.text)
    assert "\r" not in doc.text
    check_zones(doc.text, doc.zones)
    for values in doc.attributes.values():
        assert values and all(isinstance(value, str) and value for value in values)


def zone_texts(doc: ImportedDocument, kind: str) -> list[str]:
    return [doc.text[zone.start : zone.end] for zone in doc.zones if zone.kind == kind]


def xhtml(body: str, title: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n'
        f"<head><title>{title}</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def opf(items: list[tuple[str, str]], spine: list[str], title: str = "", creator: str = "") -> str:
    """A package file; ``items`` are (id, href) of XHTML files, ``spine`` their reading order."""
    manifest = "\n".join(
        f'<item id="{item_id}" href="{href}" media-type="application/xhtml+xml"/>' for item_id, href in items
    )
    refs = "\n".join(f'<itemref idref="{item_id}"/>' for item_id in spine)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator></metadata>\n"
        f"<manifest>\n{manifest}\n"
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>\n</manifest>\n'
        f'<spine toc="ncx">\n{refs}\n</spine>\n</package>\n'
    )


def epub_bytes(
    files: dict[str, str | bytes], *, container: str | None = CONTAINER_XML, mimetype: bool = True
) -> bytes:
    """An EPUB zip: ``mimetype`` first and stored, then the container and ``files``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        if container is not None:
            archive.writestr("META-INF/container.xml", container)
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def split_download(html: str) -> tuple[str, str, str]:
    """The preface, chapters and afterword ``div``s of an AO3 download, as Calibre splits them."""
    preface = html[html.index('<div id="preface">') : html.index('<div id="chapters"')]
    chapters = html[html.index('<div id="chapters"') : html.index('<div id="afterword">')]
    afterword = html[html.index('<div id="afterword">') : html.rindex("</body>")]
    return preface, chapters, afterword


def epub_from_download(html: str, *, split_chapters: bool = False) -> bytes:
    """An AO3-style EPUB of a download: preface, chapter file(s) and afterword in spine order.

    With ``split_chapters`` each chapter gets its own file inside a copy of the
    ``div#chapters`` wrapper, the way Calibre splits a long document at chapter headings.
    """
    preface, chapters, afterword = split_download(html)
    parts = [preface]
    if split_chapters:
        inner = chapters.rstrip().removesuffix("</div>")
        pieces = re.split(r'(?=<div class="meta group">\s*<h2 class="heading">)', inner)[1:]
        for index, piece in enumerate(pieces):
            # Later copies of the wrapper lose the id: ids must stay unique in a book.
            wrapper = '<div id="chapters" class="userstuff">' if index == 0 else '<div class="userstuff">'
            parts.append(f"{wrapper}\n{piece}</div>")
    else:
        parts.append(chapters)
    parts.append(afterword)
    names = [f"part{index:03d}.xhtml" for index in range(len(parts))]
    # Manifest in reverse: only the spine decides the reading order.
    items = [(f"p{index}", name) for index, name in reversed(list(enumerate(names)))]
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf(items, [f"p{index}" for index in range(len(parts))], "Ignored")
    }
    for name, body in zip(names, parts, strict=True):
        files[f"OEBPS/{name}"] = xhtml(body)
    return epub_bytes(files)


def docx_bytes(title: str | None = "A Story", *, empty: bool = False) -> bytes:
    """A .docx made with python-docx: headings, runs, an empty paragraph, a break and a table."""
    document = docx.Document()
    if title is not None:
        document.core_properties.title = title
    if not empty:
        document.add_heading("Chapter One", level=1)
        document.add_paragraph("It was a dark night.")
        document.add_paragraph("")
        document.add_paragraph("   ")
        paragraph = document.add_paragraph("She said ")
        paragraph.add_run("“hello”").bold = True
        paragraph.add_run(" and left.")
        document.add_paragraph("Line one").add_run().add_break()
        document.paragraphs[-1].add_run("line two")
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "cell a"
        table.cell(0, 1).text = "cell b"
        document.add_heading("Chapter Two", level=2)
        document.add_paragraph("Morning came.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite_entry(data: bytes, name: str, transform: Callable[[bytes], bytes]) -> bytes:
    """A copy of zip ``data`` with entry ``name`` replaced by ``transform(content)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for info in source.infolist():
            content = source.read(info)
            rebuilt.writestr(info, transform(content) if info.filename == name else content)
    return buffer.getvalue()
