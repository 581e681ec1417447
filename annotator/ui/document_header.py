"""The strip above the document: title, authors and fandoms, and the coder's document memo button."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from annotator.core.types import DocumentView
from annotator.core.words import count_words_in_steps
from annotator.ui.fitted_label import FittedLabel
from annotator.ui.models.documents_model import word_count
from annotator.ui.plain import plain_tooltip

META_KEYS = (("authors", "by"), ("fandoms", ""), ("rating", ""))
LAST_KEYS = (("relationships", ""),)  # after the word count: long, and the first to be cut off
SEPARATOR = "  ·  "


def meta_line(doc: DocumentView, words: int | None = None) -> str:
    """ "by Author · Fandom · Rating · 12,345 words · Relationships" from the work's metadata.

    The word count is AO3's when the work has one, else ``words`` (counted from the text) if
    given, else left out.
    """
    parts = _listed(doc, META_KEYS)
    ao3_words = word_count(doc.attributes)
    words = ao3_words if ao3_words is not None else words
    if words is not None:
        parts.append(f"{words:,} words")
    return SEPARATOR.join(parts + _listed(doc, LAST_KEYS))


def _listed(doc: DocumentView, keys: tuple[tuple[str, str], ...]) -> list[str]:
    parts: list[str] = []
    for key, prefix in keys:
        values = doc.attributes.get(key, [])
        if values:
            shown = ", ".join(values[:3]) + (f" +{len(values) - 3}" if len(values) > 3 else "")
            parts.append(f"{prefix} {shown}".strip())
    return parts


def _key(doc: DocumentView) -> tuple[int, int]:
    return doc.id, len(doc.text)


class DocumentHeader(QWidget):
    memoRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = FittedLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = FittedLabel(separator=SEPARATOR)
        self.meta.setStyleSheet("color: palette(placeholder-text);")
        self.memo_button = QToolButton()
        self.memo_button.setText("Document memo")
        self.memo_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.memo_button.setAutoRaise(False)
        self.memo_button.clicked.connect(self.memoRequested.emit)
        self._shown: DocumentView | None = None
        self._words: dict[tuple[int, int], int] = {}  # counted words of works without AO3's count
        self._counting: tuple[DocumentView, Iterator[int | None]] | None = None  # a count under way
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.meta)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 10, 8)
        row.addLayout(text, 1)
        row.addWidget(self.memo_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.set_document(None)

    def set_document(self, doc: DocumentView | None) -> None:
        if doc is None:
            self._shown = None
            self.title.setText("No document open")
            self.meta.setText("Pick a work in the Documents panel.")
            self.memo_button.setEnabled(False)
            self.set_memo("")
            return
        self.title.setText(doc.title)
        self.title.setToolTip(plain_tooltip(doc.title))
        self._shown = doc
        self.meta.setText(meta_line(doc, self._words.get(_key(doc))))
        if word_count(doc.attributes) is None and _key(doc) not in self._words:
            # Counting a 20 MB work's words takes ~0.2 s: after the first paint, a slice per
            # event, so no key press waits for it.
            self._counting = (doc, count_words_in_steps(doc.text))
            QTimer.singleShot(0, self._count_words)
        attributes = "\n".join(f"{k}: {', '.join(v)}" for k, v in doc.attributes.items())
        self.meta.setToolTip(plain_tooltip(attributes))
        self.memo_button.setEnabled(True)
        self.set_memo(doc.memo)

    def _count_words(self) -> None:
        """Count one slice of the shown work's words; show the figure after the last one."""
        if self._counting is None:
            return
        doc, steps = self._counting
        if doc is not self._shown:  # another work opened meanwhile: it counts its own
            self._counting = None
            return
        words = next(steps)
        if words is None:
            QTimer.singleShot(0, self._count_words)
            return
        self._counting = None
        self._words[_key(doc)] = words
        self.meta.setText(meta_line(doc, words))

    def set_memo(self, memo: str) -> None:
        self.memo_button.setText("Document memo ✎" if memo.strip() else "Document memo")
        self.memo_button.setToolTip(
            plain_tooltip(memo[:800]) if memo.strip() else "Write a memo about this work (Ctrl+M)"
        )
