"""PySide6 6.12.0 aborted the process after ~5,000 calls of void-returning Qt methods.

The app is pinned below 6.12 for that reason; this test fails on any build with the bug. The calls
run in a child interpreter so an abort shows up as a failed return code instead of killing pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CALLS = 20_000

SCRIPT = textwrap.dedent(
    f"""
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import (
        QColor, QGuiApplication, QImage, QPainter, QTextCharFormat, QTextCursor, QTextDocument,
    )

    app = QGuiApplication([])
    document = QTextDocument("a small document with a few words in it")
    cursor = QTextCursor(document)
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    fmt = QTextCharFormat()
    fmt.setBackground(QColor("#ff0000"))
    for i in range({CALLS}):
        cursor.setPosition(i % 30)                                  # void
        cursor.setPosition(i % 30 + 5, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)                                 # void
        painter.fillRect(i % 60, i % 60, 4, 4, QColor(i % 255, 0, 0))  # void
    painter.end()
    cursor.setPosition(3)
    assert cursor.position() == 3
    assert image.pixelColor(0, 0).isValid()
    print("alive", {CALLS})
    """
)


def test_many_void_qt_calls_do_not_abort() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, (
        f"child died with return code {result.returncode} (negative = signal); "
        f"stderr:\n{result.stderr[-2000:]}"
    )
    assert f"alive {CALLS}" in result.stdout
