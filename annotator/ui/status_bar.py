"""Status bar widgets: who is coding (switchable; a new name creates the coder) and how many of
other coders' annotations are hidden in the open document."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from annotator.core.types import CoderInfo


class CoderSwitcher(QWidget):
    """An editable combo: pick a coder, or type a new name and press Enter."""

    coderRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMinimumContentsLength(12)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setToolTip("The coder whose annotations you are making. Type a new name to add a coder.")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Coder:"))
        layout.addWidget(self.combo)
        self.combo.textActivated.connect(self._activated)

    def set_coders(self, coders: list[CoderInfo], current: CoderInfo) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for coder in coders:
            if coder.role == "coder" or coder.id == current.id:
                self.combo.addItem(coder.name, coder.id)
        self.combo.setCurrentIndex(self.combo.findData(current.id))
        self.combo.blockSignals(False)

    def _activated(self, text: str) -> None:
        name = " ".join(text.split())
        if name:
            self.coderRequested.emit(name)


class HiddenCount(QLabel):
    def set_count(self, hidden: int, shown: bool) -> None:
        if hidden and not shown:
            self.setText(f"{hidden} annotation{'s' if hidden != 1 else ''} hidden (other coders)")
            self.setToolTip("View ▸ Show other coders' annotations (Ctrl+Shift+O)")
        else:
            self.setText("")
