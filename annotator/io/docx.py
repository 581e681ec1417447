"""Import a Word ``.docx``: body paragraphs (and table cells) in order, headings zoned.

The zip is vetted by ``SafeZip`` and every XML part is read under its limits and refused if it
carries a DTD (legitimate Office files never do) before python-docx sees the bytes.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from annotator.core.types import ZONE_HEADING, ImportedDocument
from annotator.io.archive import SafeZip
from annotator.io.errors import DocumentImportError, import_guard
from annotator.io.layout import TextBuilder
from annotator.io.values import clean_title, stem_title

_HEADING_STYLES = ("Heading", "Title", "Subtitle")


@import_guard("Word document")
def read_docx(data: bytes, source_name: str) -> ImportedDocument:
    _vet_package(data, source_name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError) as exc:
        raise DocumentImportError(source_name, f"not a valid Word document ({type(exc).__name__})") from exc
    builder = TextBuilder()
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            _add_paragraph(builder, block)
        elif isinstance(block, Table):
            _add_table(builder, block)
    if builder.is_empty:
        raise DocumentImportError(source_name, "the document contains no text")
    text, zones = builder.build()
    title = clean_title(document.core_properties.title or "") or stem_title(source_name)
    return ImportedDocument(
        title=title,
        source_format="docx",
        text=text,
        attributes={"title": [title]},
        zones=zones,
        source_name=source_name,
    )


def _vet_package(data: bytes, source_name: str) -> None:
    with SafeZip(data, source_name, "Word document") as archive:
        if "word/document.xml" not in archive and "[Content_Types].xml" not in archive:
            archive.fail("no word/document.xml inside")
        for name in archive.names():
            if name.endswith((".xml", ".rels")):
                head = archive.read(name)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    archive.fail(f"{name} declares a DTD or entities, refused for safety")


def _add_paragraph(builder: TextBuilder, paragraph: Paragraph) -> None:
    style = paragraph.style.name if paragraph.style is not None else ""
    is_heading = bool(style) and style.startswith(_HEADING_STYLES)
    text = paragraph.text
    builder.add_paragraphs([text], ZONE_HEADING if is_heading else None, label=text.strip()[:200])


def _add_table(builder: TextBuilder, table: Table) -> None:
    # A merged cell is returned once per grid position it spans; read each cell once.
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            for paragraph in cell.paragraphs:
                _add_paragraph(builder, paragraph)
