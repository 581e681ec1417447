"""The Reports window's filters take several values, as ``annotator report`` does, and give the
same figures as the command line; every cell of the positions report lists its segments."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.cli import main
from annotator.core.reports.data import Table
from annotator.core.reports.reading import wide
from annotator.io.csv_safety import CSV_ENCODING, unguard_cell
from annotator.services.reports import ReportFilter, frequencies_report
from annotator.services.segments import export_segments
from annotator.ui.main_window import MainWindow
from annotator.ui.reports.table_model import shown
from annotator.ui.reports.window import ReportsWindow
from tests.services.report_corpus import ReportCorpus
from tests.ui.reports.helpers import choose, click, open_reports, shown_after, table_rows


def _cli_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> set[tuple[str, ...]]:
    """The report ``annotator report`` writes for ``argv``, wide, as the window shows its cells."""
    out = tmp_path / "cli.csv"
    assert main(["report", *argv, "--csv", str(out)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    with open(out, encoding=CSV_ENCODING, newline="") as handle:
        rows = list(csv.reader(handle))
    # The value column holds numbers in full (empty: none); the window shows them as "%.4g".
    long = [(*(unguard_cell(v) for v in row[:-1]), _number(row[-1])) for row in rows[1:]]
    return {tuple(shown(v) for v in row) for row in wide(Table(tuple(rows[0]), tuple(long))).rows}


def _number(value: str) -> int | float | None:
    if not value:
        return None
    return int(value) if value.lstrip("-").isdigit() else float(value)


def _window_rows(reports: ReportsWindow) -> set[tuple[str, ...]]:
    return {tuple(str(v) for v in row) for row in table_rows(reports)}


def test_several_coders_codes_and_works_give_the_figures_of_the_command_line(
    qtbot: QtBot,
    coded: tuple[MainWindow, ReportCorpus],
    project_target: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    window, corpus = coded
    reports = open_reports(window, qtbot)
    panel = reports.filters
    first, second = corpus.works[0], corpus.works[2]
    choose(qtbot, panel.coders, "ana", "cy")
    choose(qtbot, panel.codes, "Trope", "Humour")
    choose(qtbot, panel.works, f"{first.id}: {first.title}", f"{second.id}: {second.title}")
    flt = ReportFilter(("ana", "cy"), ("Trope", "Humour"), (first.id, second.id))
    shown_after(qtbot, reports, "frequencies", coders=flt.coders, code_paths=flt.code_paths)
    shown_after(qtbot, reports, "frequencies", document_ids=flt.document_ids)
    assert panel.coders.isVisible() and "Coders: 2 of" in panel.titles[panel.coders][0].text()
    report = frequencies_report(corpus.store, flt)
    assert {(r[0], r[1], r[2]) for r in table_rows(reports)} == {
        (r.code, r.coder, str(r.segments)) for r in report.rows
    }
    assert {r[1] for r in table_rows(reports)} == {"ana", "cy", "(all coders)"}
    assert {r[0] for r in table_rows(reports)} == {"Trope", "Trope/Slow burn", "Trope/Fluff", "Humour"}
    ids = f"{first.id},{second.id}"
    cli = _cli_rows(
        capsys, tmp_path, project_target, "frequencies", "--coders", "ana,cy", "--codes", "Trope,Humour",
        "--documents", ids,
    )  # fmt: skip
    assert _window_rows(reports) == cli


def test_attribute_values_are_alternatives_and_zones_narrow_the_text(
    qtbot: QtBot,
    coded: tuple[MainWindow, ReportCorpus],
    project_target: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    window, corpus = coded
    reports = open_reports(window, qtbot)
    panel = reports.filters
    panel.attribute.setFocus()
    qtbot.keyClicks(panel.attribute, "fandoms")  # type-to-find in the list of attributes
    assert panel.attribute.currentData() == "fandoms"
    qtbot.waitUntil(lambda: panel.values.count() > 0)
    assert {panel.values.item(i).text() for i in range(panel.values.count())} <= {
        "Star Wars",
        "Good Omens",
        "Bleach",
    }
    values = [panel.values.item(i).text() for i in range(min(2, panel.values.count()))]
    choose(qtbot, panel.values, *values)
    choose(qtbot, panel.zones, "story", "summary")
    assert not panel.part.isEnabled()  # zones say which text; the part would contradict them
    attributes = tuple(("fandoms", v) for v in values)
    shown_after(qtbot, reports, "frequencies", attributes=attributes, zones=("summary", "story"))
    report = frequencies_report(corpus.store, ReportFilter(attributes=attributes, zones=("summary", "story")))
    assert {(r[0], r[1], r[2], r[4]) for r in table_rows(reports)} == {
        (r.code, r.coder, str(r.segments), str(r.characters)) for r in report.rows
    }
    argv = [a for v in values for a in ("--attribute", f"fandoms={v}")]
    cli = _cli_rows(capsys, tmp_path, project_target, "frequencies", *argv, "--zones", "summary,story")
    assert _window_rows(reports) == cli
    # Clearing the filters is the whole project again.
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    shown_after(qtbot, reports, "frequencies", attributes=(), zones=(), coders=())
    assert panel.part.isEnabled() and not panel.values.isEnabled()


def _segments(corpus: ReportCorpus) -> list[dict[str, str]]:
    out = io.StringIO()
    export_segments(corpus.store, out, parallel_from=None)
    out.seek(0)
    return list(csv.DictReader(out))


def test_each_cell_of_the_positions_report_lists_its_segments(
    qtbot: QtBot, coded: tuple[MainWindow, ReportCorpus]
) -> None:
    window, corpus = coded
    reports = open_reports(window, qtbot)
    reports.kind.setFocus()
    qtbot.keyClicks(reports.kind, "Po")
    shown_after(qtbot, reports, "positions")
    lengths = {w.id: len(w.text) for w in corpus.works}
    segments = _segments(corpus)

    def third(row: dict[str, str]) -> str:
        start, length = int(row["start"]), lengths[int(row["document_id"])]
        return "start" if 3 * start < length else "middle" if 3 * start < 2 * length else "end"

    def under(row: dict[str, str], code: str) -> bool:
        path = unguard_cell(row["code_path"])
        return path == code or path.startswith(code + "/")

    rows = table_rows(reports)
    cells = [("Trope", "part", "start"), ("Angst", "part", "end"), ("Trope", "chapter", "2")]
    cells.append(("Humour", "chapter", "(none)"))
    for code, position, where in cells:
        expected = {
            int(r["annotation_id"])
            for r in segments
            if under(r, code)
            and (third(r) == where if position == "part" else (r["chapter"] or "(none)") == where)
        }
        row = rows.index(next(r for r in rows if r[:3] == (code, position, where)))
        assert rows[row][3] == str(len(expected))
        reports.status.clear()
        click(qtbot, reports.table, reports.proxy.index(row, 3))
        qtbot.waitUntil(lambda: "behind this row" in reports.status.text())
        assert {item.annotation_id for item in reports.items} == expected
