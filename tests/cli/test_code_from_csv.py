"""``annotator code PROJECT --from-csv FILE``: many codings in one call, all or none, on both backends."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.io.csv_safety import CSV_ENCODING, unguard_cell
from annotator.paths import seeds_dir
from annotator.services.documents import document_text
from annotator.store.project import open_project
from tests.cli.conftest import Run

HEADER = "document,start,end,code,coder,memo\n"


@pytest.fixture
def demo(project_target: str, run: Run) -> str:
    """The fandom codebook and the five seed works (ids 1–5), nothing coded."""
    assert run("new", project_target)[0] == 0
    status, _, err = run("import", project_target, str(seeds_dir()))
    assert status == 0, err
    return project_target


def _segments(run: Run, project: str, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "segments.csv"
    status, _, err = run("export", project, "--segments", str(out))
    assert status == 0, err
    with out.open(encoding=CSV_ENCODING, newline="") as handle:
        return list(csv.DictReader(handle))


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return (
        row["document_id"],
        row["start"],
        row["end"],
        row["text"],
        row["code_path"],
        row["coder"],
        unguard_cell(row["memo"]),
    )


def test_every_coding_in_the_file_is_applied_with_its_quote(demo: str, run: Run, tmp_path: Path) -> None:
    rows = [
        ("1", "0", "12", "Trope/Slow burn", "ana", ""),
        ("2", "5", "30", "Trope/Slow burn", "ben", "a memo, with a comma"),
        ("3", "0", "1", "Trope/Slow burn", "ana", "=SUM(A1) stays text"),
        ("1", "3", "40", "trope/slow burn", "ana", ""),  # code paths match as `code` matches them
    ]
    path = tmp_path / "codings.csv"
    path.write_text(HEADER + "".join(",".join(_quoted(cell) for cell in row) + "\n" for row in rows), "utf-8")

    status, out, err = run("code", demo, "--from-csv", str(path))

    assert status == 0, err
    assert out.splitlines()[0] == "applied 4 codings, skipped 0 duplicates"
    from_file = sorted(map(_key, _segments(run, demo, tmp_path)))
    store = open_project(demo)
    try:
        texts = {doc: document_text(store, doc) for doc in (1, 2, 3)}
    finally:
        store.close()
    assert len(from_file) == len(rows)
    for document, start, end, _, coder, memo in rows:
        quote = texts[int(document)][int(start) : int(end)]
        assert (document, start, end, quote, "Trope/Slow burn", coder, memo) in from_file


def _quoted(cell: str) -> str:
    return f'"{cell}"' if "," in cell else cell


def test_a_bad_row_is_refused_in_one_line_and_nothing_is_applied(demo: str, run: Run, tmp_path: Path) -> None:
    good = "1,0,10,Trope/Slow burn,ana,\n"
    cases = {
        "1,0,999999999,Trope/Slow burn,ana,\n": "row 3",
        "99,0,5,Trope/Slow burn,ana,\n": "no document with id 99",
        "1,0,5,No such code,ana,\n": "no code at path",
        "1,five,9,Trope/Slow burn,ana,\n": "start must be a whole number",
        "1,9,5,Trope/Slow burn,ana,\n": "row 3",
    }
    for bad, words in cases.items():
        path = tmp_path / "codings.csv"
        path.write_text(HEADER + good + bad + good.replace("0,10", "20,30"), "utf-8")
        status, out, err = run("code", demo, "--from-csv", str(path))
        assert status == 1 and not out, (bad, out)
        assert err.startswith("annotator: error: codings.csv row 3: ") and err.count("\n") == 1, err
        assert words in err, err
    assert _segments(run, demo, tmp_path) == []


def test_a_file_without_the_needed_columns_is_refused(demo: str, run: Run, tmp_path: Path) -> None:
    path = tmp_path / "codings.csv"
    path.write_text("document,start,end,code\n1,0,5,Trope/Slow burn\n", "utf-8")
    status, _, err = run("code", demo, "--from-csv", str(path))
    assert status == 1
    assert "no coder column" in err and err.count("\n") == 1, err


def test_from_csv_and_single_coding_options_do_not_mix(demo: str, run: Run, tmp_path: Path) -> None:
    path = tmp_path / "codings.csv"
    path.write_text(HEADER, "utf-8")
    with pytest.raises(SystemExit) as exit_:
        run("code", demo, "--from-csv", str(path), "--document", "1")
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        run("code", demo, "--document", "1")
    assert exit_.value.code == 2


def test_codings_from_standard_input(demo: str, tmp_path: Path) -> None:
    rows = "".join(
        f"{doc},{start},{start + 7},Trope/Slow burn,cli coder,\n" for doc in (1, 2) for start in (0, 10)
    )
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "code", demo, "--from-csv", "-"],
        input=("\ufeff" + HEADER + rows).encode("utf-8"),
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},  # the file is UTF-8 whatever the locale says
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().splitlines()[0] == "applied 4 codings, skipped 0 duplicates"
    again = subprocess.run(
        [sys.executable, "-m", "annotator", "code", demo, "--from-csv", "-"],
        input=(HEADER + rows).encode("utf-8"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert again.stdout.decode().splitlines()[0] == "applied 0 codings, skipped 4 duplicates"
