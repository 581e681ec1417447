"""Regenerate docs/screenshots/reports.png: the Reports window with a table, a chart and the
segments behind a clicked row, offscreen at 1280×720.

    python benchmarks/make_report_screenshots.py [--out docs/screenshots] [--kind crosstab]

Builds a throw-away project with the generated report corpus of the tests (three coders,
overlapping codes, AO3 attributes), opens it in the main window, opens View ▸ Reports…, runs
the chosen report for two coders and clicks its first row, then grabs the Reports window.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication

from annotator.services.projects import create_project
from annotator.ui.app import apply_palette, configure_application
from annotator.ui.main_window import MainWindow
from annotator.ui.reports import open_reports
from annotator.ui.settings import AppSettings
from tests.services.report_corpus import build_report_corpus

SIZE = (1280, 720)


def _wait(app: QApplication, done: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if not done():
        raise SystemExit("the Reports window did not finish in time")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    )
    parser.add_argument("--kind", default="frequencies")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="annotator-report-shots-") as temp:
        tmp = Path(temp)
        QCoreApplication.setOrganizationName("annotator-screenshots")
        QCoreApplication.setApplicationName("annotator-screenshots")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        configure_application(app, identity=False)
        apply_palette(app, dark=False)
        store = create_project(str(tmp / "reports.annotator"), codebook="empty")
        build_report_corpus(store, works=12, spans_per_coder=14)
        settings = AppSettings(QSettings(str(tmp / "shots.ini"), QSettings.Format.IniFormat))
        settings.set_coder_name("ana")
        window = MainWindow(settings)
        window.resize(*SIZE)
        window.show()
        assert window.open_store(store)
        reports = open_reports(window)
        assert reports is not None
        reports.resize(*SIZE)
        reports.kind.setCurrentIndex(reports.kind.findData(args.kind))
        for name in ("ana", "ben"):  # several coders chosen in the filters
            reports.filters.coders.findItems(name, Qt.MatchFlag.MatchExactly)[0].setSelected(True)
        reports.refresh()
        _wait(
            app,
            lambda: (
                reports.shown is not None
                and reports.shown.result.request.kind == args.kind
                and reports.shown.result.request.flt.coders == ("ana", "ben")
            ),
        )
        reports.table.selectRow(0)
        reports.table.clicked.emit(reports.proxy.index(0, 0))  # the segments behind the first row
        _wait(app, lambda: reports.segments_model.rowCount() > 0)
        for _ in range(20):
            app.processEvents()
            time.sleep(0.02)
        path = args.out / "reports.png"
        reports.grab().save(str(path))
        print(f"wrote {path}")
        reports.close()
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
