"""Write a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) from plain values (:mod:`.model`).

The file follows the standard's XSD (``Project-mrt2019.xsd``): ``project.qde`` in UTF-8 without
a byte-order mark and each text source as ``sources/<GUID>.txt`` (lower-case, flat). Positions
are written as the caller computed them (code points of the text written, per the standard, or
another convention a peer needs): this module converts nothing.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from typing import BinaryIO
from xml.etree import ElementTree as ET

from annotator.io.refi_qda.model import QdaCode, QdaNote, QdaProject, QdaTextSource

PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
# XML 1.0 cannot hold these at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)


def _add(
    parent: ET.Element, tag: str, attributes: dict[str, str] | None = None, text: str | None = None
) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in (attributes or {}).items() if v != ""})
    if text is not None:
        element.text = _clean(text)
    return element


def _codes(parent: ET.Element, codes: Iterable[QdaCode]) -> None:
    for code in codes:
        attributes = {"guid": code.guid, "name": code.name, "isCodable": "true" if code.codable else "false"}
        attributes["color"] = code.colour
        element = _add(parent, "Code", attributes)
        if code.description:
            _add(element, "Description", text=code.description)
        _codes(element, code.children)


def _source(parent: ET.Element, source: QdaTextSource) -> None:
    element = _add(
        parent,
        "TextSource",
        {
            "guid": source.guid,
            "name": source.name,
            "plainTextPath": f"internal://{source.guid}.txt",
            "creatingUser": source.user_guid,
        },
    )
    if source.description:
        _add(element, "Description", text=source.description)
    for selection in source.selections:
        chosen = _add(
            element,
            "PlainTextSelection",
            {
                "guid": selection.guid,
                "name": selection.name,
                "startPosition": str(selection.start),
                "endPosition": str(selection.end),
                "creatingUser": selection.user_guid,
                "creationDateTime": selection.created,
                "modifyingUser": selection.user_guid,
                "modifiedDateTime": selection.modified,
            },
        )
        for coding in selection.codings:
            written = _add(
                chosen,
                "Coding",
                {"guid": coding.guid, "creatingUser": coding.user_guid, "creationDateTime": coding.created},
            )
            _add(written, "CodeRef", {"targetGUID": coding.code_guid})
        for note in selection.note_guids:
            _add(chosen, "NoteRef", {"targetGUID": note})
    for note in source.note_guids:
        _add(element, "NoteRef", {"targetGUID": note})
    for variable, value in source.values:
        _variable_value(element, variable, value)


def _variable_value(parent: ET.Element, variable: str, value: str) -> None:
    holder = _add(parent, "VariableValue")
    _add(holder, "VariableRef", {"targetGUID": variable})
    _add(holder, "TextValue", text=value)


def _note(parent: ET.Element, note: QdaNote) -> None:
    element = _add(
        parent,
        "Note",
        {
            "guid": note.guid,
            "name": note.name,
            "creatingUser": note.user_guid,
            "creationDateTime": note.created,
            "modifyingUser": note.user_guid,
            "modifiedDateTime": note.modified,
        },
    )
    _add(element, "PlainTextContent", text=note.text)


def project_xml(project: QdaProject) -> bytes:
    """``project.qde``: the project as XML (UTF-8, no byte-order mark)."""
    root = ET.Element("Project", {"xmlns": PROJECT_NAMESPACE, "name": _clean(project.name) or "annotator"})
    if project.origin:
        root.set("origin", _clean(project.origin))
    if project.users:
        users = _add(root, "Users")
        for user in project.users:
            _add(users, "User", {"guid": user.guid, "name": user.name})
    if project.codes:
        _codes(_add(_add(root, "CodeBook"), "Codes"), project.codes)
    if project.variables:
        variables = _add(root, "Variables")
        for variable in project.variables:
            _add(
                variables,
                "Variable",
                {"guid": variable.guid, "name": variable.name, "typeOfVariable": "Text"},
            )
    if project.cases:
        cases = _add(root, "Cases")
        for case in project.cases:
            element = _add(cases, "Case", {"guid": case.guid, "name": case.name})
            for variable_guid, value in case.values:
                _variable_value(element, variable_guid, value)
            for source_guid in case.source_guids:
                _add(element, "SourceRef", {"targetGUID": source_guid})
    if project.sources:
        sources = _add(root, "Sources")
        for source in project.sources:
            _source(sources, source)
    if project.notes:
        notes = _add(root, "Notes")
        for note in project.notes:
            _note(notes, note)
    return _serialised(root)


def codebook_xml(codes: Iterable[QdaCode], origin: str) -> bytes:
    """A ``.qdc`` codebook file: the code tree alone."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NAMESPACE, "origin": _clean(origin)})
    _codes(_add(root, "Codes"), codes)
    return _serialised(root)


def _serialised(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def write_qdpx(project: QdaProject, out: BinaryIO, *, bom: bool = False) -> None:
    """Write ``project`` as a ``.qdpx`` zip to ``out``; each source's ``raw`` text as its ``.txt``.

    ``bom``: start each text file with a UTF-8 byte-order mark (as NVivo writes them).
    """
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml(project))
        for source in project.sources:
            text = (source.raw or "").encode("utf-8")
            archive.writestr(f"sources/{source.guid}.txt", (b"\xef\xbb\xbf" if bom else b"") + text)
