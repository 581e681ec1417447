"""A one-line plain-text label that, when narrower than its text, drops whole parts, never half a word.

The document header's metadata line ("by Author · Fandom · Rating · 3,841 words · Relationships")
was cut wherever the label ended ("Relationshi"). This label keeps ``text()`` whole (the tooltip and
tests read it) and paints the longest run of whole parts that fits, followed by "…"; a first part
that alone is too wide is cut after its last whole word that fits.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

ELLIPSIS = "…"


def fit_parts(text: str, separator: str, fits: Callable[[str], bool]) -> str:
    """The longest prefix of ``text`` made of whole ``separator``-joined parts (then whole words)
    for which ``fits(shown)`` holds, with "…" appended when anything was left out."""
    if fits(text):
        return text
    parts = text.split(separator) if separator else [text]
    for count in range(len(parts) - 1, 0, -1):
        shown = separator.join(parts[:count]) + separator.rstrip() + " " + ELLIPSIS
        if fits(shown):
            return shown
    words = parts[0].split(" ")
    for count in range(len(words) - 1, 0, -1):
        shown = " ".join(words[:count]).rstrip(" ,;:·") + " " + ELLIPSIS
        if fits(shown):
            return shown
    return ELLIPSIS


class FittedLabel(QLabel):
    def __init__(self, separator: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.separator = separator
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def shown_text(self) -> str:
        """What is painted at the label's present width."""
        metrics = QFontMetrics(self.font())
        width = self.contentsRect().width()
        return fit_parts(self.text(), self.separator, lambda s: metrics.horizontalAdvance(s) <= width)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            QPalette.ColorRole.WindowText,
        )
        painter.end()
