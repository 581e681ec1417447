"""Annotation details: the selected annotation's code, coder, span and quote, with a memo editor.

The memo is saved (one undoable command) by Save or Ctrl+Enter, and also when the editor loses
focus or another annotation is selected, so a memo is never lost by clicking elsewhere. With no
annotation selected the panel says so, rather than showing the last one's code greyed out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from annotator.core.types import AnnotationInfo
from annotator.services import commands
from annotator.ui.coding import CodingController
from annotator.ui.models.codebook_model import swatch
from annotator.ui.models.segments_model import code_label
from annotator.ui.plain import escape, plain_label
from annotator.ui.session import ProjectSession

QUOTE_PREVIEW = 1200


class MemoEditor(QPlainTextEdit):
    focusLost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focusLost.emit()


class AnnotationPanel(QWidget):
    message = Signal(str)  # what a save did, for the status bar

    def __init__(
        self, session: ProjectSession, coding: CodingController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.coding = coding
        self.annotation: AnnotationInfo | None = None
        self.code = QComboBox()
        self.code.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.code.setMinimumContentsLength(12)
        self.coder = plain_label()
        self.span = plain_label()
        self.quote = QLabel()
        self.quote.setWordWrap(True)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote.setTextFormat(Qt.TextFormat.RichText)
        self.memo = MemoEditor()
        self.memo.setPlaceholderText("Memo: why this code, what it connects to… (Ctrl+Enter saves)")
        self.memo.setTabChangesFocus(True)
        self.save_button = QPushButton("Save memo")
        self.remove_button = QPushButton("Remove")
        self.extend_button = QPushButton("Fit to selection")
        self.extend_button.setToolTip("Extend or shrink the annotation to the selected text (Ctrl+Shift+E)")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Code", self.code)
        form.addRow("Coder", self.coder)
        form.addRow("Span", self.span)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.extend_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.details = QWidget()
        layout = QVBoxLayout(self.details)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addWidget(self.quote)
        layout.addWidget(self.memo, 1)
        layout.addLayout(buttons)
        self.empty = _empty_state()
        self.pages = QStackedLayout(self)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.details)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.memo)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.save_memo)
        self.save_button.clicked.connect(self.save_memo)
        self.memo.focusLost.connect(self.save_memo)
        self.remove_button.clicked.connect(self.coding.remove_selected)
        self.extend_button.clicked.connect(self.coding.extend_to_selection)
        self.code.activated.connect(self._recode)
        coding.pane.annotationSelected.connect(self.show_annotation)
        session.changed.connect(lambda change: self._fill_codes() if change.codebook_changed else None)
        self._fill_codes()
        self.show_annotation(None)

    def _fill_codes(self) -> None:
        self.code.blockSignals(True)
        self.code.clear()
        for c in self.session.codes:
            self.code.addItem(swatch(c.colour), code_label(c.path), c.id)
        if self.annotation is not None:
            self.code.setCurrentIndex(self.code.findData(self.annotation.code_id))
        self.code.blockSignals(False)

    def show_annotation(self, annotation: AnnotationInfo | None) -> None:
        previous = self.annotation
        leaving = previous is not None and (annotation is None or annotation.id != previous.id)
        if (
            leaving
            and previous is not None
            and self.coding.pane.has_annotation(previous.id)
            and self.memo_dirty()
        ):
            # Leaving an annotation with unsaved memo text: save it first. The save re-enters
            # this method through the session's change signal, so forget `previous` beforehand.
            leaving_id, text = previous.id, self.memo.toPlainText()
            self.annotation = previous = None
            self._save(leaving_id, text)
        keep_typing = (
            previous is not None
            and annotation is not None
            and annotation.id == previous.id
            and annotation.memo == previous.memo
            and self.memo_dirty()
        )
        self.annotation = annotation
        enabled = annotation is not None
        for widget in (self.code, self.memo, self.save_button, self.remove_button, self.extend_button):
            widget.setEnabled(enabled)
        self.pages.setCurrentWidget(self.details if enabled else self.empty)
        if annotation is None:
            self.code.setCurrentIndex(-1)
            self.coder.setText("")
            self.span.setText("")
            self.quote.setText("")
            self.memo.clear()
            return
        self.code.blockSignals(True)
        self.code.setCurrentIndex(self.code.findData(annotation.code_id))
        self.code.blockSignals(False)
        coder = self.session.coder_by_id(annotation.coder_id)
        self.coder.setText(coder.name if coder else str(annotation.coder_id))
        length = annotation.end - annotation.start
        self.span.setText(f"characters {annotation.start:,}–{annotation.end:,} ({length:,})")
        quote = (
            annotation.quote
            if len(annotation.quote) <= QUOTE_PREVIEW
            else annotation.quote[:QUOTE_PREVIEW] + " …"
        )
        self.quote.setText(f"<blockquote style='margin:4px 8px'>“{escape(quote)}”</blockquote>")
        if not keep_typing and self.memo.toPlainText() != annotation.memo:
            self.memo.setPlainText(annotation.memo)

    def memo_dirty(self) -> bool:
        return self.annotation is not None and self.memo.toPlainText() != self.annotation.memo

    def save_memo(self) -> bool:
        if self.annotation is None or not self.memo_dirty():
            return False
        return self._save(self.annotation.id, self.memo.toPlainText())

    def _save(self, annotation_id: int, text: str) -> bool:
        store = self.session.store
        saved = (
            self.session.run(
                lambda: commands.EditAnnotation(store, annotation_id, memo=text, text="Edit memo")
            )
            is not None
        )
        if saved:
            self.message.emit("Memo saved." if text.strip() else "Memo cleared.")
        return saved

    def _recode(self, row: int) -> None:
        code_id = self.code.itemData(row)
        if self.annotation is not None and code_id is not None and code_id != self.annotation.code_id:
            self.coding.recode(self.annotation.id, int(code_id))


def _empty_state() -> QWidget:
    """What the panel shows with no annotation selected: that, and how to select one."""
    page = QWidget()
    title = QLabel("No annotation selected")
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    title.setFont(font)
    hint = QLabel("Click a highlight in the text to see its code, coder and memo here.")
    hint.setWordWrap(True)
    hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    for label in (title, hint):
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    layout = QVBoxLayout(page)
    layout.addStretch(1)
    layout.addWidget(title)
    layout.addWidget(hint)
    layout.addStretch(2)
    return page
