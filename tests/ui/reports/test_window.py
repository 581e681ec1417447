"""View ▸ Reports…: choose a report, see its rows and chart, click a row for its segments, and
double-click one to open it in the main window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication
from pytestqt.qtbot import QtBot

from annotator.services.projects import create_project
from annotator.services.reports import ReportFilter, cooccurrence_report, frequencies_report
from annotator.services.reports_lists import cooccurrence_cell
from annotator.ui.main_window import MainWindow
from annotator.ui.reports.window import ReportsWindow
from annotator.ui.settings import AppSettings
from tests.services.report_corpus import ReportCorpus, build_report_corpus

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def coded(
    qtbot: QtBot, project_target: str, app_settings: AppSettings
) -> Iterator[tuple[MainWindow, ReportCorpus]]:
    store = create_project(project_target, codebook="empty")
    corpus = build_report_corpus(store, works=3, spans_per_coder=8)
    win = MainWindow(app_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_store(store)
    win.activateWindow()
    yield win, corpus
    win.close()
    store.close()


def _open(window: MainWindow, qtbot: QtBot) -> ReportsWindow:
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL_SHIFT)
    [reports] = [d for d in window.dialogs if isinstance(d, ReportsWindow)]
    qtbot.waitExposed(reports)
    qtbot.waitUntil(lambda: reports.shown is not None, timeout=10_000)
    return reports


def _rows(reports: ReportsWindow) -> list[tuple[object, ...]]:
    model = reports.proxy
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())
    ]


def _click(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex, double: bool = False) -> None:
    view.scrollTo(index)
    where = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_frequencies_show_the_service_figures_and_a_chart(
    qtbot: QtBot, coded: tuple[MainWindow, ReportCorpus]
) -> None:
    window, corpus = coded
    reports = _open(window, qtbot)
    assert reports.canvas is not None and reports.canvas.figure is reports.shown.figure  # type: ignore[union-attr]
    report = frequencies_report(corpus.store)
    shown = {(row[0], row[1]): row[2] for row in _rows(reports)}
    assert shown == {(r.code, r.coder): str(r.segments) for r in report.rows}
    # Sorting by a header orders numbers as numbers.
    header = reports.table.horizontalHeader()
    column = [reports.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(4)].index("segments")
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().topLeft() + _section(header, column)
    )
    counts = [int(str(row[column])) for row in _rows(reports)]
    assert counts in (sorted(counts), sorted(counts, reverse=True)) and counts != [counts[0]] * len(counts)


def _section(header: object, column: int) -> object:
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(column) + 5, 5)  # type: ignore[attr-defined]


def test_a_cooccurrence_cell_lists_its_pairs_and_opens_one_in_the_main_window(
    qtbot: QtBot, coded: tuple[MainWindow, ReportCorpus]
) -> None:
    window, corpus = coded
    reports = _open(window, qtbot)
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
    rows = _rows(reports)
    row = rows.index(next(r for r in rows if (r[0], r[1]) == (busiest.code_a, busiest.code_b)))
    assert rows[row][2] == str(busiest.pairs)
    _click(qtbot, reports.table, reports.proxy.index(row, 2))
    qtbot.waitUntil(lambda: reports.segments_model.rowCount() == 2 * busiest.pairs)
    pairs = cooccurrence_cell(corpus.store, busiest.code_a, busiest.code_b, flt=ReportFilter())
    first = pairs[0][0]
    assert reports.items[0].annotation_id == first.annotation_id
    _click(qtbot, reports.segments, reports.segments_model.index(0, 4), double=True)
    pane = window.workspace.pane  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: pane.document is not None and pane.document.id == first.document_id)
    assert pane.viewer.selected_span() == (first.start, first.end)


def test_a_report_that_needs_a_choice_says_so(qtbot: QtBot, coded: tuple[MainWindow, ReportCorpus]) -> None:
    window, _ = coded
    reports = _open(window, qtbot)
    reports.kind.setFocus()
    qtbot.keyClick(reports.kind, Qt.Key.Key_End)  # "document": which work?
    qtbot.waitUntil(lambda: reports.status.text() == "Choose the work to draw.")
    assert QApplication.activeWindow() is not None


def test_closing_while_a_report_computes_drops_its_result(
    qtbot: QtBot, coded: tuple[MainWindow, ReportCorpus]
) -> None:
    window, _ = coded
    reports = _open(window, qtbot)
    shown = reports.shown
    qtbot.keyClick(reports.run_button, Qt.Key.Key_Space)  # a new run starts in the background
    reports.close()
    from annotator.ui import workers

    qtbot.waitUntil(lambda: not workers._running, timeout=10_000)  # it finished, and nothing broke
    assert reports.shown is shown
