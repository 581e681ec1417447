"""Application setup: identity for QSettings, Fusion style, a light or dark palette, ``run_gui``.

The palette follows the system's colour scheme (``QStyleHints.colorScheme()``, Qt ≥ 6.5) and
changes with it while the app runs.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QWidget

from annotator.core.errors import one_line
from annotator.paths import resources_dir
from annotator.ui.palette import apply_palette as apply_palette
from annotator.ui.palette import make_palette as make_palette
from annotator.ui.palette import system_prefers_dark as system_prefers_dark
from annotator.ui.plain import plain_message_box
from annotator.ui.settings import APPLICATION, ORGANIZATION


def app_icon() -> QIcon:
    icons = resources_dir() / "icons"
    path = icons / "annotator.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def configure_application(app: QApplication, *, identity: bool = True) -> QApplication:
    """Style, palette and (unless a test set its own) the names QSettings files are keyed by."""
    if identity:
        QCoreApplication.setOrganizationName(ORGANIZATION)
        QCoreApplication.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setStyle("Fusion")
    apply_palette(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_palette(app))
    app.setWindowIcon(app_icon())
    return app


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    return configure_application(QApplication(argv if argv is not None else sys.argv[:1]))


def _show_unexpected(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """Last resort for a bug in a slot: say so instead of dying silently, keep the trace on stderr."""
    traceback.print_exception(kind, value, tb)
    if QApplication.instance() is not None:
        what = f"{kind.__name__}: {one_line(value)}"  # may quote user data: plain text
        text = f"Something went wrong: {what}\n\nYour work up to the last action is saved."
        plain_message_box(None, QMessageBox.Icon.Critical, APPLICATION, text).exec()


# Set by benchmarks/bench_startup.py only: print the wall-clock time of the first paint of a
# document's text in the viewer, then quit. It measures start-up through the real entry point.
EXIT_AFTER_FIRST_PAINT = "ANNOTATOR_EXIT_AFTER_FIRST_PAINT"


class _FirstTextPaint(QObject):
    """Quits the application after the viewer has painted a document's text once."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            viewer = watched.parent() if isinstance(watched, QWidget) else None
            if (
                isinstance(viewer, QPlainTextEdit)
                and type(viewer).__name__ == "DocumentViewer"
                and viewer.document().characterCount() > 1
            ):
                QTimer.singleShot(0, lambda: self._report(time.time()))
        return False

    def _report(self, painted_at: float) -> None:
        print(f"first-paint {painted_at:.6f}", flush=True)
        QApplication.exit(0)


def run_gui(project_location: str | None = None) -> int:
    """Open the main window (on the start page, or on ``project_location``) and run the event loop."""
    from annotator.ui.main_window import MainWindow

    app = create_application()
    sys.excepthook = _show_unexpected
    if os.environ.get(EXIT_AFTER_FIRST_PAINT):
        watcher = _FirstTextPaint(app)
        app.installEventFilter(watcher)
    window = MainWindow()
    window.show()
    if project_location:
        window.open_location(project_location)
    return int(app.exec())
