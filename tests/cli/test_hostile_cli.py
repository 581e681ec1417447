"""Hostile command lines and hostile names as a terminal meets them: one line each, never a traceback.

Where bytes matter the command runs as a real process with bytes in its argv and real files whose
names hold bytes that are not UTF-8 (Python sees both as lone surrogates), and with stdout strict
UTF-8 as under a desktop UTF-8 locale (``PYTHONIOENCODING=utf-8:strict``; the C.UTF-8 locale of
CI alone would let Python write such bytes through).
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.io.csv_safety import CSV_ENCODING
from annotator.services.documents import document_text
from annotator.store.models import Annotation, Coder
from annotator.store.project import open_project
from tests.cli.conftest import Run
from tests.conftest import SEEDS

REPO = Path(__file__).resolve().parents[2]
PWNED = "\x1b]0;PWNED\x07\x1b[2J"  # retitles the terminal, then clears it
PWNED_SHOWN = "\\x1b]0;PWNED\\x07\\x1b[2J"
C1_PATH = "Trope/Evil \x9b31m red"  # U+009B is CSI for terminals that obey C1 controls
C1_SHOWN = "Trope/Evil \\x9b31m red"
UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # all but "\n"
CODE = ["--document", "1", "--start", "0", "--end", "12", "--code", "Trope/Slow burn"]

posix_only = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="argv and file names are bytes only on Linux/BSD"
)


def annotator(*argv: str | bytes, memory_limit: int | None = None) -> tuple[int, str, str]:
    """Run ``annotator *argv`` in a new process; (status, stdout, stderr), both strict UTF-8."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "PYTHONIOENCODING": "utf-8:strict",
        "LC_ALL": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    command: list[str | bytes] = [sys.executable, "-m", "annotator"]
    if memory_limit is not None:  # so a runaway read ends in MemoryError, not in the swap
        start = (
            "import resource, runpy, sys; "
            f"resource.setrlimit(resource.RLIMIT_AS, ({memory_limit}, {memory_limit})); "
            "sys.argv[0] = 'annotator'; runpy.run_module('annotator', run_name='__main__', alter_sys=True)"
        )
        command = [sys.executable, "-c", start]
    done = subprocess.run([*command, *argv], capture_output=True, env=env, timeout=120, check=False)
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    return done.returncode, out, err


def assert_printable(*texts: str) -> None:
    for text in texts:
        assert not UNPRINTABLE.search(text), repr(text)


def named(folder: Path, raw: bytes) -> Path:
    """``folder / raw`` for a name of raw bytes, as Python holds it."""
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + raw))


@pytest.fixture
def project(project_target: str, run: Run) -> str:
    """The fandom codebook and one seed work (document 1)."""
    assert run("new", project_target)[0] == 0
    assert run("import", project_target, str(SEEDS[0]))[0] == 0
    return project_target


def _coders_and_memos(project: str) -> tuple[list[str], list[str]]:
    store = open_project(project)
    try:
        with store.reading() as session:
            coders = list(session.scalars(select(Coder.name).order_by(Coder.id)))
            memos = list(session.scalars(select(Annotation.memo).order_by(Annotation.id)))
    finally:
        store.close()
    return coders, memos


# --- text options that are not UTF-8 ------------------------------------------------------------


@posix_only
@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["code", "P", *CODE, "--coder", "ana", "--memo", b"caf\xe9"], "--memo caf\\xe9"),
        (["code", "P", *CODE, "--coder", b"an\xffa"], "--coder an\\xffa"),
        (["code", "P", *CODE[:-1], b"Trope/\xfe", "--coder", "ana"], "--code Trope/\\xfe"),
        (["export", "P", "--segments", "out.csv", "--coder", b"\xff\x1b[2J"], "--coder \\xff\\x1b[2J"),
        (["agreement", "P", "--coders", b"ana,b\xffb"], "--coders ana,b\\xffb"),
    ],
    ids=["memo", "coder", "code", "export-coder", "agreement-coders"],
)
def test_text_options_with_bytes_that_are_not_utf8_are_refused_in_one_line(
    project: str, tmp_path: Path, argv: list[str | bytes], shown: str
) -> None:
    argv = [project if word == "P" else str(tmp_path / word) if word == "out.csv" else word for word in argv]
    status, out, err = annotator(*argv)
    assert (status, out) == (1, "")
    assert err == f"annotator: error: {shown} is not UTF-8 text; give it in UTF-8\n"
    assert _coders_and_memos(project) == ([], [])
    assert not (tmp_path / "out.csv").exists()


