"""Run the app's main window on a screen of a given size, in a process of its own, and report.

The offscreen platform takes its screens from a JSON file (``offscreen:configfile=…``), and a
process has the screens it started with, so tests of how the window fits a 1280 × 720 screen, or
comes back after a monitor was unplugged, start this script:

    python -m tests.ui.window_on_screen SETTINGS.ini PROJECT [--move X,Y] [--drag-segments DY]

It opens PROJECT as the app does, optionally moves the window and drags the edge of the Segments
dock with the mouse, presses Ctrl+Shift+U (the coder box), closes the window (which saves the
layout) and prints one JSON object: the screen's free area, the window's geometry and where each
dock and the coder box were, in screen coordinates.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from annotator.ui.app import create_application
from annotator.ui.main_window import MainWindow
from annotator.ui.opening import open_for_app
from annotator.ui.settings import AppSettings


def _rect(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def _on_screen(widget: QWidget) -> list[int]:
    """Where ``widget`` is on the screen, clipped to the parts of it its window shows."""
    window = widget.window()
    top_left = widget.mapTo(window, QPoint(0, 0))
    shown = QRect(top_left, widget.size()).intersected(window.rect())
    return _rect(shown.translated(window.geometry().topLeft()))


def _drag_segments_edge(window: MainWindow, dy: int) -> None:
    """Drag the separator above the Segments dock by ``dy`` pixels, as with the mouse."""
    assert window.workspace is not None
    segments = window.workspace.docks[3]
    x = segments.geometry().center().x()
    y = segments.geometry().top() - 3  # the separator sits in the gap above the dock
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton

    def send(kind: QEvent.Type, at: QPoint, button: Qt.MouseButton, held: Qt.MouseButton) -> None:
        # QTest.mouseMove carries no pressed button; a drag needs moves with the button held.
        global_at = QPointF(window.mapToGlobal(at))
        event = QMouseEvent(kind, QPointF(at), global_at, button, held, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(window, event)
        QApplication.processEvents()  # the layout applies each step of the move

    send(QEvent.Type.MouseMove, QPoint(x, y), none, none)
    send(QEvent.Type.MouseButtonPress, QPoint(x, y), left, left)
    for step in range(1, 11):
        send(QEvent.Type.MouseMove, QPoint(x, y + dy * step // 10), none, left)
    send(QEvent.Type.MouseButtonRelease, QPoint(x, y + dy), left, none)


def run(settings_path: str, project: str, move: str | None, drag: int | None) -> dict[str, Any]:
    app = create_application()
    settings = AppSettings(QSettings(settings_path, QSettings.Format.IniFormat))
    window = MainWindow(settings)
    window.show()
    QTest.qWaitForWindowExposed(window)
    if move:
        x, y = (int(v) for v in move.split(","))
        window.move(x, y)
    assert window.open_store(open_for_app(project))
    workspace = window.workspace
    assert workspace is not None
    QTest.qWait(50)
    if drag:
        _drag_segments_edge(window, drag)
        QTest.qWait(50)
    window.activateWindow()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, Qt.Key.Key_U, ctrl_shift)
    focus = QApplication.focusWidget()
    report = {
        "screen": _rect(window.screen().availableGeometry()),
        "window": _rect(window.geometry()),
        "docks": {
            dock.windowTitle(): {"shown": dock.isVisible(), "rect": _on_screen(dock)}
            for dock in workspace.docks
        },
        "segments_height": workspace.docks[3].height(),
        "coder_box": {
            "shown": window.coder_switcher.isVisible(),
            "rect": _on_screen(window.coder_switcher.combo),
            "focused": focus is window.coder_switcher.combo,
        },
    }
    window.close()
    app.processEvents()
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("settings")
    parser.add_argument("project")
    parser.add_argument("--move", help="X,Y: move the window there before opening the project")
    parser.add_argument("--drag-segments", type=int, help="drag the Segments dock's top edge by DY")
    args = parser.parse_args()
    print(json.dumps(run(args.settings, args.project, args.move, args.drag_segments)))


if __name__ == "__main__":
    main()
