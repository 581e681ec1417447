"""A read-only box with the methods paragraph of an agreement result, and a Copy button."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from annotator.ui.plain import plain_label


class MethodsDialog(QDialog):
    def __init__(self, paragraph: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Methods paragraph")
        self.text = QPlainTextEdit()  # plain text: the paragraph quotes no markup, and shows none
        self.text.setPlainText(paragraph)
        self.text.setReadOnly(True)
        self.copy_button = QPushButton("Copy")
        self.copy_button.clicked.connect(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label("To paste into a paper's methods section (check it against your study):")
        )
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
