"""The status bar: the coder switcher (pick a coder with the arrow keys, or type a name and press
Enter) and the count of other coders' annotations hidden in the open work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.types import CoderInfo
from annotator.services.annotations import list_annotations
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings
from annotator.ui.status_bar import CoderSwitcher, HiddenCount

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


def test_typing_a_coder_in_the_window_status_bar_switches_who_is_coding(
    window: MainWindow, qtbot: QtBot, app_settings: AppSettings
) -> None:
    ws = window.workspace
    assert ws is not None
    window.set_coder("bob")
    window.set_coder("alice")
    line = window.coder_switcher.combo.lineEdit()
    assert line is not None
    assert window.coder_switcher.isVisible() and line.text() == "alice"
    line.selectAll()
    qtbot.keyClicks(line, "bob")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert ws.session.coder.name == "bob" and app_settings.coder_name() == "bob"
    combo = window.coder_switcher.combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["alice", "bob"]
    ws.pane.viewer.select_span(0, 10)
    assert ws.coding.apply_shortcut(1)
    [annotation] = list_annotations(ws.session.store)
    assert ws.session.coder_by_id(annotation.coder_id).name == "bob"  # type: ignore[union-attr]


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