# --- file names that are not UTF-8 ----------------------------------------------------------------


@posix_only
def test_files_with_undecodable_names_import_or_fail_one_by_one(project_target: str, tmp_path: Path) -> None:
    folder = tmp_path / "works"
    folder.mkdir()
    named(folder, b"caf\xe9.txt").write_text("A story in a Latin-1 file name.", encoding="utf-8")
    named(folder, b"broken\xff\x1b[2J.epub").write_bytes(b"not a zip at all")
    for number in range(9):  # ten files or more print progress lines, with the names
        named(folder, b"part\xfe%d.md" % number).write_text(
            f"# Part {number}\n\nText {number}.", encoding="utf-8"
        )
    story = named(tmp_path, b"story\xfd.txt")
    story.write_text("Named on the command line.", encoding="utf-8")
    assert annotator("new", project_target, "--codebook", "empty")[0] == 0

    status, out, err = annotator("import", project_target, os.fsencode(story), os.fsencode(folder))
    assert (status, out) == (1, "imported 11, skipped 0 duplicates, failed 1\n")
    progress = [line for line in err.splitlines() if line.startswith("imported ")]
    assert progress == ["imported 12/12 (1 refused) …"] and err.splitlines()[-1].startswith("12 files in ")
    assert [line for line in err.splitlines()[:-1] if not line.startswith("imported ")] == [
        "failed: broken\\xff\\x1b[2J.epub: not a valid EPUB (not a zip archive)"
    ]
    assert_printable(out, err)

    status, out, _ = annotator("info", project_target, "--json")
    titles = [document["title"] for document in json.loads(out)["documents"]]
    assert titles[:3] == ["story\\xfd", "caf\\xe9", "Part 0"]

    status, out, _ = annotator("import", project_target, os.fsencode(story))
    assert status == 0
    assert (
        out == "skipped story\\xfd.txt: same text as document 1\nimported 0, skipped 1 duplicate, failed 0\n"
    )


@posix_only
def test_exporting_to_a_file_name_that_is_not_utf8(project: str, tmp_path: Path) -> None:
    target = named(tmp_path, b"segments\xff.csv")
    status, out, _ = annotator("export", project, "--segments", os.fsencode(target))
    assert (status, out) == (0, f"exported 0 segments to {tmp_path}/segments\\xff.csv\n")
    assert target.exists()


# --- what is not a regular file ---------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/dev/zero, mkfifo and RLIMIT_AS")
def test_devices_and_named_pipes_are_refused_without_reading_them(project: str, tmp_path: Path) -> None:
    """``annotator import P /dev/zero`` read until MemoryError; a named pipe waited for a writer."""
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    good = tmp_path / "good.txt"
    good.write_text("A file after the bad ones.", encoding="utf-8")
    status, out, err = annotator("import", project, "/dev/zero", str(pipe), str(good), memory_limit=2 * 2**30)
    assert (status, out) == (1, "imported 1, skipped 0 duplicates, failed 2\n")
    assert err.splitlines() == [
        "failed: zero: cannot be read (a device, not a file)",
        "failed: pipe.txt: cannot be read (a named pipe, not a file)",
    ]


# --- values that start with "-" ----------------------------------------------------------------------


def test_a_memo_or_name_may_start_with_a_dash(project: str, run: Run) -> None:
    """As the issue typed it: ``--memo -2+3`` was refused by argparse as a missing value."""
    assert run("code", project, *CODE, "--coder", "ana", "--memo", "-2+3")[0] == 0
    status, _, err = run(
        "code",
        project,
        *CODE[:-3],
        "13",
        "--code",
        "Trope/Slow burn",
        "--coder",
        "-x-",
        "--memo",
        "--not-an-option",
    )
    assert status == 0, err
    assert (
        run("code", project, *CODE[:-3], "14", "--code", "Trope/Slow burn", "--coder", "ana", "--memo=-v")[0]
        == 0
    )
    assert _coders_and_memos(project) == (["ana", "-x-"], ["-2+3", "--not-an-option", "-v"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["code", "P", *CODE, "--coder"], "argument --coder: expected one argument"),
        (["code", "P", *CODE, "--coder", "--memo", "x"], "argument --coder: expected one argument"),
        (["code", "P", *CODE, "--coder", "ana", "--bogus"], "unrecognized arguments: --bogus"),
        (
            ["code", "P", "--document", "one", *CODE[2:], "--coder", "a"],
            "argument --document: invalid int value: 'one'",
        ),
        (["code", "P", *CODE, "--coder", "a", f"{PWNED}"], f"unrecognized arguments: {PWNED_SHOWN}"),
    ],
    ids=["missing-value", "value-is-an-option", "unknown-option", "not-a-number", "escapes"],
)
def test_usage_errors_are_one_line_with_status_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["P.annotator" if word == "P" else word for word in argv])
    out, err = capsys.readouterr()
    assert (exited.value.code, out) == (2, "")
    assert err == f"annotator code: error: {message} (see: annotator code --help)\n"


