"""Read a REFI-QDA project exchange file (``.qdpx``) into plain values (:mod:`.model`).

Strict where safety needs it: the zip goes through :class:`~annotator.io.archive.SafeZip` (bombs,
traversal, encryption) and the XML through defusedxml with DTDs, entities and external references
refused. Tolerant of what vendors write: any single ``*.qde`` name, ``Sources/`` or ``sources/``,
paths with or without ``internal://``, GUIDs in either case and with braces, colours as ``#rgb``,
``rrggbb``, ``#aarrggbb`` or ``rgb(r, g, b)``, the namespace present or missing.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from xml.etree.ElementTree import Element

import defusedxml
import defusedxml.ElementTree

from annotator.core.validation import MAX_CODE_DEPTH
from annotator.io.archive import SafeZip
from annotator.io.errors import DocumentImportError
from annotator.io.limits import check_text_length
from annotator.io.refi_qda.model import (
    QdaCase,
    QdaCode,
    QdaCoding,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaTextSource,
    QdaUser,
    QdaVariable,
    guid_key,
)

KIND = "REFI-QDA project"
_OTHER_SOURCES = {
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,[^)]*)?\)$", re.I)
_INTERNAL = re.compile(r"^internal:/*", re.I)


def read_qdpx(data: bytes, source_name: str) -> QdaProject:
    """The project in ``data`` (a ``.qdpx``); raises DocumentImportError with one line if unreadable."""
    try:
        return _read(data, source_name)
    except DocumentImportError:
        raise
    except (RecursionError, MemoryError, ValueError, KeyError, OSError) as exc:  # one line, not a traceback
        raise DocumentImportError(
            source_name, f"could not be read as a {KIND} ({type(exc).__name__})"
        ) from exc


def _read(data: bytes, source_name: str) -> QdaProject:
    with SafeZip(data, source_name, KIND) as archive:
        qde = [name for name in archive.names() if name.lower().endswith(".qde")]
        if len(qde) != 1:
            found = "no .qde file" if not qde else f"{len(qde)} .qde files"
            archive.fail(f"{found} inside; a project holds exactly one")
        root = parse_xml(archive.read(qde[0]), source_name)
        return _Reader(archive, source_name).project(root)


def parse_xml(data: bytes, source_name: str) -> Element:
    """Parse ``data`` refusing DTDs, entities and external references; tags lose their namespace."""
    try:
        root = defusedxml.ElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        raise DocumentImportError(
            source_name, f"not a valid {KIND} (the XML declares {type(exc).__name__})"
        ) from exc
    except SyntaxError as exc:  # ElementTree.ParseError
        raise DocumentImportError(source_name, f"not a valid {KIND} (XML error: {exc})") from exc
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    return root


def read_colour(value: str) -> str:
    """``value`` as ``#rrggbb``, or "" when it is no colour we can read."""
    value = value.strip()
    hex_match = _HEX.match(value)
    if hex_match:
        digits = hex_match.group(1).lower()
        if len(digits) == 3:
            return "#" + "".join(d * 2 for d in digits)
        return "#" + (digits[2:] if len(digits) == 8 else digits)  # 8 digits: .NET's ARGB
    rgb_match = _RGB.match(value)
    if rgb_match and all(int(part) <= 255 for part in rgb_match.groups()):
        return "#" + "".join(f"{int(part):02x}" for part in rgb_match.groups())
    return ""


def _children(element: Element, tag: str) -> list[Element]:
    return [child for child in element if child.tag == tag]


def _text_of(element: Element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "") if child is not None else ""


def _refs(element: Element, tag: str) -> tuple[str, ...]:
    return tuple(guid_key(ref.get("targetGUID", "")) for ref in _children(element, tag))


def _values(element: Element) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in _children(element, "VariableValue"):
        ref = value.find("VariableRef")
        if ref is None:
            continue
        shown = next((child.text or "" for child in value if child.tag.endswith("Value")), "")
        pairs.append((guid_key(ref.get("targetGUID", "")), shown.strip()))
    return tuple(pairs)


def _position(value: str | None) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return -1


