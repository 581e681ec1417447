"""Status bar widgets: who is coding (switchable; a new name creates the coder) and how many of
other coders' annotations are hidden in the open document."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from annotator.core.types import CoderInfo


class CoderBox(QComboBox):
    """The combo itself: Escape gives up typing and shows the current coder again."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not self.view().isVisible():
            self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CoderSwitcher(QWidget):
    """An editable combo: pick a coder, or type a name (new or known) and press Enter.

    With ``NoInsert`` the combo itself ignores Enter on a typed name (it re-activates the item
    that was current, or nothing), so Enter is read from the line edit here. Picking from the
    list asks too. The window switches, or says it already codes as that name.
    """

    coderRequested = Signal(str)
    cancelled = Signal()  # Escape: the box shows the current coder again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current_name = ""
        self.combo = CoderBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMinimumContentsLength(12)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setToolTip(
            "The coder whose annotations you are making (Ctrl+Shift+U). "
            "Type a name and press Enter to switch; a new name adds a coder."
        )
        label = QLabel("Coder:")
        label.setBuddy(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        self.combo.textActivated.connect(self._request)
        line = self.combo.lineEdit()
        assert line is not None  # an editable combo has one
        line.returnPressed.connect(lambda: self._request(line.text()))
        self.combo.escaped.connect(self.show_current)
        self.combo.escaped.connect(self.cancelled.emit)

    def set_coders(self, coders: list[CoderInfo], current: CoderInfo) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for coder in coders:
            if coder.role == "coder" or coder.id == current.id:
                self.combo.addItem(coder.name, coder.id)
        self.current_name = current.name
        self.combo.setCurrentIndex(self.combo.findData(current.id))
        self.combo.setEditText(current.name)
        self.combo.blockSignals(False)

    def show_current(self) -> None:
        """Put the current coder's name back in the box (after Escape, or a refused name)."""
        self.combo.blockSignals(True)
        index = self.combo.findText(self.current_name, Qt.MatchFlag.MatchExactly)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        self.combo.setEditText(self.current_name)
        self.combo.blockSignals(False)

    def _request(self, text: str) -> None:
        name = " ".join(text.split())
        if name:
            self.coderRequested.emit(name)
        else:
            self.show_current()


class HiddenCount(QLabel):
    def set_count(self, hidden: int, shown: bool) -> None:
        if hidden and not shown:
            self.setText(f"{hidden} annotation{'s' if hidden != 1 else ''} hidden (other coders)")
            self.setToolTip("View ▸ Show other coders' annotations (Ctrl+Shift+O)")
        else:
            self.setText("")
