"""``AdjudicationPanel``: the decision buttons for the selected disagreement, and the progress.

The panel only asks; the comparison window turns a ``Decision`` into an undoable command on the
session's undo stack, so Ctrl+Z takes a decision back like any other edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.services.adjudication import BY_CONSENSUS, BY_NEITHER, Decision, DisagreementItem
from annotator.ui.plain import escape, no_mnemonic, plain_label, plain_tooltip

STATUS_TEXT = {BY_CONSENSUS: "resolved: consensus coded", BY_NEITHER: "resolved: neither"}


def describe_item(item: DisagreementItem, text: str) -> str:
    """Rich text: the code, the span, and each coder's version with its words (all escaped)."""
    lines = [
        f"<b>{escape(item.code_path)}</b> &nbsp; [{item.start}, {item.end})"
        f" &nbsp; <i>{STATUS_TEXT.get(item.status, 'open')}</i>"
    ]
    for coder, versions in item.versions.items():
        if not versions:
            lines.append(f"<b>{escape(coder)}</b>: did not code it")
        for start, end in versions:
            words = text[start:end]
            shown = words if len(words) <= 160 else words[:150] + " … " + words[-8:]
            lines.append(f"<b>{escape(coder)}</b> [{start}, {end}): “{escape(shown)}”")
    return "<br>".join(lines)


class AdjudicationPanel(QGroupBox):
    decided = Signal(object)  # Decision

    def __init__(
        self, selection: Callable[[], tuple[int, int] | None], parent: QWidget | None = None
    ) -> None:
        super().__init__("Adjudicate", parent)
        self.selection = selection  # the viewer's selected span, for "New span from selection"
        self.item: DisagreementItem | None = None
        self.details = QLabel("Choose a disagreement from the list.")
        self.details.setTextFormat(Qt.TextFormat.RichText)  # describe_item escapes what it quotes
        self.details.setWordWrap(True)
        self.progress = plain_label()
        self.buttons = QGridLayout()
        self.coder_buttons: dict[str, QPushButton] = {}
        self.accept_all = QPushButton("Accept all")
        self.accept_all.setToolTip("Every coder's version becomes a consensus annotation")
        self.new_span = QPushButton("New span from selection")
        self.new_span.setToolTip("Select the right words in the text, then press this")
        self.neither = QPushButton("Neither")
        self.neither.setToolTip("No one's version is right: the consensus leaves this passage uncoded")
        self.accept_all.clicked.connect(lambda: self._decide(Decision.accept_all()))
        self.new_span.clicked.connect(self._decide_new_span)
        self.neither.clicked.connect(lambda: self._decide(Decision.neither()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.details)
        layout.addLayout(self.buttons)
        layout.addWidget(self.progress)
        self.message = plain_label()  # session errors quote code and coder names
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.set_item(None, "")

    def set_progress(self, resolved: int, total: int) -> None:
        self.progress.setText(f"{resolved} of {total} resolved")

    def set_item(self, item: DisagreementItem | None, text: str) -> None:
        self.item = item
        self.message.setText("")
        self.details.setText(describe_item(item, text) if item else "Choose a disagreement from the list.")
        for button in self.coder_buttons.values():
            self.buttons.removeWidget(button)
            button.deleteLater()
        self.coder_buttons = {}
        coders = list(item.versions) if item else []
        for index, coder in enumerate(coders):
            button = QPushButton(no_mnemonic(f"Accept {coder}"))
            button.setToolTip(plain_tooltip(f"{coder}'s version becomes the consensus"))
            button.clicked.connect(lambda _c=False, who=coder: self._decide(Decision.accept(who)))
            self.buttons.addWidget(button, 0, index)
            self.coder_buttons[coder] = button
        for column, button in enumerate((self.accept_all, self.new_span, self.neither)):
            self.buttons.addWidget(button, 1, column)
            button.setEnabled(item is not None)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _decide(self, decision: Decision) -> None:
        if self.item is not None:
            self.decided.emit(decision)

    def _decide_new_span(self) -> None:
        span = self.selection()
        if span is None:
            self.show_message("Select the words for the new span in the text first.")
            return
        self._decide(Decision.new_span(*span))
