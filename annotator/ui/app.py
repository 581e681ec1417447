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
from annotator.ui.first_screen import FirstScreen, FirstScreenViewer, show_first_screen
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
# On a project file that paint is the first screen's (annotator.ui.first_screen): the work the
# window opens, its real text, in the viewer's place; the main window is then not built at all.
# Set to MAIN_WINDOW_ONLY, only the main window's viewer counts: the time until the project is
# open and codable.
EXIT_AFTER_FIRST_PAINT = "ANNOTATOR_EXIT_AFTER_FIRST_PAINT"
MAIN_WINDOW_ONLY = "main-window"


class _FirstTextPaint(QObject):
    """Quits the application after a viewer has painted a document's text once.

    The viewers counted: the main window's ``DocumentViewer``, and the first screen's
    ``FirstScreenViewer``, which shows the start of the very work the main window opens.
    """

    reported = False

    def __init__(self, parent: QObject, *, main_window_only: bool = False) -> None:
        super().__init__(parent)
        self.main_window_only = main_window_only

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.reported:
            viewer = watched.parent() if isinstance(watched, QWidget) else None
            first_screen = isinstance(viewer, FirstScreenViewer) and not self.main_window_only
            if (
                isinstance(viewer, QPlainTextEdit)
                and (first_screen or type(viewer).__name__ == "DocumentViewer")
                and watched is viewer.viewport()
                and viewer.document().characterCount() > 1
            ):
                self.reported = True
                QTimer.singleShot(0, lambda: self._report(time.time()))
        return False

    def _report(self, painted_at: float) -> None:
        print(f"first-paint {painted_at:.6f}", flush=True)
        QApplication.exit(0)


def run_gui(project_location: str | None = None) -> int:
    """Open the main window (on the start page, or on ``project_location``) and run the event loop.

    On a project file the first screen shows its first work at once, before the main window's
    modules are imported; the main window is built after that first paint, opens the project,
    and takes the first screen's place (:mod:`annotator.ui.first_screen`). Elsewhere (a server
    URL, a project to upgrade, no coder chosen yet, …) the main window opens it as it always did.
    """
    app = create_application()
    sys.excepthook = _show_unexpected
    watcher: _FirstTextPaint | None = None
    if exit_after := os.environ.get(EXIT_AFTER_FIRST_PAINT):
        watcher = _FirstTextPaint(app, main_window_only=exit_after == MAIN_WINDOW_ONLY)
        app.installEventFilter(watcher)
    screen = show_first_screen(project_location) if project_location else None
    if screen is not None:
        assert project_location is not None
        location = project_location
        screen.ready.connect(lambda: _take_over(screen, location, watcher))
        return int(app.exec())
    from annotator.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    if project_location:
        window.open_location(project_location)
    return int(app.exec())


def _take_over(screen: FirstScreen, location: str, watcher: _FirstTextPaint | None) -> None:
    """Build the main window, open ``location`` in it, and show it in ``screen``'s place when open."""
    if watcher is not None and watcher.reported:
        return  # the benchmark has its first paint and is quitting
    from annotator.ui.main_window import MainWindow

    window = MainWindow()
    screen.successor = window  # kept alive with the screen
    window.open_location(location)
    worker = window.opening
    if worker is None:
        screen.hand_to(window)
        return
    # Connected after the window's own slots, so these run once the window shows the project
    # (or the start page saying why it could not).
    worker.signals.finished.connect(lambda _result: screen.hand_to(window))
    worker.signals.failed.connect(lambda _message: screen.hand_to(window))
    # Closed before the project is shown: stop opening it (the app quits: no window is left).
    screen.closedByUser.connect(window.cancel_opening)
