"""Who is coding? Asked once, when the first project opens and no coder has been chosen yet.

Without it every coding would be filed under the computer's login name (``root``, ``user``),
which a team then has to untangle. The answer is remembered in the settings; the status bar's
coder box (Ctrl+Shift+U) changes it later.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import USER_ERRORS, user_message
from annotator.core.validation import MAX_CODER_NAME_LENGTH, clean_name
from annotator.ui.plain import plain_label

PROMPT = (
    "Your codings are saved under your coder name, so a team can tell who coded what.\n"
    "Type your name, or pick one already in this project. You can switch later in the status bar "
    "(Ctrl+Shift+U)."
)


class CoderDialog(QDialog):
    """An editable list of the project's coders, the suggested name typed in and selected."""

    def __init__(self, suggested: str, known: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is coding?")
        self.chosen = ""
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.addItems(known)
        self.name.setCurrentIndex(-1)  # none picked yet: Down picks the first known coder
        self.name.setEditText(suggested)
        self.status = plain_label()  # quotes what was typed
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Start coding")
        ok.setDefault(True)
        prompt = plain_label(PROMPT)
        prompt.setWordWrap(True)
        prompt.setMinimumWidth(440)  # a wrapped label sizes itself for this width, not a sliver
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.name)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        line = self.name.lineEdit()
        assert line is not None  # an editable combo has one
        line.selectAll()  # typing replaces the suggestion
        self.name.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        # Asked while a project opens, perhaps after the researcher clicked elsewhere: the
        # question takes the keyboard, so typing a name is all it needs.
        super().showEvent(event)
        self.activateWindow()
        self.name.setFocus()

    def accept(self) -> None:
        try:
            self.chosen = clean_name(self.name.currentText(), what="coder name", limit=MAX_CODER_NAME_LENGTH)
        except USER_ERRORS as exc:
            reason = user_message(exc)
            self.status.setText(f"{reason[:1].upper()}{reason[1:]}.")
            return
        super().accept()


def ask_coder_name(parent: QWidget | None, suggested: str, known: list[str]) -> str | None:
    """The name the researcher codes under, or None if they closed the question unanswered."""
    dialog = CoderDialog(suggested, known, parent)
    return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None
