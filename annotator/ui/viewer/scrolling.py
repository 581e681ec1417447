"""Centring a position in a ``QPlainTextEdit``, whose vertical scroll bar counts lines.

The scroll bar's value is a visual line number; with custom block layouts the pixel height of
each line varies, so centring walks up from the target line, summing real heights.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QTextBlock
from PySide6.QtWidgets import QPlainTextEdit


def centring_line(editor: QPlainTextEdit, position: int, ensure_layout: Callable[[QTextBlock], None]) -> int:
    """The scroll-bar value (top visual line) that puts UTF-16 ``position`` mid-viewport."""
    document = editor.document()
    block = document.findBlock(position)
    if not block.isValid():
        return 0
    ensure_layout(block)
    layout = block.layout()
    line = layout.lineForTextPosition(position - block.position())
    line_number = max(line.lineNumber(), 0) if line.isValid() else 0
    target = layout.lineAt(line_number)
    # Pixels that should be shown above the target line's top.
    room = editor.viewport().height() / 2.0 - target.height() / 2.0
    # First try lines of the same block above the target.
    for j in range(line_number, -1, -1):
        if target.y() - layout.lineAt(j).y() > room:
            return block.firstLineNumber() + min(j + 1, line_number)
    room -= target.y()
    current = block.previous()
    top_block, top_line = block, 0
    while current.isValid() and room > 0:
        if not current.isVisible():
            current = current.previous()
            continue
        ensure_layout(current)
        height = editor.blockBoundingRect(current).height()
        if height > room:
            layout = current.layout()
            for j in range(layout.lineCount()):
                if height - layout.lineAt(j).y() <= room:
                    return current.firstLineNumber() + j
            return current.firstLineNumber() + layout.lineCount()
        room -= height
        top_block, top_line = current, 0
        current = current.previous()
    return top_block.firstLineNumber() + top_line