# --- names that would steer the terminal -----------------------------------------------------------


def _codebook(tmp_path: Path) -> str:
    path = tmp_path / "codebook.csv"
    with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
        csv.writer(handle).writerows([["path", "definition"], [C1_PATH, f"defined {PWNED}"]])
    return str(path)


def test_terminal_escapes_in_names_are_shown_not_obeyed(project: str, run: Run, tmp_path: Path) -> None:
    assert run("import-codebook", project, _codebook(tmp_path))[0] == 0
    assert run("code", project, *CODE[:-1], C1_PATH, "--coder", PWNED, "--memo", PWNED)[0] == 0
    assert run("code", project, *CODE[:-3], "20", "--code", C1_PATH, "--coder", "bob")[0] == 0

    status, out, err = run("info", project)
    assert status == 0 and PWNED_SHOWN in out and C1_SHOWN in out
    assert_printable(out, err)

    status, out, _ = run("info", project, "--json")
    assert_printable(out)
    info = json.loads(out)
    assert [coder["name"] for coder in info["coders"]] == [PWNED, "bob"]
    assert C1_PATH in [code["path"] for code in info["codes"]]

    status, out, err = run("agreement", project, "--codes", C1_PATH)
    assert status == 0 and f"{PWNED_SHOWN} | bob" in out and C1_SHOWN in out
    assert_printable(out, err)
    status, out, _ = run("agreement", project, "--codes", C1_PATH, "--json")
    assert_printable(out)
    assert json.loads(out)["coders"] == [PWNED, "bob"]

    segments = tmp_path / "segments.csv"
    assert run("export", project, "--segments", str(segments))[0] == 0
    other = str(tmp_path / "other.annotator")
    assert run("new", other, "--codebook", "empty")[0] == 0
    assert run("import", other, str(SEEDS[0]))[0] == 0
    status, out, err = run("import-segments", other, str(segments))
    assert status == 0 and f"new coder: {PWNED_SHOWN}" in out and f"new code: {C1_SHOWN}" in out
    assert_printable(out, err)


def test_merge_summaries_escape_names(project: str, run: Run, tmp_path: Path) -> None:
    source = str(tmp_path / f"copy {PWNED}.annotator")
    assert run("new", source)[0] == 0
    assert run("import", source, str(SEEDS[0]))[0] == 0
    assert run("code", source, *CODE, "--coder", PWNED)[0] == 0
    status, out, err = run("merge", project, source)
    assert status == 0 and f"coders: 1 added ({PWNED_SHOWN})" in out and f"copy {PWNED_SHOWN}" in out
    assert_printable(out, err)


def test_error_lines_escape_what_the_user_typed(run: Run, tmp_path: Path) -> None:
    status, out, err = run("info", str(tmp_path / f"gone{PWNED}.annotator"))
    assert (status, out) == (1, "")
    assert err.startswith("annotator: error: ") and err.count("\n") == 1 and "gone\\x1b]0;" in err
    assert_printable(err)


def test_safe_escapes_every_control_and_stray_byte() -> None:
    from annotator.cli.terminal import safe, safe_json

    assert (
        safe("a\x00b\nc\td\x1b\x7f\x85\x9f é \udcff \ud800")
        == "a\\x00b\\nc\\td\\x1b\\x7f\\x85\\x9f é \\xff \\ud800"
    )
    assert safe(42) == "42"
    text = safe_json({"k": "\x1b\x9b\udcff é"})
    assert_printable(text)
    assert json.loads(text) == {"k": "\x1b\x9b\udcff é"}


# --- segments and codebook files that must not break a project (issue 9 §3) ------------------------

BIG = str(10**30)


