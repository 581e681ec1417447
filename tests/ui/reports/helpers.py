"""Driving the Reports window as a user does: open it with its shortcut, read its table, click."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QListWidget
from pytestqt.qtbot import QtBot

from annotator.ui.main_window import MainWindow
from annotator.ui.reports.window import ReportsWindow

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def open_reports(window: MainWindow, qtbot: QtBot) -> ReportsWindow:
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL_SHIFT)
    [reports] = [d for d in window.dialogs if isinstance(d, ReportsWindow)]
    qtbot.waitExposed(reports)
    qtbot.waitUntil(lambda: reports.shown is not None, timeout=10_000)
    return reports


def table_rows(reports: ReportsWindow) -> list[tuple[object, ...]]:
    model = reports.proxy
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())
    ]


def click(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex, double: bool = False) -> None:
    view.scrollTo(index)
    where = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


def section(header: QHeaderView, column: int) -> QPoint:
    return QPoint(header.sectionViewportPosition(column) + 5, 5)


def choose(qtbot: QtBot, choices: QListWidget, *texts: str) -> None:
    """Click the first item whose text is ``texts[0]``, Ctrl-click the others (a multiple choice)."""
    for n, text in enumerate(texts):
        [item] = choices.findItems(text, Qt.MatchFlag.MatchExactly)
        choices.scrollToItem(item)
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        where = choices.visualItemRect(item).center()
        qtbot.mouseClick(choices.viewport(), Qt.MouseButton.LeftButton, modifier, where)


def shown_after(qtbot: QtBot, reports: ReportsWindow, kind: str, **flt: object) -> None:
    """Wait until the window shows a ``kind`` run whose filter has the fields ``flt``."""

    def done() -> bool:
        shown = reports.shown
        if shown is None or shown.result.request.kind != kind:
            return False
        got = shown.result.request.flt
        return all(getattr(got, name) == value for name, value in flt.items())

    qtbot.waitUntil(done, timeout=10_000)
