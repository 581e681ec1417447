"""A main window on a generated, coded project (three works, three coders), ready for Reports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from annotator.services.projects import create_project
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings
from tests.services.report_corpus import ReportCorpus, build_report_corpus


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
