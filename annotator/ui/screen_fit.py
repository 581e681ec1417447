"""Where the main window opens: fitted to the screen's free area, never larger than it.

A fixed 1400 × 900 window put the Codebook, the Annotation panel and the coder box off a
1280 × 720 screen. The window now takes its preferred size only where it fits, and a saved
place is used only while it is still on a screen (see ``AppSettings.restore_geometry``).
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication

PREFERRED_SIZE = QSize(1400, 900)
# Room for the window manager's title bar and borders, which are unknown until the window is
# shown: without it a window as tall as the free area would put its bottom edge off screen.
FRAME_ROOM = QMargins(8, 36, 8, 8)


def fitted_geometry(available: QRect, preferred: QSize = PREFERRED_SIZE) -> QRect:
    """The window's geometry (frame excluded) for a screen whose free area is ``available``:
    the preferred size where it fits, else as much as fits, centred."""
    room = available.marginsRemoved(FRAME_ROOM)
    rect = QRect(QPoint(0, 0), preferred.boundedTo(room.size()))
    rect.moveCenter(room.center())
    return rect


def on_a_screen(geometry: QRect) -> bool:
    """Whether a window at ``geometry`` (frame excluded) lies on one screen's free area: its
    top-left corner (where the title bar is grabbed) on it, and no bigger than it."""
    for screen in QGuiApplication.screens():
        area = screen.availableGeometry()
        fits = geometry.width() <= area.width() and geometry.height() <= area.height()
        if fits and area.contains(geometry.topLeft()) and area.contains(geometry.bottomRight()):
            return True
    return False
