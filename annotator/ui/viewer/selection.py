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
WORD_REACH = 64  # code points a selection end may grow by to reach a word's edge


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
    lo, hi = snap_within_reach(text, *span)
    if (lo, hi) == span:
        return None
    forward = cursor.position() >= cursor.anchor()
    result = QTextCursor(cursor)
    result.setPosition(offsets.to_utf16(lo if forward else hi))
    result.setPosition(offsets.to_utf16(hi if forward else lo), QTextCursor.MoveMode.KeepAnchor)
    return result


def snap_within_reach(text: str, start: int, end: int) -> tuple[int, int]:
    """``snap_to_words``, but an end is not grown beyond ``WORD_REACH`` characters.

    A run-on text without spaces (a CJK work, a 5 MB "word") would otherwise be selected whole
    from any drag, walking all of it; such an end stays where it was dragged to.
    """
    lo_edge, hi_edge = max(0, start - WORD_REACH), min(len(text), end + WORD_REACH)
    lo, hi = snap_to_words(text[lo_edge:hi_edge], start - lo_edge, end - lo_edge)
    lo, hi = lo + lo_edge, hi + lo_edge
    if lo == lo_edge > 0:  # the word goes on beyond reach
        lo = start
    if hi == hi_edge < len(text):
        hi = end
    return (lo, hi) if lo < hi else (start, end)


def copying_menu(menu: QMenu, copy: Callable[[], None]) -> QMenu:
    """Qt's context menu for the viewer, its Copy doing ``copy`` (Qt's would copy display breaks)."""
    for action in menu.actions():
        if action.objectName() == "edit-copy":
            action.triggered.disconnect()
            action.triggered.connect(lambda _checked=False: copy())
    return menu