class _Reader:
    def __init__(self, archive: SafeZip, source_name: str) -> None:
        self.archive = archive
        self.source_name = source_name
        self.warnings: list[str] = []
        # Entry names by their lower-cased base name, for internal:// paths of any case.
        self.entries: dict[str, list[str]] = {}
        for name in archive.names():
            self.entries.setdefault(posixpath.basename(name).lower(), []).append(name)

    def project(self, root: Element) -> QdaProject:
        if root.tag != "Project":
            self.archive.fail(f"its .qde holds <{root.tag}>, not <Project>")
        users = tuple(
            QdaUser(guid_key(u.get("guid", "")), (u.get("name") or u.get("id") or "").strip())
            for users in _children(root, "Users")
            for u in _children(users, "User")
        )
        codebook = root.find("CodeBook")
        codes_element = codebook.find("Codes") if codebook is not None else None
        codes = (
            tuple(self.code(c, 1) for c in _children(codes_element, "Code"))
            if codes_element is not None
            else ()
        )
        sources: list[QdaTextSource] = []
        skipped: list[tuple[str, str]] = []
        for container in _children(root, "Sources"):
            for element in container:
                if element.tag == "TextSource":
                    sources.append(self.text_source(element))
                elif element.tag in _OTHER_SOURCES:
                    skipped.append(
                        (element.get("name") or element.get("guid") or "", _OTHER_SOURCES[element.tag])
                    )
        notes = tuple(self.note(n) for notes in _children(root, "Notes") for n in _children(notes, "Note"))
        variables = tuple(
            QdaVariable(
                guid_key(v.get("guid", "")), (v.get("name") or "").strip(), v.get("typeOfVariable") or "Text"
            )
            for group in _children(root, "Variables")
            for v in _children(group, "Variable")
        )
        cases = tuple(
            QdaCase(guid_key(c.get("guid", "")), c.get("name") or "", _values(c), _refs(c, "SourceRef"))
            for group in _children(root, "Cases")
            for c in _children(group, "Case")
        )
        sets = tuple(
            (s.get("name") or "", sum(1 for child in s if child.tag.startswith("Member")))
            for group in _children(root, "Sets")
            for s in _children(group, "Set")
        )
        return QdaProject(
            name=root.get("name") or "",
            origin=root.get("origin") or "",
            users=users,
            codes=codes,
            variables=variables,
            cases=cases,
            sources=tuple(sources),
            notes=notes,
            skipped_sources=tuple(skipped),
            sets=sets,
            warnings=tuple(self.warnings),
        )

    def code(self, element: Element, depth: int) -> QdaCode:
        if depth > MAX_CODE_DEPTH:
            self.archive.fail(f"its codebook nests codes more than {MAX_CODE_DEPTH} deep")
        written = element.get("color") or ""
        colour = read_colour(written) if written else ""
        name = (element.get("name") or "").strip()
        if written and not colour:
            self.warnings.append(
                f"code {name!r}: colour {written[:20]!r} is not one we can read; given a new one"
            )
        return QdaCode(
            guid=guid_key(element.get("guid", "")),
            name=name,
            codable=(element.get("isCodable") or "true").strip().lower() not in ("false", "0"),
            colour=colour,
            description=_text_of(element, "Description").strip(),
            children=tuple(self.code(child, depth + 1) for child in _children(element, "Code")),
        )

    def text_source(self, element: Element) -> QdaTextSource:
        name = element.get("name") or element.get("guid") or ""
        raw, problem = self.plain_text(element, name)
        selections = tuple(
            QdaSelection(
                guid=guid_key(s.get("guid", "")),
                start=_position(s.get("startPosition")),
                end=_position(s.get("endPosition")),
                user_guid=guid_key(s.get("creatingUser", "")),
                created=s.get("creationDateTime", ""),
                modified=s.get("modifiedDateTime", ""),
                codings=tuple(self.coding(c) for c in _children(s, "Coding")),
                note_guids=_refs(s, "NoteRef"),
                name=s.get("name") or "",
            )
            for s in _children(element, "PlainTextSelection")
        )
        return QdaTextSource(
            guid=guid_key(element.get("guid", "")),
            name=name,
            raw=raw,
            problem=problem,
            selections=selections,
            note_guids=_refs(element, "NoteRef"),
            values=_values(element),
            user_guid=guid_key(element.get("creatingUser", "")),
            description=_text_of(element, "Description"),
        )

    def coding(self, element: Element) -> QdaCoding:
        ref = element.find("CodeRef")
        return QdaCoding(
            guid=guid_key(element.get("guid", "")),
            code_guid=guid_key(ref.get("targetGUID", "")) if ref is not None else "",
            user_guid=guid_key(element.get("creatingUser", "")),
            created=element.get("creationDateTime", ""),
        )

    def note(self, element: Element) -> QdaNote:
        name = element.get("name") or ""
        raw, _problem = self.plain_text(element, name)
        return QdaNote(
            guid=guid_key(element.get("guid", "")),
            name=name,
            text=(raw if raw is not None else _text_of(element, "Description")).strip(),
            user_guid=guid_key(element.get("creatingUser", "")),
            created=element.get("creationDateTime", ""),
            modified=element.get("modifiedDateTime", ""),
        )

    def plain_text(self, element: Element, name: str) -> tuple[str | None, str]:
        """The source's text as the file holds it (BOM removed later), or None and why not."""
        content = element.find("PlainTextContent")
        if content is not None:
            text = content.text or ""
            check_text_length(len(text), self.source_name, f"the text of {name!r}")
            return text, ""
        path = (element.get("plainTextPath") or "").strip()
        if not path:
            return None, "it has no plain text"
        base = posixpath.basename(_INTERNAL.sub("", path).replace("\\", "/")).lower()
        candidates = self.entries.get(base, [])
        if not _INTERNAL.match(path) and not candidates:
            return None, f"its text is outside the project file ({path[:80]!r})"
        if not candidates:
            return None, f"its text file {path[:80]!r} is missing from the project file"
        preferred = sorted(candidates, key=lambda n: (not n.lower().startswith("sources/"), n))
        return _decode(self.archive.read(preferred[0]), name)


def _decode(data: bytes, name: str) -> tuple[str | None, str]:
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return None, f"its text is not {encoding.upper()} (byte {exc.start})"
    check_text_length(len(text), name)
    return text, ""
