"""``FreshSelection``: a drag in the viewer always makes a new selection, even inside the old one.

The comparison window selects the whole disagreement in the text so the researcher sees it. A
text edit treats a press inside a selection as the start of a drag-and-drop of that text, so
dragging out the right words *inside* it left the old selection in place, and "New span from
selection" recorded the whole disagreement. The viewer is read-only and nothing is dropped
anywhere, so a plain left press inside the selection first collapses it at the pressed point:
the drag then selects exactly what it covers, as it does outside the selection.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent

from annotator.ui.viewer import DocumentViewer


class FreshSelection(QObject):
    def __init__(self, viewer: DocumentViewer) -> None:
        super().__init__(viewer)
        self.viewer = viewer
        viewer.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            plain_left = event.button() == Qt.MouseButton.LeftButton and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            cursor = self.viewer.textCursor()
            if plain_left and cursor.hasSelection():
                pressed = self.viewer.cursorForPosition(event.position().toPoint())
                if cursor.selectionStart() <= pressed.position() <= cursor.selectionEnd():
                    cursor.clearSelection()
                    cursor.setPosition(pressed.position())
                    self.viewer.setTextCursor(cursor)
        return False
