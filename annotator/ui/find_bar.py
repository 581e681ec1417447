"""Find in the open document: a bar above the viewer with next/previous and a match count.

The current match is also selected, so a researcher can find a phrase and code it at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QToolButton,
    QWidget,
)

from annotator.ui.viewer import DocumentViewer


class FindLineEdit(QLineEdit):
    """Enter finds the next match, Shift+Enter the previous one, Escape closes the bar."""

    nextRequested = Signal()
    previousRequested = Signal()
    closeRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previousRequested.emit()
            else:
                self.nextRequested.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.closeRequested.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    def __init__(self, viewer: DocumentViewer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewer = viewer
        self.matches: list[tuple[int, int]] = []
        self.line = FindLineEdit()
        self.line.setPlaceholderText("Find in document")
        self.line.setClearButtonEnabled(True)
        self.case = QCheckBox("Match case")
        self.count = QLabel()
        self.count.setMinimumWidth(90)
        style = self.style()
        self.previous_button = self._button(
            style.standardIcon(QStyle.StandardPixmap.SP_ArrowUp), "Previous match (Shift+F3)"
        )
        self.next_button = self._button(
            style.standardIcon(QStyle.StandardPixmap.SP_ArrowDown), "Next match (F3)"
        )
        close = self._button(style.standardIcon(QStyle.StandardPixmap.SP_DialogCloseButton), "Close (Esc)")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 10, 4)
        row.addWidget(self.line, 1)
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        row.addWidget(self.count)
        row.addWidget(self.case)
        row.addWidget(close)
        self.line.textChanged.connect(self.search)
        self.case.toggled.connect(lambda _on: self.search(self.line.text()))
        self.line.nextRequested.connect(self.find_next)
        self.line.previousRequested.connect(self.find_previous)
        self.line.closeRequested.connect(self.close_bar)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        close.clicked.connect(self.close_bar)
        viewer.currentMatchChanged.connect(self._show_position)
        self.hide()

    @staticmethod
    def _button(icon: object, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon)  # type: ignore[arg-type]
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def open_bar(self) -> None:
        self.show()
        selected = self.viewer.selected_text()
        if selected and "\n" not in selected and len(selected) < 200:
            self.line.setText(selected)
        self.line.setFocus()
        self.line.selectAll()

    def close_bar(self) -> None:
        self.viewer.set_find_matches([])
        self.matches = []
        self.hide()
        self.viewer.setFocus()

    def search(self, query: str) -> None:
        self.matches = self.viewer.find_all(query, self.case.isChecked()) if query else []
        self.viewer.set_find_matches(self.matches)
        if not query:
            self.count.setText("")
        elif not self.matches:
            self.count.setText("No matches")
        else:
            self.find_next()

    def refresh(self) -> None:
        """Run the query again (a different document was opened)."""
        if self.isVisible():
            self.search(self.line.text())

    def find_next(self) -> None:
        self._select(self.viewer.find_next())

    def find_previous(self) -> None:
        self._select(self.viewer.find_previous())

    def _select(self, span: tuple[int, int] | None) -> None:
        if span is not None:
            self.viewer.select_span(*span)
            self.viewer.scroll_to_span(*span)

    def _show_position(self, current: int, total: int) -> None:
        self.count.setText(f"{current + 1} of {total}" if total else "No matches")
