"""The selected code's definition, inclusion and exclusion criteria, example and short name.

Edits are saved as one undoable "Edit code" command by Save (Ctrl+Enter), and also when another
code is selected or the window closes, so text typed here is never silently lost.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.types import CodeInfo
from annotator.services import commands
from annotator.ui.models.segments_model import code_label
from annotator.ui.plain import escape, safe_colour
from annotator.ui.session import ProjectSession

TEXT_FIELDS = ("definition", "inclusion", "exclusion", "example")
FIELD_STRETCH = {"definition": 3, "inclusion": 2, "exclusion": 2, "example": 2}
LABELS = {
    "definition": "Definition",
    "inclusion": "Include when",
    "exclusion": "Exclude when",
    "example": "Example",
}


class TextBox(QPlainTextEdit):
    """A text box that asks for little height, so four of them share a short pane evenly."""

    def sizeHint(self) -> QSize:
        return QSize(240, 64)


class CodeDetails(QWidget):
    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.code: CodeInfo | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.short_name = QLineEdit()
        self.short_name.setPlaceholderText("e.g. SB")
        self.short_name.setMaxLength(100)
        self.editors: dict[str, QPlainTextEdit] = {}
        # Labels above the boxes: in a narrow dock the boxes get the whole width, and the definition,
        # usually the longest text, the most height.
        fields = QVBoxLayout()
        fields.setSpacing(2)
        short = QHBoxLayout()
        short.addWidget(QLabel("Short name"))
        short.addWidget(self.short_name, 1)
        fields.addLayout(short)
        for key in TEXT_FIELDS:
            editor = TextBox()
            editor.setTabChangesFocus(True)
            editor.setMinimumHeight(48)
            self.editors[key] = editor
            label = QLabel(LABELS[key])
            label.setBuddy(editor)
            fields.addSpacing(4)
            fields.addWidget(label)
            fields.addWidget(editor, FIELD_STRETCH[key])
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save the code's texts (Ctrl+Enter)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Revert")
        self.revert_button.clicked.connect(lambda: self.show_code(self.code))
        # The buttons sit beside the code's name, where a short pane cannot push them out of sight.
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.revert_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addLayout(fields, 1)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self.show_code(None)

    def show_code(self, code: CodeInfo | None) -> None:
        self.code = code
        enabled = code is not None
        for widget in (self.short_name, *self.editors.values(), self.save_button, self.revert_button):
            widget.setEnabled(enabled)
        if code is None:
            self.heading.setText("<i>Select a code to see its definition.</i>")
            self.short_name.clear()
            for editor in self.editors.values():
                editor.clear()
            return
        label = escape(code_label(code.path))
        self.heading.setText(
            f'<span style="color:{safe_colour(code.colour)}; font-size:large">■</span> <b>{label}</b>'
            f"<br/><small>{code.count} annotation{'s' if code.count != 1 else ''}</small>"
        )
        self.short_name.setText(code.short_name)
        for key, editor in self.editors.items():
            editor.setPlainText(getattr(code, key))

    def refresh(self, code: CodeInfo | None) -> None:
        """Show new values of the same code (counts, a rename) without dropping unsaved typing."""
        if code is None or self.code is None or code.id != self.code.id:
            self.show_code(code)
            return
        typed = self.edited_fields()
        self.show_code(code)
        if "short_name" in typed:
            self.short_name.setText(typed.pop("short_name"))
        for key, value in typed.items():
            self.editors[key].setPlainText(value)

    def edited_fields(self) -> dict[str, str]:
        """Fields whose text differs from the stored code."""
        if self.code is None:
            return {}
        current = {"short_name": self.short_name.text().strip()}
        current.update({key: editor.toPlainText() for key, editor in self.editors.items()})
        return {key: value for key, value in current.items() if value != getattr(self.code, key)}

    def save(self) -> bool:
        fields = self.edited_fields()
        if self.code is None or not fields:
            return False
        store, code_id = self.session.store, self.code.id
        return self.session.run(lambda: commands.UpdateCode(store, code_id, **fields)) is not None
