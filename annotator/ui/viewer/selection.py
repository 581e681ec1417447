"""The viewer's text selection in code points, and snapping it to whole words.

Qt's cursor counts UTF-16 units; everything the viewer reports is in code points of the stored
text, converted here through the document's ``OffsetMap``. A selection made with the mouse is
snapped to whole words on release (``core.words.snap_to_words``) unless the researcher holds
Alt, so that "udos are appreciated, as w" is coded as "Kudos are appreciated, as well".
Copying gives the stored text, whichever way it is asked for (``copying_menu`` for the menu).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QMenu

from annotator.core.offsets import OffsetMap
from annotator.core.words import snap_to_words

FREE_SELECTION = Qt.KeyboardModifier.AltModifier  # held while selecting: no snapping


def span_of(cursor: QTextCursor, offsets: OffsetMap) -> tuple[int, int] | None:
    """The cursor's selection in code points; never splits a surrogate pair."""
    if not cursor.hasSelection():
        return None
    start = offsets.to_code_point(cursor.selectionStart())
    end_u16 = cursor.selectionEnd()
    end = offsets.to_code_point(end_u16)
    if offsets.to_utf16(end) < end_u16:  # ended inside a pair: take the character
        end += 1
    return (start, end) if start < end else None


def snaps(event: QMouseEvent, enabled: bool) -> bool:
    """True if releasing the mouse with ``event`` should snap the selection to words."""
    return enabled and event.button() == Qt.MouseButton.LeftButton and not event.modifiers() & FREE_SELECTION


def snapped(cursor: QTextCursor, text: str, offsets: OffsetMap) -> QTextCursor | None:
    """A copy of ``cursor`` selecting whole words (same direction), or None if it already does."""
    span = span_of(cursor, offsets)
    if span is None:
        return None
    lo, hi = snap_to_words(text, *span)
    if (lo, hi) == span:
        return None
    forward = cursor.position() >= cursor.anchor()
    result = QTextCursor(cursor)
    result.setPosition(offsets.to_utf16(lo if forward else hi))
    result.setPosition(offsets.to_utf16(hi if forward else lo), QTextCursor.MoveMode.KeepAnchor)
    return result


def copying_menu(menu: QMenu, copy: Callable[[], None]) -> QMenu:
    """Qt's context menu for the viewer, its Copy doing ``copy`` (Qt's would copy display breaks)."""
    for action in menu.actions():
        if action.objectName() == "edit-copy":
            action.triggered.disconnect()
            action.triggered.connect(lambda _checked=False: copy())
    return menu
