"""``annotator report PROJECT KIND``: tables on stdout, the same figures in the CSV, one-line errors."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.reports.data import ALL_CODERS
from annotator.io.csv_safety import CSV_ENCODING
from annotator.services.projects import create_project
from annotator.services.reports import ReportFilter, crosstab_report, frequencies_report
from annotator.store.project import open_project
from tests.cli.conftest import Run
from tests.services.report_corpus import ReportCorpus, build_report_corpus


@pytest.fixture
def project(project_target: str) -> Iterator[tuple[str, ReportCorpus]]:
    store = create_project(project_target, codebook="empty")
    corpus = build_report_corpus(store, works=4, spans_per_coder=6)
    store.close()
    yield project_target, corpus


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding=CSV_ENCODING, newline="") as handle:
        return list(csv.DictReader(handle))


def test_frequencies_print_a_table_and_write_the_same_figures(
    run: Run, project: tuple[str, ReportCorpus], tmp_path: Path
) -> None:
    target, _ = project
    out = tmp_path / "freq.csv"
    status, stdout, stderr = run(
        "report", target, "frequencies", "--coders", "ana,ben", "--story-only", "--csv", str(out)
    )
    assert status == 0, stderr
    assert "ana: segments" in stdout and "ben: segments" in stdout and "cy:" not in stdout
    assert "  Trope/Slow burn" in stdout  # sub-codes indented under their group
    assert f"wrote {5 * 3 * 4} rows" in stderr  # codes × (2 coders + all) × measures
    store = open_project(target)
    try:
        report = frequencies_report(store, ReportFilter(coders=("ana", "ben"), part="story"))
    finally:
        store.close()
    written = {(r["code"], r["coder"], r["measure"]): r["value"] for r in read(out)}
    for row in report.rows:
        assert written[(row.code, row.coder, "segments")] == str(row.segments)
        assert written[(row.code, row.coder, "characters")] == str(row.characters)
        assert float(written[(row.code, row.coder, "share")]) == row.share
    assert {coder for _, coder, _ in written} == {"ana", "ben", ALL_CODERS}


def test_crosstab_by_an_ao3_name(run: Run, project: tuple[str, ReportCorpus], tmp_path: Path) -> None:
    target, _ = project
    out = tmp_path / "cross.csv"
    status, stdout, stderr = run("report", target, "crosstab", "--by", "Fandom", "--csv", str(out))
    assert status == 0, stderr
    assert "Codes by fandoms" in stdout and "counts under each of its values" in stdout
    store = open_project(target)
    try:
        report = crosstab_report(store, "fandoms")
    finally:
        store.close()
    rows = read(out)
    assert {r["value"] for r in rows} == set(report.values)
    cell = report.cell("Angst", report.values[0])
    found = {
        r["measure"]: r["value_of_measure"]
        for r in rows
        if (r["code"], r["value"]) == ("Angst", report.values[0])
    }
    assert found["segments"] == str(cell.segments) and found["works"] == str(cell.works)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["cooccurrence", "--proximity", "chapter"], "in the same chapter"),
        (["cooccurrence", "--distance", "20"], "within 20 characters"),
        (
            ["cooccurrence", "--cell", "Angst", "Humour", "--proximity", "chapter"],
            "pair(s) in the same chapter",
        ),
        (["positions"], "ch 1"),
        (["retrieve", "--code", "Angst", "--not", "Trope", "--group-by", "work"], "== 1: Work 0"),
        (["memos", "--search", "mostly"], "Mostly fluff"),
        (["document", "--document", "1"], "Work 0"),
    ],
)
def test_every_kind_prints_and_writes_csv(
    run: Run, project: tuple[str, ReportCorpus], tmp_path: Path, arguments: list[str], expected: str
) -> None:
    target, _ = project
    out = tmp_path / "report.csv"
    status, stdout, stderr = run("report", target, *arguments, "--csv", str(out))
    assert status == 0, stderr
    assert expected in stdout
    rows = read(out)
    assert rows, "the CSV has rows"
    assert all(None not in row for row in rows)  # as many cells as header names


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["crosstab"], "'report crosstab' needs --by"),
        (["frequencies", "--by", "rating"], "--by is an option of 'report crosstab'"),
        (["crosstab", "--by", "fandm"], "no work has the attribute 'fandm'"),
        (["frequencies", "--zones", "prologue"], "unknown zone 'prologue'"),
        (["frequencies", "--codes", "Nope"], "no code at path 'Nope'"),
        (["retrieve", "--code", "Angst", "--context", "-3"], "the context is a number of characters"),
        (["document", "--document", "999"], "no document with id 999"),
        (["frequencies", "--attribute", "rating"], "--attribute wants NAME=VALUE"),
    ],
)
def test_mistakes_are_one_line(
    run: Run, project: tuple[str, ReportCorpus], arguments: list[str], message: str
) -> None:
    target, _ = project
    status, stdout, stderr = run("report", target, *arguments)
    assert status == 1 and not stdout
    assert stderr.count("\n") == 1 and message in stderr, stderr


def test_an_unknown_kind_is_a_usage_error(
    run: Run, project: tuple[str, ReportCorpus], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("report", project[0], "wordcloud")
    assert exit_info.value.code == 2
    assert "invalid choice: 'wordcloud'" in capsys.readouterr().err


def test_chart_and_html_files_hold_the_printed_report(
    run: Run, project: tuple[str, ReportCorpus], tmp_path: Path
) -> None:
    import xml.etree.ElementTree as ET

    import lxml.html

    target, _ = project
    chart, page = tmp_path / "freq.svg", tmp_path / "freq.html"
    status, stdout, stderr = run(
        "report", target, "frequencies", "--coders", "ana", "--chart", str(chart), "--html", str(page)
    )
    assert status == 0, stderr
    assert f"wrote the chart (SVG) to {chart}" in stderr and f"wrote the HTML report to {page}" in stderr
    bars = [
        g for g in ET.parse(chart).iter("{http://www.w3.org/2000/svg}g") if g.get("id", "").startswith("bar-")
    ]
    assert len(bars) == 5  # one coder, five codes
    tree = lxml.html.parse(str(page)).getroot()
    assert len(tree.xpath("//tbody/tr")) == 5 * 2  # ana and all coders, per code
    assert "Trope/Slow burn" in tree.text_content() and "Trope/Slow burn" in stdout


@pytest.mark.parametrize("suffix", ["png", "pdf"])
def test_a_document_strip_as_png_or_pdf(
    run: Run, project: tuple[str, ReportCorpus], tmp_path: Path, suffix: str
) -> None:
    target, corpus = project
    chart = tmp_path / f"strip.{suffix}"
    status, _, stderr = run(
        "report", target, "document", "--document", str(corpus.works[0].id), "--chart", str(chart)
    )
    assert status == 0, stderr
    assert chart.read_bytes().startswith(b"\x89PNG" if suffix == "png" else b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["memos", "--chart", "x.svg"], "'report memos' is a list and has no chart"),
        (["frequencies", "--chart", "x.gif"], "a chart is saved as .png, .svg or .pdf"),
    ],
)
def test_chart_mistakes_are_one_line_errors(
    run: Run, project: tuple[str, ReportCorpus], tmp_path: Path, args: list[str], message: str
) -> None:
    target, _ = project
    status, _, stderr = run("report", target, *args[:-1], str(tmp_path / args[-1]))
    assert status != 0 and message in stderr and len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / args[-1]).exists()


def test_only_report_charts_import_matplotlib() -> None:
    import subprocess
    import sys

    code = "import sys, annotator.cli, annotator.ui.main_window; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
