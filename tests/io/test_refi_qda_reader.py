"""Reading .qdpx files: the real exports, vendors' variations, and hostile archives and XML."""

# ruff: noqa: E501  (XML copied in the shape real exports write it, one element to a line)

from __future__ import annotations

import io
import zipfile

import pytest

from annotator.io.errors import DocumentImportError
from annotator.io.refi_qda.reader import read_colour, read_qdpx
from tests.io.refi_builders import CODE_CHILD, NS, SAMPLES, SOURCE, nvivo_project, qdpx, selection


def _sample(name: str) -> bytes:
    path = SAMPLES / "samples" / name
    if not path.exists():
        pytest.skip(f"{path} is not here (the real REFI-QDA exports are kept outside the project)")
    return path.read_bytes()


def test_the_real_nvivo_export_reads_with_its_users_codes_and_selections() -> None:
    project = read_qdpx(_sample("nvivo-win-12.6-oltas.qdpx"), "oltas.qdpx")
    assert project.origin == "NVivo for Windows 12.6"
    assert {u.name for u in project.users} == {"Gergo", "floriansipos"}
    assert len(project.sources) == 1 and project.sources[0].raw is not None
    assert sum(len(s.codings) for s in project.sources[0].selections) == 97


def test_the_real_atlas_export_reads_its_nested_codes() -> None:
    project = read_qdpx(_sample("atlasti-23-target.qdpx"), "target.qdpx")
    assert [c.name for c in project.codes] == ["Commits"]
    assert len(project.codes[0].children) == 2
    assert project.codes[0].guid == project.codes[0].guid.lower()


def test_vendor_variations_are_accepted() -> None:
    qde = f"""<Project name="x" origin="MAXQDA 2022" xmlns="{NS}">
      <CodeBook><Codes><Code guid="{{{CODE_CHILD.upper()}}}" name="A" isCodable="true" color="FF8000" /></Codes></CodeBook>
      <Sources><TextSource guid="{SOURCE.upper()}" name="one" plainTextPath="{SOURCE.upper()}.TXT">
        {selection(0, 3, code=CODE_CHILD.upper())}</TextSource></Sources></Project>"""
    project = read_qdpx(qdpx(qde, {f"sources/{SOURCE}.txt": b"abc def"}, qde_name="Any Name.QDE"), "p.qdpx")
    assert project.codes[0].guid == CODE_CHILD and project.codes[0].colour == "#ff8000"
    assert project.sources[0].raw == "abc def"
    assert project.sources[0].selections[0].codings[0].code_guid == CODE_CHILD


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("#abc", "#aabbcc"),
        ("#A1B2C3", "#a1b2c3"),
        ("#FF102030", "#102030"),
        ("rgb(255, 0, 16)", "#ff0010"),
        ("red", ""),
    ],
)
def test_colours_in_odd_forms(written: str, read: str) -> None:
    assert read_colour(written) == read


def test_sources_that_are_not_text_are_listed() -> None:
    pdf = '<PDFSource guid="11111111-2222-3333-4444-555555555555" name="scan.pdf" path="internal://x.pdf" />'
    project = read_qdpx(nvivo_project("text", "", extra_sources=pdf), "p.qdpx")
    assert project.skipped_sources == (("scan.pdf", "PDF"),)


def test_a_text_file_missing_from_the_archive_is_a_reason_not_a_crash() -> None:
    project = read_qdpx(nvivo_project("t", "", source_path="internal://gone.txt"), "p.qdpx")
    assert project.sources[0].raw is None and "missing" in project.sources[0].problem


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


_CODE = b'<Code guid="3c51efbb-071f-43a7-9f32-228b89668e8d" name="c" isCodable="true">'
_DEEP = (
    b'<Project name="x"><CodeBook><Codes>'
    + _CODE * 5000
    + b"</Code>" * 5000
    + b"</Codes></CodeBook></Project>"
)
BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE P [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
<Project name="&b;" xmlns="urn:QDA-XML:project:1.0"/>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE P [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Project name="&x;" xmlns="urn:QDA-XML:project:1.0"/>"""


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"<Project/>", "not a zip"),
        (_zip({"../evil.qde": b"<Project name='x'/>"}), "unsafe path"),
        (_zip({"a.qde": b"<Project name='x'/>", "b.qde": b"<Project name='y'/>"}), "2 .qde files"),
        (_zip({"readme.txt": b"hi"}), "no .qde"),
        (_zip({"project.qde": BILLION_LAUGHS}), "XML"),
        (_zip({"project.qde": EXTERNAL}), "XML"),
        (_zip({"project.qde": b"<Project name='x'"}), "XML error"),
        (_zip({"project.qde": b"<CodeBook/>"}), "not <Project>"),
        (_zip({"project.qde": _DEEP}), "nests codes more than"),
        (_zip({"project.qde": b"\0" * (3 * 1024 * 1024)}), "zip bomb"),
    ],
)
def test_hostile_or_broken_files_are_refused_in_one_line(data: bytes, words: str) -> None:
    with pytest.raises(DocumentImportError) as caught:
        read_qdpx(data, "bad.qdpx")
    message = str(caught.value)
    assert words in message and "\n" not in message
