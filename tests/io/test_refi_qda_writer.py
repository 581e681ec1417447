"""Written .qdpx and .qdc files are valid against the standard's XSD (checked by lxml's validator)."""

# ruff: noqa: E501  (XML copied in the shape real exports write it, one element to a line)

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

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
    new_guid,
)
from annotator.io.refi_qda.reader import read_qdpx
from annotator.io.refi_qda.writer import codebook_xml, write_qdpx
from tests.io.refi_builders import SAMPLES

XSD = SAMPLES / "Project-mrt2019.xsd"


def _schema(codebook: bool = False) -> etree.XMLSchema:
    if not XSD.exists():
        pytest.skip(f"{XSD} is not here (the standard's XSD is kept outside the project)")
    text = XSD.read_text(encoding="utf-8")
    if codebook:
        # The codebook schema shares the project's code types under its own namespace and root.
        text = text.replace("urn:QDA-XML:project:1.0", "urn:QDA-XML:codebook:1.0").replace(
            '<xsd:element name="Project" type="ProjectType">',
            '<xsd:element name="CodeBook"><xsd:complexType><xsd:sequence>'
            '<xsd:element name="Codes" type="CodesType"/><xsd:element name="Sets" type="SetsType" minOccurs="0"/>'
            '</xsd:sequence><xsd:attribute name="origin" type="xsd:string"/></xsd:complexType></xsd:element>'
            '<xsd:element name="Project" type="ProjectType">',
        )
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8")))


def _project() -> QdaProject:
    user, code, child, source, note, variable = (new_guid() for _ in range(6))
    text = "Hi 😀 e\u0301 <b>&amp;</b>\nline two"
    return QdaProject(
        name="Test <project>",
        origin="annotator",
        users=(QdaUser(user, "Ana <img src=x>"),),
        codes=(
            QdaCode(
                code,
                "Tropes",
                colour="#aabbcc",
                description="d\n\nInclusion: i",
                children=(QdaCode(child, "Slow burn"),),
            ),
        ),
        variables=(QdaVariable(variable, "rating"),),
        cases=(QdaCase(new_guid(), "Work", ((variable, "Explicit"),), (source,)),),
        sources=(
            QdaTextSource(
                source,
                "Work",
                text,
                selections=(
                    QdaSelection(
                        new_guid(),
                        0,
                        2,
                        user,
                        "2024-05-01T10:00:00Z",
                        "2024-05-01T10:00:00Z",
                        (QdaCoding(new_guid(), child, user, "2024-05-01T10:00:00Z"),),
                        (note,),
                    ),
                ),
                values=((variable, "Explicit"),),
            ),
        ),
        notes=(QdaNote(note, "memo", "a memo\x01 with a control character", user),),
    )


def test_a_written_project_is_valid_and_laid_out_as_the_standard_says() -> None:
    out = io.BytesIO()
    write_qdpx(_project(), out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        names = archive.namelist()
        qde = archive.read("project.qde")
        texts = [archive.read(n) for n in names if n.startswith("sources/")]
    assert names[0] == "project.qde" and all(
        n.startswith("sources/") and n.endswith(".txt") for n in names[1:]
    )
    assert not qde.startswith(b"\xef\xbb\xbf") and not texts[0].startswith(b"\xef\xbb\xbf")
    schema = _schema()
    assert schema.validate(etree.fromstring(qde)), schema.error_log.last_error


def test_a_written_project_reads_back_the_same() -> None:
    project = _project()
    out = io.BytesIO()
    write_qdpx(project, out)
    again = read_qdpx(out.getvalue(), "x.qdpx")
    assert again.sources[0].raw == project.sources[0].raw
    assert again.codes[0].children[0].name == "Slow burn"
    assert again.users == project.users
    assert again.notes[0].text == "a memo with a control character"


def test_a_written_codebook_is_valid() -> None:
    data = codebook_xml(_project().codes, "annotator")
    schema = _schema(codebook=True)
    assert schema.validate(etree.fromstring(data)), schema.error_log.last_error


def test_the_real_samples_are_valid_against_the_same_schema_check() -> None:
    """The check itself works: real exports pass (ATLAS.ti) or fail only for their own reasons."""
    schema = _schema()
    path: Path = SAMPLES / "samples" / "atlasti-23-target.qdpx"
    if not path.exists():
        pytest.skip("the ATLAS.ti sample is not here")
    with zipfile.ZipFile(path) as archive:
        assert schema.validate(etree.fromstring(archive.read("project.qde")))