def _segments_file(tmp_path: Path, project: str, **changes: str) -> str:
    """One row coding the first 12 characters of document 1, changed as ``changes`` say."""
    store = open_project(project)
    try:
        quote = document_text(store, 1)[:12]
    finally:
        store.close()
    row = {"document_id": "1", "start": "0", "end": "12", "text": quote, "code_path": "Trope/Slow burn"}
    row.update({"coder": "ana", "memo": "", "annotation_id": "", "created_at": ""}, **changes)
    path = tmp_path / "segments.csv"
    with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
        writer = csv.DictWriter(handle, list(row))
        writer.writeheader()
        writer.writerow(row)
    return str(path)


def _codebook_file(tmp_path: Path, **cells: str) -> str:
    path = tmp_path / "codes.csv"
    with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
        csv.writer(handle).writerows([list(cells), list(cells.values())])
    return str(path)


def _code_next(project: str) -> tuple[int, str]:
    status, out, err = annotator(
        "code", project, *CODE[:-3], "30", "--code", "Trope/Slow burn", "--coder", "z"
    )
    assert (status, err) == (0, ""), err
    return status, out


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"annotation_id": BIG}, f"annotation_id {BIG} is too large (the largest allowed is {2**63 - 1})"),
        ({"annotation_id": "-5"}, "annotation_id -5 is not an id (ids are whole numbers from 1)"),
        (
            {"created_at": "0000-01-01"},
            "created_at '0000-01-01' is not a date and time like 2024-05-01T10:00:00Z",
        ),
        (
            {"created_at": "9999-12-31T23:59:59-01:00"},
            "created_at '9999-12-31T23:59:59-01:00' is out of range in UTC "
            "(dates run from 0001-01-01 to 9999-12-31)",
        ),
        ({"memo": "a\x00b"}, "memo holds a NUL character at character 2, which a project cannot store"),
        ({"coder": "an\x00a"}, "coder holds a NUL character at character 3, which a project cannot store"),
        (
            {"code_path": "Trope/\x00"},
            "code_path holds a NUL character at character 7, which a project cannot store",
        ),
    ],
    ids=["id-1e30", "id-negative", "year-0", "utc-overflow", "memo-nul", "coder-nul", "code-nul"],
)
def test_a_hostile_segments_file_fails_in_one_line_and_coding_goes_on(
    project: str, tmp_path: Path, changes: dict[str, str], problem: str
) -> None:
    status, out, err = annotator("import-segments", project, _segments_file(tmp_path, project, **changes))
    assert (status, out, err) == (1, "", f"annotator: error: segments.csv, row 2: {problem}\n")
    assert _coders_and_memos(project) == ([], [])
    assert _code_next(project)[1].startswith("annotation 1: ")


@pytest.mark.parametrize("file_id", [str(2**63 - 1), str(2**31 - 1)])
def test_an_annotation_id_at_the_top_of_the_range_does_not_stop_later_coding(
    project: str, tmp_path: Path, file_id: str
) -> None:
    """Stored as given, these ids left no next id: every later `annotator code` failed."""
    status, out, err = annotator(
        "import-segments", project, _segments_file(tmp_path, project, annotation_id=file_id)
    )
    assert (status, err) == (0, "")
    assert (
        out.splitlines()[-1]
        == "1 segment got new annotation ids (the file's were taken or out of sequence here)"
    )
    assert _code_next(project)[1].startswith("annotation 2: ")


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        (
            {"path": "Trope/Sl\x00ow"},
            "path holds a NUL character at character 9, which a project cannot store",
        ),
        (
            {"path": "A", "definition": "d\x00"},
            "definition holds a NUL character at character 2, which a project cannot store",
        ),
        (
            {"path": "A", "example": "\x00"},
            "example holds a NUL character at character 1, which a project cannot store",
        ),
        ({"path": "trope"}, "a code named 'trope' already exists at the top level"),
    ],
    ids=["name-nul", "definition-nul", "example-nul", "sibling-alike"],
)
def test_a_hostile_codebook_file_fails_in_one_line_and_coding_goes_on(
    project: str, tmp_path: Path, cells: dict[str, str], problem: str
) -> None:
    before = annotator("info", project, "--json")[1]
    status, out, err = annotator("import-codebook", project, _codebook_file(tmp_path, **cells))
    assert (status, out, err) == (1, "", f"annotator: error: codes.csv, row 2: {problem}\n")
    assert annotator("info", project, "--json")[1] == before
    assert _code_next(project)[1].startswith("annotation 1: ")
