"""The review window's two texts side by side: the old version with the old quote highlighted, and
the current version with the proposed span highlighted (where a new span is selected).

Each pane is the app's own read-only :class:`~annotator.ui.viewer.widget.DocumentViewer`, so a
5 MB work is shown in display blocks and loads progressively. A pane keeps the text it shows
and replaces it only when the next item belongs to another text, so stepping through the queue
costs one highlight and one scroll, not a new document.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.core.types import ZoneSpec
from annotator.ui.plain import plain_label, set_plain
from annotator.ui.viewer.highlight import Highlight
from annotator.ui.viewer.widget import DocumentViewer

OLD_COLOUR = "#c8a2c8"  # the old quote: lilac, unlike any code's usual colour
NEW_COLOUR = "#f2c14e"  # the proposed span: amber
SHOWN_ID = -1  # the one highlight a pane shows is not an annotation of this work's viewer


class SpanPane(QWidget):
    """A caption, a read-only text with at most one highlighted span, and a note under it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = plain_label(caption)
        font = self.caption.font()
        font.setBold(True)
        self.caption.setFont(font)
        self.viewer = DocumentViewer()
        self.note = plain_label()
        self.note.setWordWrap(True)
        self.note.hide()
        self._key: Hashable = None
        self._span: tuple[int, int] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.viewer, 1)
        layout.addWidget(self.note)

    def set_caption(self, text: str) -> None:
        set_plain(self.caption, text)

    def shows(self, key: Hashable) -> bool:
        """Whether the text called ``key`` is the one shown."""
        return self._key == key

    def set_text(self, key: Hashable, text: str, zones: Sequence[ZoneSpec] = ()) -> None:
        """Show ``text`` unless the text called ``key`` is already shown."""
        if self._key != key:
            self._key = key
            self.viewer.set_document(text, zones)

    def show_span(self, start: int, end: int, colour: str, note: str = "") -> None:
        """Highlight ``[start, end)`` (nothing when empty), scroll to it, and say ``note``."""
        viewer = self.viewer
        if end > start:
            viewer.set_highlights([Highlight(SHOWN_ID, start, end, colour)])
        else:
            viewer.set_highlights([])
        self._span = (start, max(start, end))
        viewer.scroll_to_span(*self._span)
        set_plain(self.note, note)
        self.note.setVisible(bool(note))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._span is not None:  # lines re-wrap: keep the span in view (and on first showing)
            self.viewer.scroll_to_span(*self._span)

    def clear(self, note: str = "") -> None:
        self._key = None
        self._span = None
        self.viewer.set_document("")
        set_plain(self.note, note)
        self.note.setVisible(bool(note))
