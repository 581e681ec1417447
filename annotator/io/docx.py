"""Import a Word ``.docx`` as the text its reader sees: body, then notes and comments as zones.

What is imported (the walk itself is ``docx_text``): the body with tracked changes accepted
(insertions and moves in, deletions out), smart tags, content controls, hyperlinks and text
boxes (each box once, after its anchor paragraph); tables row by row, each cell once. The same
file always gives the same text: nothing depends on object identity or dictionary order.

After the body, each in an ``end_notes`` paratext zone with a heading written into the text:
- **Footnotes**, then **Endnotes**, in the order the body refers to them; the body keeps a
  ``[1]`` (endnotes ``[i]``) marker where Word shows the superscript number, and each note
  starts with the same marker. Separator "notes" and unreferenced notes are not text.
- **Comments** (Word's review comments), in the order their ranges start in the text, one
  paragraph each: ``Author on “commented text”: comment``. Chosen over memos on spans because
  an importer produces text and zones only (annotations belong to coders), and a zone keeps
  every comment visible, searchable and excludable from agreement as paratext in one word.
Headers and footers are left out: they repeat on every page (titles, page numbers) and are not
part of the running text.

Python-docx opens the package (relationships, styles, core properties), but its text API drops
insertions, moves, smart tags, content controls and text boxes. docx2python keeps moved-away
text, doubles text boxes (Choice and Fallback) and repeats merged cells; mammoth reads only the
Fallback of ``mc:AlternateContent`` (a Choice-only text box is lost), does not say which text a
comment covers and fails on a hyperlink whose relationship is missing. Hence our own walk. The zip is
vetted by ``SafeZip`` first; every XML part is read under its limits, refused if it carries a
DTD (legitimate Office files never do), and parsed without entities or network.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import Part
from lxml import etree

from annotator.core.types import ZONE_END_NOTES, ZONE_HEADING, ImportedDocument
from annotator.io.archive import SafeZip
from annotator.io.docx_text import Block, PartReader, W, note_marker, outline_level
from annotator.io.errors import DocumentImportError, import_guard
from annotator.io.layout import TextBuilder
from annotator.io.values import clean_title, stem_title

_HEADING_NAMES = ("heading", "title", "subtitle")
_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_NOTE_PARTS = (("footnote", "footnotes", "Footnotes"), ("endnote", "endnotes", "Endnotes"))
_QUOTE_CHARS = 200
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
)


@import_guard("Word document")
def read_docx(data: bytes, source_name: str) -> ImportedDocument:
    parts = _vetted_xml_parts(data, source_name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError) as exc:
        raise DocumentImportError(source_name, f"not a valid Word document ({type(exc).__name__})") from exc
    headings = _heading_styles(document)
    related = _related_parts(document.part)
    reader = PartReader()
    builder = TextBuilder()
    body = _parse(parts, document.part, source_name).find(f"{W}body")
    for block in reader.blocks(body if body is not None else etree.Element(f"{W}body")):
        _add_block(builder, block, headings)
    for kind, relationship, label in _NOTE_PARTS:
        if relationship in related:
            notes = _parse(parts, related[relationship], source_name)
            _add_notes(builder, reader, notes, kind, label, headings)
    if builder.is_empty:
        raise DocumentImportError(source_name, "the document contains no text")
    if "comments" in related:
        _add_comments(builder, reader, _parse(parts, related["comments"], source_name))
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


def _vetted_xml_parts(data: bytes, source_name: str) -> dict[str, bytes]:
    """Every XML part's bytes, read under the archive's limits; a DTD anywhere is refused."""
    parts: dict[str, bytes] = {}
    with SafeZip(data, source_name, "Word document") as archive:
        if "word/document.xml" not in archive and "[Content_Types].xml" not in archive:
            archive.fail("no word/document.xml inside")
        for name in archive.names():
            if name.endswith((".xml", ".rels")):
                content = archive.read(name)
                if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
                    archive.fail(f"{name} declares a DTD or entities, refused for safety")
                parts[name] = content
    return parts


def _parse(parts: dict[str, bytes], part: Part, source_name: str) -> etree._Element:
    name = str(part.partname).lstrip("/")
    if name not in parts:
        raise DocumentImportError(source_name, f"not a valid Word document ({name} is missing)")
    try:
        root = etree.fromstring(parts[name], _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocumentImportError(source_name, f"not a valid Word document ({name}: {exc})") from exc
    if root.getroottree().docinfo.doctype:  # a DTD in an encoding the byte scan cannot see
        raise DocumentImportError(source_name, f"{name} declares a DTD or entities, refused for safety")
    return root


def _related_parts(main: Part) -> dict[str, Part]:
    """The main document's notes and comments parts, by relationship name ("footnotes")."""
    related: dict[str, Part] = {}
    for relationship in sorted(main.rels.values(), key=lambda rel: rel.rId):
        name = relationship.reltype.removeprefix(_RELATIONSHIP)
        if not relationship.is_external and name in ("footnotes", "endnotes", "comments"):
            related.setdefault(name, relationship.target_part)
    return related


