"""The app's light and dark palettes, and applying one (or the system's choice) to the running app.

Kept apart from :mod:`annotator.ui.app` (which starts the app and imports the main window) so the
View ▸ Theme menu can apply a palette without importing the window it sits in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

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
