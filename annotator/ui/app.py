"""Application setup: identity for QSettings, Fusion style, a light or dark palette, ``run_gui``.

The palette follows the system's colour scheme (``QStyleHints.colorScheme()``, Qt ≥ 6.5) and
changes with it while the app runs.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.errors import one_line
from annotator.paths import resources_dir
from annotator.ui.plain import plain_message_box
from annotator.ui.settings import APPLICATION, ORGANIZATION

_LIGHT = {
    QPalette.ColorRole.Window: "#f3f3f4",
    QPalette.ColorRole.WindowText: "#1d1d1f",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f6f7f9",
    QPalette.ColorRole.Text: "#1d1d1f",
    QPalette.ColorRole.Button: "#ececee",
    QPalette.ColorRole.ButtonText: "#1d1d1f",
    QPalette.ColorRole.Highlight: "#3d7bd9",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#fffbe6",
    QPalette.ColorRole.ToolTipText: "#1d1d1f",
    QPalette.ColorRole.PlaceholderText: "#8a8a8e",
    QPalette.ColorRole.Link: "#2a62c9",
    QPalette.ColorRole.Mid: "#c6c6ca",
    QPalette.ColorRole.Midlight: "#e2e2e5",
    QPalette.ColorRole.Dark: "#a0a0a5",
}
_DARK = {
    QPalette.ColorRole.Window: "#26272b",
    QPalette.ColorRole.WindowText: "#e6e6e8",
    QPalette.ColorRole.Base: "#1c1d20",
    QPalette.ColorRole.AlternateBase: "#232428",
    QPalette.ColorRole.Text: "#e6e6e8",
    QPalette.ColorRole.Button: "#33353a",
    QPalette.ColorRole.ButtonText: "#e6e6e8",
    QPalette.ColorRole.Highlight: "#4a86e0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#33353a",
    QPalette.ColorRole.ToolTipText: "#e6e6e8",
    QPalette.ColorRole.PlaceholderText: "#8c8c92",
    QPalette.ColorRole.Link: "#7fb0ff",
    QPalette.ColorRole.Mid: "#44464c",
    QPalette.ColorRole.Midlight: "#3a3c41",
    QPalette.ColorRole.Dark: "#18191b",
    QPalette.ColorRole.Light: "#4a4c52",
    QPalette.ColorRole.Shadow: "#000000",
}


def make_palette(dark: bool) -> QPalette:
    palette = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        palette.setColor(role, QColor(colour))
    disabled = QColor("#6b6c71" if dark else "#a3a3a8")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def system_prefers_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_palette(app: QApplication, dark: bool | None = None) -> None:
    """Light or dark palette; ``None`` follows the system setting."""
    app.setPalette(make_palette(system_prefers_dark() if dark is None else dark))


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


def run_gui(project_location: str | None = None) -> int:
    """Open the main window (on the start page, or on ``project_location``) and run the event loop."""
    from annotator.ui.main_window import MainWindow

    app = create_application()
    sys.excepthook = _show_unexpected
    window = MainWindow()
    window.show()
    if project_location:
        window.open_location(project_location)
    return int(app.exec())
