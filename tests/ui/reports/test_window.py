"""View ▸ Reports…: choose a report, see its rows and chart, click a row for its segments, and
double-click one to open it in the main window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.core.reports.data import ALL_CODERS
from annotator.services.reports import ReportFilter, cooccurrence_report, frequencies_report
from annotator.services.reports_lists import cooccurrence_cell
from annotator.ui.main_window import MainWindow
from tests.services.report_corpus import ReportCorpus
from tests.services.waiting_support import updated_with_waiting
from tests.ui.reports.helpers import click, open_reports, section, table_rows


def test_frequencies_show_the_service_figures_and_a_chart(
    qtbot: QtBot, coded: tuple[MainWindow, ReportCorpus]
) -> None:
    window, corpus = coded
    reports = open_reports(window, qtbot)
    assert reports.canvas is not None and reports.canvas.figure is reports.shown.figure  # type: ignore[union-attr]
    report = frequencies_report(corpus.store)
    shown = {(row[0], row[1]): row[2] for row in table_rows(reports)}
    assert shown == {(r.code, r.coder): str(r.segments) for r in report.rows}
    # Sorting by a header orders numbers as numbers.
    header = reports.table.horizontalHeader()
    column = [reports.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(4)].index("segments")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=section(header, column))
    counts = [int(str(row[column])) for row in table_rows(reports)]
    assert counts in (sorted(counts), sorted(counts, reverse=True)) and counts != [counts[0]] * len(counts)


def test_a_cooccurrence_cell_lists_its_pairs_and_opens_one_in_the_main_window(
    qtbot: QtBot, coded: tuple[MainWindow, ReportCorpus]
) -> None:
    window, corpus = coded
    reports = open_reports(window, qtbot)
    before = reports.shown
    reports.kind.setFocus()
    qtbot.keyClick(reports.kind, Qt.Key.Key_Down)  # crosstab: needs an attribute, has rows
    qtbot.keyClick(reports.kind, Qt.Key.Key_Down)  # cooccurrence
    assert reports.kind.currentData() == "cooccurrence"
    qtbot.waitUntil(
        lambda: reports.shown is not before and reports.shown.result.request.kind == "cooccurrence"
    )  # type: ignore[union-attr]
    report = cooccurrence_report(corpus.store)
    busiest = max(report.cells, key=lambda cell: cell.pairs)
    assert busiest.pairs > 0
    rows = table_rows(reports)
    row = rows.index(next(r for r in rows if (r[0], r[1]) == (busiest.code_a, busiest.code_b)))
    assert rows[row][2] == str(busiest.pairs)
    click(qtbot, reports.table, reports.proxy.index(row, 2))
    qtbot.waitUntil(lambda: reports.segments_model.rowCount() == 2 * busiest.pairs)
    pairs = cooccurrence_cell(corpus.store, busiest.code_a, busiest.code_b, flt=ReportFilter())
    first = pairs[0][0]
    assert reports.items[0].annotation_id == first.annotation_id
    click(qtbot, reports.segments, reports.segments_model.index(0, 4), double=True)
    pane = window.workspace.pane  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: pane.document is not None and pane.document.id == first.document_id)
    assert pane.viewer.selected_span() == (first.start, first.end)


def test_a_report_that_needs_a_choice_says_so(qtbot: QtBot, coded: tuple[MainWindow, ReportCorpus]) -> None:
    window, _ = coded
    reports = open_reports(window, qtbot)
    reports.kind.setFocus()
    qtbot.keyClick(reports.kind, Qt.Key.Key_End)  # "document": which work?
    qtbot.waitUntil(lambda: reports.status.text() == "Choose the work to draw.")
    assert QApplication.activeWindow() is not None


def test_closing_while_a_report_computes_drops_its_result(
    qtbot: QtBot, coded: tuple[MainWindow, ReportCorpus]
) -> None:
    window, _ = coded
    reports = open_reports(window, qtbot)
    shown = reports.shown
    qtbot.keyClick(reports.run_button, Qt.Key.Key_Space)  # a new run starts in the background
    reports.close()
    from annotator.ui import workers

    qtbot.waitUntil(lambda: not workers._running, timeout=10_000)  # it finished, and nothing broke
    assert reports.shown is shown


def test_a_note_says_how_many_annotations_waiting_for_review_were_left_out(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    store = window.workspace.session.store  # type: ignore[union-attr]
    updated = updated_with_waiting(store, tmp_path)
    reports = open_reports(window, qtbot)
    note = "Note: 2 annotations moved by an update wait for review and are not counted"
    qtbot.waitUntil(lambda: reports.notes.isVisible())
    assert reports.notes.textFormat() == Qt.TextFormat.PlainText
    assert note in reports.notes.text().splitlines()
    # The figures shown leave them out: the edited code counts only the annotations not waiting.
    edited = updated.work.code_names["edited"]
    shown = {(row[0], row[1]): row[2] for row in table_rows(reports)}
    expected = {(r.code, r.coder): str(r.segments) for r in frequencies_report(store).rows}
    assert shown == expected
    assert shown[(edited, ALL_CODERS)] == "2"  # the other work's two; not the two waiting for review
