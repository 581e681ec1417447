"""Quick pick: a popup to find a code by typing part of its path, then Enter applies it.

Every word typed must occur in the code's path (any order, any case), so "burn" and "tro slo"
both find "Trope › Slow burn".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from annotator.core.types import CodeInfo
from annotator.ui.models.codebook_model import swatch
from annotator.ui.models.segments_model import code_label

CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def matches(query: str, label: str) -> bool:
    haystack = label.casefold()
    return all(word in haystack for word in query.casefold().split())


HINT = "↑↓ choose · Enter apply · Esc cancel"
MAX_ROWS = 14


class QuickPick(QFrame):
    picked = Signal(int)  # code id

    def __init__(self, codes: Sequence[CodeInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.line = QLineEdit()
        self.line.setPlaceholderText("Type to find a code, Enter to apply")
        self.list = QListWidget()
        self.list.setUniformItemSizes(True)
        self.hint = hint = QLabel(HINT)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.line)
        layout.addWidget(self.list)
        layout.addWidget(hint)
        for code in codes:
            item = QListWidgetItem(swatch(code.colour), code_label(code.path))
            item.setData(CODE_ID_ROLE, code.id)
            self.list.addItem(item)
        self.line.textChanged.connect(self.filter)
        self.line.installEventFilter(self)
        self.list.itemActivated.connect(lambda item: self._pick(item))
        widest = max(
            (self.list.fontMetrics().horizontalAdvance(code_label(c.path)) for c in codes), default=0
        )
        self.setFixedWidth(max(320, min(widest + 80, 560)))  # the longest path, within reason
        self.filter("")

    def filter(self, query: str) -> None:
        first: QListWidgetItem | None = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = not matches(query, item.text())
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)
        self._fit_rows(query)

    def _fit_rows(self, query: str) -> None:
        """As tall as the matching codes (up to MAX_ROWS, then it scrolls): no empty space below them."""
        shown = len(self.visible_ids())
        self.list.setVisible(shown > 0)
        self.hint.setText(HINT if shown else f"No code matches “{query}”")
        if shown:
            row = max(self.list.sizeHintForRow(0), self.list.fontMetrics().height() + 4)
            self.list.setFixedHeight(min(shown, MAX_ROWS) * row + 2 * self.list.frameWidth() + 2)
        self.adjustSize()

    def visible_ids(self) -> list[int]:
        return [
            int(self.list.item(r).data(CODE_ID_ROLE))
            for r in range(self.list.count())
            if not self.list.item(r).isHidden()
        ]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Arrow keys move in the list while typing continues in the line edit.
        if watched is self.line and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._pick(self.list.currentItem())
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def _step(self, delta: int) -> None:
        rows = [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        position = rows.index(current) + delta if current in rows else 0
        self.list.setCurrentRow(rows[max(0, min(position, len(rows) - 1))])

    def _pick(self, item: QListWidgetItem | None) -> None:
        if item is None or item.isHidden():
            return
        code_id = int(item.data(CODE_ID_ROLE))
        self.close()
        self.picked.emit(code_id)

    def popup_at(self, point: QPoint) -> None:
        """Show at ``point`` (global), moved in so that all of it is on the screen."""
        self.move(point)
        self.show()  # the frame's size is known once shown
        screen = QGuiApplication.screenAt(point) or QGuiApplication.primaryScreen()
        if screen is not None:
            area, frame = screen.availableGeometry(), self.frameGeometry()
            x = max(area.left(), min(point.x(), area.x() + area.width() - frame.width()))
            y = max(area.top(), min(point.y(), area.y() + area.height() - frame.height()))
            self.move(x, y)
        self.line.setFocus()
