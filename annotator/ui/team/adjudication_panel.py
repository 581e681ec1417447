"""``AdjudicationPanel``: the decision buttons for the selected disagreement, and the progress.

The panel only asks; the comparison window turns a ``Decision`` into an undoable command on the
session's undo stack, so Ctrl+Z takes a decision back like any other edit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.core.codebook import display_path
from annotator.services.adjudication import BY_CONSENSUS, BY_NEITHER, Decision, DisagreementItem
from annotator.ui.plain import escape, no_mnemonic, plain_label, plain_tooltip

STATUS_TEXT = {BY_CONSENSUS: "resolved: consensus coded", BY_NEITHER: "resolved: neither"}


def describe_item(item: DisagreementItem, text: str) -> str:
    """Rich text: the code, the span, and each coder's version with its words (all escaped)."""
    lines = [
        f"<b>{escape(display_path(item.code_path))}</b> &nbsp; [{item.start}, {item.end})"
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


KEYS_HELP = (
    "A accept all · S new span from selection · N neither · J or ↓ next · K or ↑ previous · Ctrl+Z undo"
)


def keys_help(numbered: tuple[str, ...]) -> str:
    """The panel's key line: the number of each compared coder, then the other decisions' keys."""
    coders = [f"{n} accept {coder}" for n, coder in enumerate(numbered[:9], start=1)]
    return "Keys: " + " · ".join([*coders, KEYS_HELP])


class AdjudicationPanel(QGroupBox):
    decided = Signal(object)  # Decision

    def __init__(
        self, selection: Callable[[], tuple[int, int] | None], parent: QWidget | None = None
    ) -> None:
        super().__init__("Adjudicate", parent)
        self.selection = selection  # the viewer's selected span, for "New span from selection"
        self.item: DisagreementItem | None = None
        self.numbered: tuple[str, ...] = ()  # coder n is accepted with key n (the lanes' order)
        self.details = QLabel("Choose a disagreement from the list.")
        self.details.setTextFormat(Qt.TextFormat.RichText)  # describe_item escapes what it quotes
        self.details.setWordWrap(True)
        self.progress = plain_label()
        self.buttons = QGridLayout()
        self.coder_buttons: dict[str, QPushButton] = {}  # the shown ones: coders who coded it
        self._all_buttons: dict[str, QPushButton] = {}  # one per compared coder, made once
        self.accept_all = QPushButton("Accept all")
        self.accept_all.setToolTip("Every coder's version becomes a consensus annotation")
        self.new_span = QPushButton("New span from selection")
        self.new_span.setToolTip("Select the right words in the text, then press this")
        self.neither = QPushButton("Neither")
        self.neither.setToolTip("No one's version is right: the consensus leaves this passage uncoded")
        self.accept_all.clicked.connect(lambda: self._decide(Decision.accept_all()))
        self.new_span.clicked.connect(self._decide_new_span)
        self.neither.clicked.connect(lambda: self._decide(Decision.neither()))
        for button in (self.accept_all, self.new_span, self.neither):
            button.setAutoDefault(False)  # in a dialog, Enter must not decide anything by accident
        self.keys = plain_label(keys_help(()))
        self.keys.setWordWrap(True)
        self.keys.setEnabled(False)  # drawn in the muted colour: a hint, not a message
        layout = QVBoxLayout(self)
        layout.addWidget(self.details)
        layout.addLayout(self.buttons)
        layout.addWidget(self.progress)
        self.message = plain_label()  # session errors quote code and coder names
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(self.keys)
        self._add_keys()
        self.set_item(None, "")

    def _add_keys(self) -> None:
        for number in range(1, 10):
            self._key(str(number), partial(self.accept_number, number))
        self._key("A", self.accept_all.click)
        self._key("S", self.new_span.click)
        self._key("N", self.neither.click)

    def _key(self, key: str, slot: Callable[[], object]) -> None:
        action = QAction(self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _c=False: slot())
        self.addAction(action)

    def set_progress(
        self, resolved: int, total: int, resolved_all: int | None = None, total_all: int = 0
    ) -> None:
        """``resolved`` of the ``total`` listed; with the project's figures when they differ."""
        text = f"{resolved} of {total} resolved"
        if resolved_all is not None and (resolved_all, total_all) != (resolved, total):
            text += f" in this list · {resolved_all:,} of {total_all:,} in all documents"
        self.progress.setText(text)

    def set_item(self, item: DisagreementItem | None, text: str, numbered: tuple[str, ...] = ()) -> None:
        """Show ``item``; ``numbered`` is the compared coders in key order (default: the item's)."""
        self.item = item
        self.numbered = numbered or (tuple(item.versions) if item else ())
        self.message.setText("")
        self.keys.setText(keys_help(self.numbered))
        self.details.setText(describe_item(item, text) if item else "Choose a disagreement from the list.")
        if tuple(self._all_buttons) != self.numbered:  # other coders: new buttons, in key order
            for button in self._all_buttons.values():
                self.buttons.removeWidget(button)
                button.deleteLater()
            self._all_buttons = {coder: self._coder_button(coder, n) for n, coder in enumerate(self.numbered)}
        # Only a coder who coded in this disagreement has a version to accept.
        self.coder_buttons = {}
        for coder, button in self._all_buttons.items():
            coded = item is not None and bool(item.versions.get(coder))
            button.setVisible(coded)
            if coded:
                self.coder_buttons[coder] = button
        for column, button in enumerate((self.accept_all, self.new_span, self.neither)):
            self.buttons.addWidget(button, 1, column)
            button.setEnabled(item is not None)

    def _coder_button(self, coder: str, column: int) -> QPushButton:
        button = QPushButton(no_mnemonic(f"Accept {coder}"))
        button.setAutoDefault(False)
        button.setToolTip(plain_tooltip(f"{coder}'s version becomes the consensus"))
        button.clicked.connect(lambda _c=False, who=coder: self._decide(Decision.accept(who)))
        self.buttons.addWidget(button, 0, column)
        return button

    def accept_number(self, number: int) -> None:
        """Key ``number``: accept that coder's version, if they coded this disagreement."""
        if self.item is None or number > len(self.numbered):
            return
        coder = self.numbered[number - 1]
        if coder in self.coder_buttons:
            self.coder_buttons[coder].click()
        else:
            self.show_message(f"{coder} did not code this disagreement: nothing to accept.")

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