def _heading_styles(document: docx.document.Document) -> frozenset[str]:
    """Ids of paragraph styles that make a heading: named so, given an outline level, or based
    on such a style (e.g. a custom "Myheading2" based on "heading 2")."""
    headings: set[str] = set()
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        base, depth = style, 0
        while base is not None and depth < 20:  # style chains can loop in broken files
            properties = base.element.find(f"{W}pPr")
            name = (base.name or "").lower()
            if name.startswith(_HEADING_NAMES) or (
                properties is not None and outline_level(properties) is not None
            ):
                headings.add(style.style_id)
                break
            base, depth = base.base_style, depth + 1
    return frozenset(headings)


def _add_block(builder: TextBuilder, block: Block, headings: frozenset[str], prefix: str = "") -> None:
    is_heading = block.outline is not None or block.style in headings
    text = f"{prefix}{block.text}"
    builder.add_paragraphs([text], ZONE_HEADING if is_heading else None, label=text.strip()[:200])


def _add_notes(
    builder: TextBuilder,
    reader: PartReader,
    notes: etree._Element,
    kind: str,
    label: str,
    headings: frozenset[str],
) -> None:
    by_id = {
        note.get(f"{W}id", ""): note
        for note in notes.iter(f"{W}{kind}")
        if note.get(f"{W}type", "normal") == "normal"
    }
    order = reader.note_order[kind]
    if not any(note_id in by_id for note_id in order):
        return
    heading = builder.add_paragraphs([label], ZONE_HEADING, label=label)
    end = heading[1] if heading else 0
    number = 0
    while number < len(order):  # a note may refer to a further note, appended to ``order``
        note_id = order[number]
        number += 1
        if note_id not in by_id:
            continue
        marker = f"[{note_marker(kind, number)}] "
        blocks = reader.blocks(by_id[note_id]) or [Block("")]
        for index, block in enumerate(blocks):
            first = index == 0  # Word writes a space after the note's own number; ours replaces it
            added = builder.add_paragraphs([f"{marker}{block.text.lstrip()}" if first else block.text])
            end = added[1] if added else end
    if heading:
        builder.add_zone(ZONE_END_NOTES, heading[0], end, label=label)


def _add_comments(builder: TextBuilder, reader: PartReader, comments: etree._Element) -> None:
    by_id = {comment.get(f"{W}id", ""): comment for comment in comments.iter(f"{W}comment")}
    # Comments in the order their ranges appear; any the text never points to, after them.
    order = [cid for cid in reader.comment_order if cid in by_id]
    order += [cid for cid in by_id if cid not in order]
    paragraphs: list[str] = []
    comment_reader = PartReader()
    for comment_id in order:
        comment = by_id[comment_id]
        author = " ".join(comment.get(f"{W}author", "").split()) or "Comment"
        quote = _quote("".join(reader.comment_quotes.get(comment_id, [])))
        lines = [block.text for block in comment_reader.blocks(comment) if block.text.strip()]
        lead = f"{author} on “{quote}”: " if quote else f"{author}: "
        paragraphs.append(lead + (lines[0] if lines else ""))
        paragraphs.extend(lines[1:])
    if not paragraphs:
        return
    heading = builder.add_paragraphs(["Comments"], ZONE_HEADING, label="Comments")
    added = builder.add_paragraphs(paragraphs)
    if heading and added:
        builder.add_zone(ZONE_END_NOTES, heading[0], added[1], label="Comments")


def _quote(text: str) -> str:
    quote = " ".join(text.split())
    return quote if len(quote) <= _QUOTE_CHARS else quote[: _QUOTE_CHARS - 1].rstrip() + "…"
