"""Import an AO3 EPUB (or, tolerantly, any EPUB) through the same parser as the HTML download.

AO3 makes its EPUBs with Calibre from the HTML download, split into files: a title page with the
tag list, the preface, one file per chapter (each inside a copy of ``div#chapters``), an
afterword. Calibre renames the classes (``div.meta`` → ``div.calibre1``, ``div.userstuff`` →
``div.userstuff2`` …), which the reader does not rely on: feeding the spine's files in order to
one ``Ao3Reader`` yields the same text, zones and attributes as the HTML of the same work.
The container and package files are XML parsed with defusedxml; entity declarations are refused.
A file the spine lists more than once is read once, and the chapters together may not exceed
``MAX_TEXT_CHARS``, so a few kilobytes cannot unpack into a huge document.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree

from annotator.core.types import ImportedDocument
from annotator.io.ao3_html import build_ao3_document
from annotator.io.ao3_structure import Ao3Reader
from annotator.io.archive import SafeZip
from annotator.io.decoding import declared_encoding, decode
from annotator.io.errors import DocumentImportError, import_guard
from annotator.io.html_text import parse_html
from annotator.io.limits import check_text_length
from annotator.io.values import clean_title, clean_values

CONTAINER_PATH = "META-INF/container.xml"
_HTML_MEDIA_TYPES = frozenset({"application/xhtml+xml", "text/html"})


@dataclass
class Package:
    """What the OPF says: reading order and fallback metadata."""

    spine: list[str] = field(default_factory=list)  # archive paths of the XHTML files, in order, once each
    title: str = ""
    creators: list[str] = field(default_factory=list)


@import_guard("EPUB")
def read_ao3_epub(data: bytes, source_name: str) -> ImportedDocument:
    with SafeZip(data, source_name, "EPUB") as archive:
        package = read_package(archive)
        reader = Ao3Reader()
        characters = 0
        notes: list[str] = []  # how chapters were decoded, when that needed a guess or a repair
        for path in package.spine:
            content = archive.read(path)
            if not content.strip():
                continue
            try:
                decoded = decode(content, source_name, declared=declared_encoding(content))
                markup = decoded.text
                notes.extend(f"{path}: {note}" for note in decoded.notes)
                soup = parse_html(markup, source_name)
            except DocumentImportError as exc:
                archive.fail(f"{path}: {exc.reason}")
            # The text is never longer than the markup it comes from: bound that before reading on.
            characters += len(markup)
            check_text_length(characters, source_name, "the text of its chapters")
            body = soup.body
            reader.feed(body if body is not None else soup)
    work = reader.work
    if not work.authors and package.creators:
        work.authors = package.creators
    document = build_ao3_document(
        work,
        source_name,
        source_format="ao3-epub" if work.is_ao3 else "epub",
        fallback_title=package.title,
    )
    return replace(document, notes=tuple(notes))


def read_package(archive: SafeZip) -> Package:
    """Locate the OPF through ``META-INF/container.xml`` and read its spine and metadata."""
    if CONTAINER_PATH in archive:
        container = parse_xml(archive, CONTAINER_PATH)
        rootfiles = [
            element.get("full-path", "") for element in container.iter() if _local(element.tag) == "rootfile"
        ]
        opf_path = next((path for path in rootfiles if path), "")
    else:  # tolerate a missing container when the package file is unambiguous
        candidates = [name for name in archive.names() if name.lower().endswith(".opf")]
        opf_path = candidates[0] if len(candidates) == 1 else ""
    if not opf_path or opf_path not in archive:
        archive.fail("cannot find the package (.opf) file")
    opf = parse_xml(archive, opf_path)
    base = posixpath.dirname(opf_path)
    manifest: dict[str, tuple[str, str]] = {}
    package = Package()
    for element in opf.iter():
        name = _local(element.tag)
        if name == "item":
            href = _resolve(base, element.get("href", ""))
            if href:
                manifest[element.get("id", "")] = (href, element.get("media-type", ""))
        elif name == "title" and not package.title:
            package.title = clean_title(element.text or "")
        elif name == "creator":
            package.creators.append(element.text or "")
    package.creators = clean_values(package.creators)
    listed: set[str] = set()
    for element in opf.iter():
        if _local(element.tag) == "itemref" and element.get("linear", "yes") != "no":
            href, media_type = manifest.get(element.get("idref", ""), ("", ""))
            if href and media_type in _HTML_MEDIA_TYPES and href in archive and href not in listed:
                # A chapter listed twice is read once: repeating it adds no text a reader could want.
                listed.add(href)
                package.spine.append(href)
    if not package.spine:
        archive.fail("its reading order lists no readable chapters")
    return package


def parse_xml(archive: SafeZip, path: str) -> Element:
    """Parse one XML entry, refusing entity declarations and external references."""
    try:
        return defusedxml.ElementTree.fromstring(
            archive.read(path), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException:
        archive.fail(f"{path} declares XML entities or external references, refused for safety")
    except ParseError as exc:
        archive.fail(f"{path} is not well-formed XML ({exc})")


def _resolve(base: str, href: str) -> str:
    """Archive path of a manifest href relative to the OPF; "" if it escapes the archive."""
    href = unquote(href.split("#", 1)[0]).strip()
    if not href or "://" in href or href.startswith("/"):
        return ""
    path = posixpath.normpath(posixpath.join(base, href))
    return "" if path.startswith("../") or path == ".." else path


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
