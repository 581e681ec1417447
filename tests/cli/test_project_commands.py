"""The project commands as a researcher runs them: new, import, code, export, import-*, info, demo."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import project_commands
from annotator.io.csv_safety import CSV_ENCODING
from annotator.io.csv_segments import SEGMENT_COLUMNS
from annotator.paths import seeds_dir
from annotator.store.project import open_project
from tests.cli.conftest import Run
from tests.dumps import dump_tables

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(project_target: str, run: Run) -> str:
    """A project with the fandom codebook and the five seed works (ids 1–5), nothing coded."""
    assert run("new", project_target)[0] == 0
    status, out, err = run("import", project_target, str(seeds_dir()))
    assert status == 0, err
    assert out.strip().endswith("imported 5, skipped 0 duplicates, failed 0")
    return project_target


def coding(
    project: str, document: str, start: str, end: str, code: str, coder: str, *extra: str
) -> list[str]:
    """The argv of ``annotator code``."""
    return [
        "code",
        project,
        "--document",
        document,
        "--start",
        start,
        "--end",
        end,
        "--code",
        code,
        "--coder",
        coder,
        *extra,
    ]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding=CSV_ENCODING, newline="") as handle:
        return list(csv.DictReader(handle))


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: "), err
    return lines[0]


def test_new_import_code_export_and_info(demo: str, run: Run, tmp_path: Path) -> None:
    status, out, _ = run(
        *coding(demo, "1", "4", "19", "Trope/Slow burn", "alice", "--memo", "=not a formula")
    )
    assert status == 0
    assert out.strip() == 'annotation 1: "don\'t understan"'
    segments, codebook = tmp_path / "segments.csv", tmp_path / "codebook.csv"
    status, out, _ = run("export", demo, "--segments", str(segments), "--codebook", str(codebook))
    assert status == 0 and "exported 1 segment to" in out
    [row] = _csv_rows(segments)
    assert list(row)[: len(SEGMENT_COLUMNS)] == list(SEGMENT_COLUMNS)
    assert (row["text"], row["code_path"], row["coder"], row["memo"]) == (
        "don't understan",
        "Trope/Slow burn",
        "alice",
        "'=not a formula",
    )
    assert any(r["path"] == "Trope/Slow burn" for r in _csv_rows(codebook))
    status, out, _ = run("info", demo, "--json")
    info = json.loads(out)
    assert info["annotations"] == 1 and len(info["documents"]) == 5
    assert {c["name"]: c["annotations"] for c in info["coders"]} == {"alice": 1}
    assert next(c for c in info["codes"] if c["path"] == "Trope/Slow burn")["annotations"] == 1
    status, out, _ = run("info", demo)
    assert "5 documents" in out and "1 annotation" in out
    table = out.splitlines()
    header = next(line for line in table if line.strip().startswith("id  title"))
    first = table[table.index(header) + 1]
    assert first.index("000_") == header.index("title")  # columns line up


def test_export_filters_and_refuses_unknown_names(demo: str, run: Run, tmp_path: Path) -> None:
    for coder, start in (("alice", 0), ("bob", 100), ("alice", 200)):
        run(*coding(demo, "2", str(start), str(start + 10), "Trope/Pining", coder))
    run(*coding(demo, "3", "0", "5", "Trope/Angst", "alice"))
    out_file = tmp_path / "bob.csv"
    assert run("export", demo, "--segments", str(out_file), "--coder", "bob")[0] == 0
    assert [r["coder"] for r in _csv_rows(out_file)] == ["bob"]
    assert run("export", demo, "--segments", str(out_file), "--code", "Trope", "--document", "3")[0] == 0
    assert [r["code_path"] for r in _csv_rows(out_file)] == ["Trope/Angst"]
    for args, message in (
        (("--coder", "zed"), "no coder named 'zed'"),
        (("--code", "Trope/Nope"), "no code at path 'Trope/Nope'"),
        (("--attribute", "rating"), "--attribute wants NAME=VALUE"),
    ):
        status, _, err = run("export", demo, "--segments", str(tmp_path / "never.csv"), *args)
        assert status == 1 and message in _one_error_line(err)
    assert not (tmp_path / "never.csv").exists()
    status, _, err = run("export", demo)
    assert status == 1 and "nothing to export" in _one_error_line(err)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"--code": "Trope/Nope"}, "no code at path 'Trope/Nope'"),
        ({"--document": "99"}, "no document with id 99"),
        ({"--end": "99999"}, "span end 99999 is past the end of the document"),
        ({"--start": "30", "--end": "30"}, "span start 30 must be before its end 30"),
        ({"--start": "-3"}, "span start -3 is negative"),
        ({"--coder": "x" * 10_000}, "coder name is 10000 characters long; the limit is 200"),
        ({"--coder": "   "}, "coder name is empty"),
    ],
)
def test_a_refused_code_command_changes_nothing(
    demo: str, run: Run, changes: dict[str, str], message: str
) -> None:
    options = {
        "--document": "1",
        "--start": "0",
        "--end": "10",
        "--code": "Trope/Slow burn",
        "--coder": "newbie",
    }
    options.update(changes)
    store = open_project(demo)
    before = dump_tables(store)
    status, out, err = run("code", demo, *[part for pair in options.items() for part in pair])
    assert status == 1 and out == ""
    assert message in _one_error_line(err)
    assert dump_tables(store) == before  # in particular no coder "newbie"
    store.close()


def test_a_missing_project_is_one_line(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nope.annotator"
    for argv in (
        ("info", str(missing)),
        ("import", str(missing), str(seeds_dir())),
        (
            "code",
            str(missing),
            "--document",
            "1",
            "--start",
            "0",
            "--end",
            "1",
            "--code",
            "A",
            "--coder",
            "a",
        ),
    ):
        status, _, err = run(*argv)
        assert status == 1 and "no project at" in _one_error_line(err)
    assert not missing.exists()


def test_import_reports_progress_duplicates_and_each_failure(
    project_target: str, run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "works"
    (folder / "sub").mkdir(parents=True)
    for n in range(10):
        (folder / ("sub" if n % 2 else "") / f"work{n:02d}.txt").write_text(
            f"Work number {n}.", encoding="utf-8"
        )
    (folder / "empty.txt").write_text("  ", encoding="utf-8")
    (folder / "notes.csv").write_text("not a work", encoding="utf-8")  # unsupported: not picked up
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    run("new", project_target, "--codebook", "empty")
    status, out, err = run("import", project_target, str(folder), str(tmp_path / "missing.txt"))
    assert status == 1
    assert out.strip().splitlines()[-1] == "imported 10, skipped 0 duplicates, failed 2"
    lines = err.strip().splitlines()
    assert lines[-2] == "imported 12/12 (2 refused) …" and lines[-1].startswith("12 files in ")
    assert [line for line in lines if line.startswith("failed: ")] == [
        "failed: empty.txt: file is empty",
        "failed: missing.txt: cannot be read (No such file or directory)",
    ]
    status, out, err = run("import", project_target, str(folder / "work00.txt"))
    assert status == 0 and "skipped work00.txt: same text as document" in out
    assert out.strip().endswith("imported 0, skipped 1 duplicate, failed 0") and err == ""


def test_segments_round_trip_through_the_command_line(demo: str, run: Run, tmp_path: Path) -> None:
    run(*coding(demo, "1", "0", "30", "Trope/Slow burn", "ana"))
    run(*coding(demo, "4", "9", "99", "Trope/Angst", "ben", "--memo", 'She said "no",\nthen “yes”'))
    first, again = tmp_path / "first.csv", tmp_path / "again.csv"
    run("export", demo, "--segments", str(first))
    twin = str(tmp_path / "twin.annotator")
    run("new", twin)
    run("import", twin, str(seeds_dir()))
    status, out, _ = run("import-segments", twin, str(first))
    assert status == 0 and "imported 2 segments, skipped 0 duplicates" in out and "new coder: ben" in out
    run("export", twin, "--segments", str(again))
    assert again.read_bytes() == first.read_bytes()
    rows = _csv_rows(first)
    rows[1]["text"] = "drifted"
    broken = tmp_path / "broken.csv"
    with broken.open("w", encoding=CSV_ENCODING, newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    store = open_project(twin)
    before = dump_tables(store)
    status, _, err = run("import-segments", twin, str(broken))
    assert status == 1 and "broken.csv, row 3: the file's quote does not match" in _one_error_line(err)
    assert dump_tables(store) == before
    store.close()


def test_import_codebook_and_codebook_errors(project_target: str, run: Run, tmp_path: Path) -> None:
    run("new", project_target, "--codebook", "empty")
    good = tmp_path / "codes.csv"
    good.write_text(
        "path,colour,definition\r\nTheme/Care,#112233,=looks after\r\nTheme,,\r\n", encoding="utf-8"
    )
    status, out, _ = run("import-codebook", project_target, str(good))
    assert status == 0 and out.strip() == "created 2 codes, updated 1"
    bad = tmp_path / "bad.csv"
    bad.write_text("path,colour\r\nA,#zzzzzz\r\n", encoding="utf-8")
    status, _, err = run("import-codebook", project_target, str(bad))
    assert status == 1 and "bad.csv, row 2: colour '#zzzzzz' is not #rrggbb" in _one_error_line(err)
    status, _, err = run("new", str(tmp_path / "other.annotator"), "--codebook", str(bad))
    assert status == 1 and "bad.csv, row 2" in _one_error_line(err)
    assert not (tmp_path / "other.annotator").exists()
    latin = tmp_path / "latin.csv"
    latin.write_bytes("path\r\nCaf\xe9\r\n".encode("latin-1"))
    status, _, err = run("import-codebook", project_target, str(latin))
    assert status == 1 and "latin.csv: not UTF-8 text" in _one_error_line(err)


def test_demo_creates_then_reopens_and_skips_the_gui_without_a_display(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    location = tmp_path / "demo.annotator"
    status, out, _ = run("demo", str(location))
    assert status == 0 and out.startswith(f"Created the demo project: {location}")
    assert "5 works" in out and "0 annotations" in out
    status, out, _ = run("demo", str(location), "--no-gui")
    assert status == 0 and out.startswith("Reopened the demo project")
    assert json.loads(run("info", str(location), "--json")[1])["documents"][0]["title"].startswith("000_")


def test_demo_opens_the_gui_when_a_display_is_there(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    gui = pytest.importorskip("annotator.cli.gui_commands")
    monkeypatch.setattr(project_commands, "display_available", lambda: True)

    def launch_gui(location: str) -> int:
        opened.append(location)
        return 0

    monkeypatch.setattr(gui, "launch_gui", launch_gui)
    location = str(tmp_path / "demo.annotator")
    assert run("demo", location)[0] == 0
    assert opened == [location]
    assert run("demo", location, "--no-gui")[0] == 0 and opened == [location]


def test_the_installed_command_end_to_end(project_target: str, tmp_path: Path) -> None:
    """One real process per command, as a shell script would run them."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def annotator(*argv: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "annotator", *argv],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            encoding="utf-8",
        )
        assert done.returncode == 0, done.stderr
        return done

    annotator("new", project_target)
    annotator("import", project_target, *sorted(str(p) for p in seeds_dir().glob("*.txt")))
    coded = annotator(
        "code",
        project_target,
        "--document",
        "2",
        "--start",
        "0",
        "--end",
        "12",
        "--code",
        "Power dynamic/Physical",
        "--coder",
        "zoë",
    )
    assert coded.stdout.startswith("annotation 1: ")
    segments = tmp_path / "out.csv"
    annotator("export", project_target, "--segments", str(segments))
    [row] = list(csv.DictReader(io.StringIO(segments.read_text(encoding=CSV_ENCODING), newline="")))
    assert (row["document_id"], row["coder"], row["code_path"]) == ("2", "zoë", "Power dynamic/Physical")
    info = json.loads(annotator("info", project_target, "--json").stdout)
    assert info["annotations"] == 1 and [c["name"] for c in info["coders"]] == ["zoë"]
    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotator",
            "code",
            project_target,
            "--document",
            "2",
            "--start",
            "5",
            "--end",
            "1",
            "--code",
            "Trope",
            "--coder",
            "zoë",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        encoding="utf-8",
    )
    assert failed.returncode == 1 and failed.stderr.count("\n") == 1 and failed.stdout == ""
