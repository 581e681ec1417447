"""The helpers that put user text on screen: labels stay plain, tooltips and rich text show markup
literally and load no image, colours in markup are #rrggbb or grey, dialogs prompt in plain text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from annotator.ui.plain import (
    FALLBACK_COLOUR,
    ask_item,
    ask_multiline_text,
    ask_text,
    confirm,
    escape,
    no_mnemonic,
    plain_html,
    plain_label,
    plain_tooltip,
    safe_colour,
    set_plain,
    window_title,
)
from tests.ui.shown import has_image, shown_text

PAYLOAD = '<img src="/dev/zero"><b>bold</b>&lt;i&gt; & "quoted"\n  indented line'

pytestmark = pytest.mark.usefixtures("qapp")


def test_a_plain_label_shows_markup_as_typed() -> None:
    label = plain_label(PAYLOAD)
    assert label.text() == PAYLOAD and label.textFormat() == Qt.TextFormat.PlainText
    other = QLabel("<b>rich by default</b>")
    set_plain(other, PAYLOAD)
    assert other.text() == PAYLOAD and other.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize("build", [plain_tooltip, plain_html])
def test_tooltips_and_rich_text_show_the_literal_text_and_load_no_image(build: object) -> None:
    markup = build(PAYLOAD)  # type: ignore[operator]
    assert not has_image(markup)
    assert shown_text(markup) == PAYLOAD  # spaces and line breaks kept


def test_an_empty_tooltip_stays_empty_so_no_tip_is_shown() -> None:
    assert plain_tooltip("") == ""


def test_escape_covers_attribute_quotes() -> None:
    assert escape('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
    assert not has_image(f'<span title="{escape(PAYLOAD)}">x</span>')


@pytest.mark.parametrize(
    ("colour", "shown"),
    [
        ("#1a2B3c", "#1a2B3c"),
        ('#ff0000"><img src="/dev/zero"><b x="', FALLBACK_COLOUR),
        ("#ff0000;", FALLBACK_COLOUR),
        ("#ff0000\n", FALLBACK_COLOUR),
        ("red", FALLBACK_COLOUR),
        ("#fff", FALLBACK_COLOUR),
        ("", FALLBACK_COLOUR),
    ],
)
def test_only_rrggbb_colours_reach_markup(colour: str, shown: str) -> None:
    assert safe_colour(colour) == shown
    assert safe_colour("nope", "#123456") == "#123456"


def test_ampersands_are_shown_not_read_as_shortcut_keys() -> None:
    assert no_mnemonic("R&D && more") == "R&&D &&&& more"


def test_a_literal_modified_marker_survives_in_a_window_title(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.setWindowTitle(window_title("Project [*] notes — Annotator"))
    widget.show()
    qtbot.waitExposed(widget)
    handle = widget.windowHandle()
    assert handle is not None and handle.title() == "Project [*] notes — Annotator"


def _answer(read: list[tuple[str, Qt.TextFormat]], accept: bool, tries: int = 200) -> None:
    """Read the open modal dialog's prompt and format, then accept or reject it."""
    dialog = QApplication.activeModalWidget()
    if isinstance(dialog, QMessageBox):
        read.append((dialog.text(), dialog.textFormat()))
        dialog.button(QMessageBox.StandardButton.Yes if accept else QMessageBox.StandardButton.No).click()
    elif isinstance(dialog, QInputDialog):
        label = dialog.findChild(QLabel)
        assert label is not None
        read.append((label.text(), label.textFormat()))
        dialog.accept() if accept else dialog.reject()
    elif tries:
        QTimer.singleShot(10, lambda: _answer(read, accept, tries - 1))


@pytest.mark.parametrize("accept", [True, False])
def test_confirm_asks_in_plain_text(accept: bool) -> None:
    read: list[tuple[str, Qt.TextFormat]] = []
    QTimer.singleShot(0, lambda: _answer(read, accept))
    assert confirm(None, "Delete code", PAYLOAD) is accept
    assert read == [(PAYLOAD, Qt.TextFormat.PlainText)]


def test_input_dialogs_prompt_in_plain_text_and_return_none_when_cancelled() -> None:
    read: list[tuple[str, Qt.TextFormat]] = []
    QTimer.singleShot(0, lambda: _answer(read, True))
    assert ask_text(None, "Add code", PAYLOAD, "typed") == "typed"
    QTimer.singleShot(0, lambda: _answer(read, True))
    assert ask_multiline_text(None, "Memo", PAYLOAD, "two\nlines") == "two\nlines"
    QTimer.singleShot(0, lambda: _answer(read, True))
    assert ask_item(None, "Merge", PAYLOAD, ["first", "second"]) == "first"
    QTimer.singleShot(0, lambda: _answer(read, False))
    assert ask_text(None, "Add code", PAYLOAD) is None
    assert read == [(PAYLOAD, Qt.TextFormat.PlainText)] * 4


def test_an_input_dialog_is_wide_enough_for_its_whole_title(qtbot: QtBot) -> None:
    """ "Add coder — Annotator" was shown as "Add c… otator" in a dialog sized to its empty field."""
    widths: list[tuple[int, int]] = []

    def measure() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
        widths.append((dialog.width(), title))
        dialog.reject()

    QTimer.singleShot(0, measure)
    ask_text(None, "Add another coder to the project", "Name:")
    [(width, title)] = widths
    assert width >= title + 120 and width >= 400
