"""Build .docx packages part by part, with the XML Word itself writes (for the Word importer's tests).

python-docx cannot write tracked changes, content controls, text boxes, notes or comments, so
these helpers write the package by hand: content types, relationships and the parts, each
namespaced and laid out like the parts of real Word files (tests/io/test_docx_structures.py).
"""

from __future__ import annotations

import io
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'mc:Ignorable="w14"'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
# part name -> (relationship type, content type), for the optional parts a test may add
_PARTS = {
    "footnotes": ("footnotes", f"{_CT}.footnotes+xml"),
    "endnotes": ("endnotes", f"{_CT}.endnotes+xml"),
    "comments": ("comments", f"{_CT}.comments+xml"),
    "styles": ("styles", f"{_CT}.styles+xml"),
    "header1": ("header", f"{_CT}.header+xml"),
}
_ROOTS = {
    "footnotes": "w:footnotes",
    "endnotes": "w:endnotes",
    "comments": "w:comments",
    "styles": "w:styles",
    "header1": "w:hdr",
}


def run(text: str, props: str = "") -> str:
    """A run as Word writes it: ``xml:space="preserve"`` when the text has edge spaces."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}<w:t{space}>{text}</w:t></w:r>"


def para(*inline: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{''.join(inline)}</w:p>"


def separator_notes(tag: str) -> str:
    """The two notes Word puts first in footnotes.xml/endnotes.xml: the separator lines."""
    return (
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:{tag}>"
    )


def docx_package(body: str, **parts: str) -> bytes:
    """A .docx whose body is ``body`` plus optional parts (``footnotes=``, ``comments=``…).

    Each part's value is the inner XML of its root element; the part is related from the main
    document and declared in ``[Content_Types].xml`` as Word does.
    """
    overrides = [f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>']
    relationships = []
    entries = {}
    for index, (name, inner) in enumerate(sorted(parts.items()), start=1):
        reltype, content_type = _PARTS[name]
        overrides.append(f'<Override PartName="/word/{name}.xml" ContentType="{content_type}"/>')
        relationships.append(f'<Relationship Id="rId{index}" Type="{_REL}/{reltype}" Target="{name}.xml"/>')
        root = _ROOTS[name]
        entries[f"word/{name}.xml"] = _xml(f"<{root} {NAMESPACES}>{inner}</{root}>")
    entries["[Content_Types].xml"] = _xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>"
    )
    entries["_rels/.rels"] = _xml(
        f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    entries["word/_rels/document.xml.rels"] = _xml(
        f'<Relationships xmlns="{_PKG_REL}">{"".join(relationships)}</Relationships>'
    )
    entries["word/document.xml"] = _xml(
        f"<w:document {NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in entries.items():
            package.writestr(name, content)
    return buffer.getvalue()


def _xml(content: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + content).encode()


def text_box(*paragraphs: str, choice: bool = True, fallback: bool = True) -> str:
    """A run anchoring a text box as Word 2010+ writes it: a DrawingML shape in ``mc:Choice``
    and the same box again as VML in ``mc:Fallback`` for older readers."""
    content = f"<w:txbxContent>{''.join(paragraphs)}</w:txbxContent>"
    drawing = (
        '<w:drawing><wp:anchor><wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f"<wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    vml = f'<w:pict><v:shape id="Text Box 1"><v:textbox>{content}</v:textbox></v:shape></w:pict>'
    alternatives = (f'<mc:Choice Requires="wps">{drawing}</mc:Choice>' if choice else "") + (
        f"<mc:Fallback>{vml}</mc:Fallback>" if fallback else ""
    )
    return f"<w:r><mc:AlternateContent>{alternatives}</mc:AlternateContent></w:r>"


def cell(*paragraphs: str, props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{''.join(paragraphs)}</w:tc>"


def table(*rows: str, columns: int = 2) -> str:
    grid = "<w:gridCol w:w='2000'/>" * columns
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def row(*cells: str, props: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"
