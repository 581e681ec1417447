"""The REFI-QDA commands: import a .qdpx, export .qdpx and .qdc, and refuse bad files in one line."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.cli import main
from tests.io.refi_builders import nvivo_project, selection


def test_import_then_export_from_the_command_line(
    project_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", project_target, "--codebook", "empty"]) == 0
    source = tmp_path / "in.qdpx"
    source.write_bytes(nvivo_project("Na mi van?\r\nNem", selection(0, 2) + selection(4, 99)))
    assert main(["import-qdpx", project_target, str(source)]) == 0
    out = capsys.readouterr().out
    assert (
        "imported 1 document, 1 annotation" in out and "not placed: videos_selection: selection 4–99" in out
    )
    assert main(["import-qdpx", project_target, str(source)]) == 0
    again = capsys.readouterr().out
    assert "imported 0 documents, 0 annotations" in again and "already here: videos_selection" in again
    assert "skipped 1 coding already here" in again
    target, codebook = tmp_path / "out.qdpx", tmp_path / "out.qdc"
    assert main(["export-qdpx", project_target, str(target), "--coder", "floriansipos"]) == 0
    assert main(["export-qdc", project_target, str(codebook)]) == 0
    assert zipfile.ZipFile(target).namelist()[0] == "project.qde"
    assert b"alacsony fog" in codebook.read_bytes()


def test_a_bad_file_is_one_line_and_exit_1(
    project_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", project_target, "--codebook", "empty"]) == 0
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip at all")
    assert main(["import-qdpx", project_target, str(bad)]) == 1
    assert capsys.readouterr().err.strip().count("\n") == 0
