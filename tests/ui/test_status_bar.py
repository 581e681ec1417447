"""The status bar: the coder switcher (pick a coder with the arrow keys, or Ctrl+Shift+U, type a name
and press Enter; Escape or a refused name leaves the coder as it was) and the count of other coders'
annotations hidden in the open work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from annotator.core.types import CoderInfo
from annotator.core.validation import MAX_CODER_NAME_LENGTH
from annotator.services.annotations import list_annotations
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings
from annotator.ui.status_bar import CoderSwitcher, HiddenCount

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

ALICE = CoderInfo(1, "alice", "#e6194b", count=4)
BOB = CoderInfo(2, "bob", "#3cb44b")
CONSENSUS = CoderInfo(3, "consensus", "#000000", role="consensus")


def _switcher(qtbot: QtBot) -> tuple[CoderSwitcher, list[str]]:
    switcher = CoderSwitcher()
    qtbot.addWidget(switcher)
    requested: list[str] = []
    switcher.coderRequested.connect(requested.append)
    switcher.show()
    qtbot.waitExposed(switcher)
    return switcher, requested


def test_the_switcher_lists_coders_not_the_consensus_and_arrow_keys_ask_for_one(qtbot: QtBot) -> None:
    switcher, requested = _switcher(qtbot)
    switcher.set_coders([ALICE, BOB, CONSENSUS], ALICE)
    combo = switcher.combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["alice", "bob"]
    assert combo.currentText() == "alice" and requested == []  # showing the list asks for nothing
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert requested == ["bob"]
    # Adjudicating as the consensus coder: it is shown while it is the current one.
    switcher.set_coders([ALICE, BOB, CONSENSUS], CONSENSUS)
    assert combo.currentText() == "consensus" and combo.count() == 3


def _type_coder(window: MainWindow, qtbot: QtBot, keys: str, finish: Qt.Key = Qt.Key.Key_Return) -> None:
    """Ctrl+Shift+U, type ``keys`` where the keyboard now is, then Enter (or ``finish``)."""
    qtbot.keyClick(window, Qt.Key.Key_U, CTRL_SHIFT)
    box = QApplication.focusWidget()
    assert box is window.coder_switcher.combo  # the shortcut put the keyboard in the coder box
    line = window.coder_switcher.combo.lineEdit()
    assert line is not None and line.selectedText() == line.text()  # typing replaces the name
    qtbot.keyClicks(box, keys)
    qtbot.keyClick(box, finish)


def test_ctrl_shift_u_then_typing_a_name_and_enter_switches_who_is_coding(
    window: MainWindow, qtbot: QtBot, app_settings: AppSettings
) -> None:
    ws = window.workspace
    assert ws is not None and ws.session.coder.name == "alice"
    combo = window.coder_switcher.combo
    assert window.coder_switcher.isVisible() and combo.currentText() == "alice"
    _type_coder(window, qtbot, "bob")  # a new coder
    assert ws.session.coder.name == "bob" and app_settings.coder_name() == "bob"
    assert window.statusBar().currentMessage() == "Coding as bob."
    assert combo.currentText() == "bob"
    assert [combo.itemText(i) for i in range(combo.count())] == ["alice", "bob"]
    assert ws.pane.viewer.hasFocus()  # back to the text, ready to code
    for _ in range(10):  # select the first ten characters with the keyboard, then code them
        qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert ws.pane.viewer.selected_span() == (0, 10)
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_1)
    [annotation] = list_annotations(ws.session.store)
    assert ws.session.coder_by_id(annotation.coder_id).name == "bob"  # type: ignore[union-attr]

    _type_coder(window, qtbot, "alice")  # a coder already in the project
    assert ws.session.coder.name == "alice" and app_settings.coder_name() == "alice"
    assert combo.currentText() == "alice" and window.statusBar().currentMessage() == "Coding as alice."
    _type_coder(window, qtbot, "alice")  # the current one: said, nothing changes
    assert ws.session.coder.name == "alice" and window.statusBar().currentMessage() == "Coding as alice."


def test_escape_or_a_refused_name_leaves_the_coder_and_the_box_as_they_were(
    window: MainWindow, qtbot: QtBot, app_settings: AppSettings
) -> None:
    ws = window.workspace
    assert ws is not None
    combo = window.coder_switcher.combo
    _type_coder(window, qtbot, "carol", finish=Qt.Key.Key_Escape)
    assert ws.session.coder.name == "alice" and combo.currentText() == "alice"
    assert "carol" not in [c.name for c in ws.session.coders] and ws.pane.viewer.hasFocus()
    _type_coder(window, qtbot, "x" * (MAX_CODER_NAME_LENGTH + 1))
    assert window.last_error == (
        f"coder name is {MAX_CODER_NAME_LENGTH + 1} characters long; the limit is {MAX_CODER_NAME_LENGTH}"
    )
    # The box shows who codes now, not the refused name, and the next coding is alice's.
    assert ws.session.coder.name == "alice" and combo.currentText() == "alice"
    assert app_settings.coder_name() == "alice"


def test_hidden_count_reads_as_a_sentence_and_vanishes_when_others_are_shown(qtbot: QtBot) -> None:
    label = HiddenCount()
    qtbot.addWidget(label)
    label.set_count(1, shown=False)
    assert label.text() == "1 annotation hidden (other coders)"
    assert "Show other coders" in label.toolTip()
    label.set_count(12, shown=False)
    assert label.text() == "12 annotations hidden (other coders)"
    label.set_count(12, shown=True)
    assert label.text() == ""
    label.set_count(0, shown=False)
    assert label.text() == ""
