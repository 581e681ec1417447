"""Atomic writes: the target holds the old content or the complete new content, nothing in between."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import TextIO

import pytest

from annotator.io.atomic import atomic_write_text


def test_writes_with_bom_and_untranslated_line_ends(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert atomic_write_text(target, lambda out: out.write("a,b\r\nc\n")) == 7
    assert target.read_bytes() == codecs.BOM_UTF8 + b"a,b\r\nc\n"


def test_a_failing_writer_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")

    def half_then_fail(out: TextIO) -> None:
        out.write("new content that never lands")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write_text(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write_text(target, lambda out: out.write("new"), encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.csv"
    atomic_write_text(fresh, lambda out: out.write("x"))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's private 0600


def test_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic_write_text(tmp_path / "nope" / "out.csv", lambda out: out.write("x"))
