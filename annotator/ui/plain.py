"""The one way user text reaches the screen: plain labels, escaped tooltips, plain-text dialogs.

Qt guesses whether a string is rich text (``Qt::mightBeRichText``) in labels, tooltips, message
boxes and input-dialog prompts, and renders what looks like HTML, loading every ``<img src=…>``
it names. A title, attribute, code name, coder name, memo or quote is data, never markup, so
it goes through one of these:

- ``plain_label`` / ``set_plain``: a ``QLabel`` fixed to ``Qt.PlainText``;
- ``plain_tooltip``: tooltip text escaped into markup that shows it literally (tooltips have no
  text-format switch); item models return it from ``data(…, ToolTipRole)``;
- ``escape`` and ``safe_colour``: for the few places that build rich text on purpose, every
  user value escaped and every colour checked to be ``#rrggbb`` before it is interpolated;
- ``confirm``, ``plain_message_box``, ``ask_text``, ``ask_multiline_text``, ``ask_item``:
  dialogs whose message or prompt is plain text;
- ``no_mnemonic`` and ``window_title``: the two other places Qt reads meaning into characters
  (``&`` in button and action texts, ``[*]`` in window titles).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QWidget

FALLBACK_COLOUR = "#808080"
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def escape(text: str) -> str:
    """``text`` as HTML character data (quotes too, so it is safe in attribute values)."""
    return html.escape(text, quote=True)


def safe_colour(colour: str, fallback: str = FALLBACK_COLOUR) -> str:
    """``colour`` if it is exactly ``#rrggbb``, else ``fallback``: the only colours put in markup."""
    return colour if colour and _COLOUR.fullmatch(colour) else fallback


def plain_html(text: str) -> str:
    """Markup that renders as ``text`` exactly, spaces and line breaks kept."""
    return f"<span style='white-space:pre-wrap'>{escape(text)}</span>"


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally ("" stays "", which means no tooltip)."""
    return f"<p style='white-space:pre-wrap'>{escape(text)}</p>" if text else ""


def set_plain(label: QLabel, text: str) -> QLabel:
    """Show ``text`` in ``label`` as plain text, never as markup."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows plain text, whatever it is later given."""
    return set_plain(QLabel(parent), text)


def no_mnemonic(text: str) -> str:
    """``text`` for a button or action, with its ``&`` shown rather than read as a shortcut key."""
    return text.replace("&", "&&")


def window_title(text: str) -> str:
    """``text`` for ``setWindowTitle``, with a literal ``[*]`` kept (Qt reads it as "modified")."""
    return text.replace("[*]", "[*][*]")


def plain_message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox:
    """A message box whose title and text are plain text (not shown yet)."""
    box = QMessageBox(icon, window_title(title), "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question in plain text; No is the default. True on Yes."""
    box = plain_message_box(
        parent,
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.exec()
    return box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes


MIN_DIALOG_WIDTH = 420


def _input_dialog(parent: QWidget | None, title: str, label: str) -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(window_title(title))
    dialog.setLabelText(label)  # creates the prompt's QLabel, which guesses the format: fix it
    for prompt in dialog.findChildren(QLabel):
        set_plain(prompt, label)
    return dialog


def _run(dialog: QInputDialog) -> bool:
    """Show the dialog wide enough for its whole title (the title bar's font is often larger) and a
    long name; QInputDialog sizes itself to its field, so the field is what gets the width."""
    title_width = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
    width = max(MIN_DIALOG_WIDTH, int(title_width * 1.3) + 120) - 24  # less the dialog's margins
    for kind in (QLineEdit, QPlainTextEdit, QComboBox):
        for field in dialog.findChildren(kind):
            field.setMinimumWidth(width)
    return bool(dialog.exec())


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """One line of text from the user, or None if cancelled; the prompt is plain text."""
    dialog = _input_dialog(parent, title, label)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(text)
    return dialog.textValue() if _run(dialog) else None


def ask_multiline_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """Several lines of text from the user, or None if cancelled; the prompt is plain text."""
    dialog = _input_dialog(parent, title, label)
    dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    dialog.setTextValue(text)
    return dialog.textValue() if _run(dialog) else None


def ask_item(parent: QWidget | None, title: str, label: str, items: Sequence[str]) -> str | None:
    """One of ``items`` (not editable), or None if cancelled; the prompt is plain text."""
    dialog = _input_dialog(parent, title, label)
    dialog.setComboBoxItems(list(items))
    dialog.setComboBoxEditable(False)
    return dialog.textValue() if _run(dialog) else None
