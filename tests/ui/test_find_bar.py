"""The find bar over a viewer: typing counts and selects matches (in code points, past emoji), Enter
and the arrow buttons step through them and wrap, Match case narrows, Escape closes and clears."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from annotator.ui.find_bar import FindBar
from annotator.ui.viewer import DocumentViewer

TEXT = "🙂 Hux said hux.\nKylo laughed. 👩‍🚀 HUX again!\nThe end."
HUX = [(2, 5), (11, 14), (34, 37)]  # code points: the emoji and the ZWJ sequence count as stored


class Host(QWidget):
    """The find bar above a viewer, as in the document pane."""

    def __init__(self) -> None:
        super().__init__()
        self.viewer = DocumentViewer()
        self.viewer.set_document(TEXT)
        self.bar = FindBar(self.viewer)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.viewer)
        self.resize(600, 400)


def _host(qtbot: QtBot) -> Host:
    host = Host()
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    qtbot.waitUntil(host.viewer.is_fully_loaded)
    return host  # the caller keeps it: qtbot holds widgets only weakly


def test_typing_selects_the_first_match_and_enter_steps_through_them_round(qtbot: QtBot) -> None:
    host = _host(qtbot)
    bar, viewer = host.bar, host.viewer
    assert not bar.isVisible()
    bar.open_bar()
    assert bar.isVisible()
    qtbot.keyClicks(bar.line, "hux")
    assert bar.matches == HUX and bar.count.text() == "1 of 3"
    assert viewer.selected_span() == HUX[0] and viewer.selected_text() == "Hux"
    qtbot.keyClick(bar.line, Qt.Key.Key_Return)
    qtbot.keyClick(bar.line, Qt.Key.Key_Enter)
    assert bar.count.text() == "3 of 3" and viewer.selected_text() == "HUX"
    qtbot.keyClick(bar.line, Qt.Key.Key_Return)  # past the last: back to the first
    assert bar.count.text() == "1 of 3" and viewer.selected_span() == HUX[0]
    qtbot.keyClick(bar.line, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == "3 of 3" and viewer.selected_span() == HUX[2]


def test_the_arrow_buttons_step_and_match_case_narrows(qtbot: QtBot) -> None:
    host = _host(qtbot)
    bar, viewer = host.bar, host.viewer
    bar.open_bar()
    qtbot.keyClicks(bar.line, "Hux")
    qtbot.mouseClick(bar.next_button, Qt.MouseButton.LeftButton)
    assert viewer.selected_span() == HUX[1]
    qtbot.mouseClick(bar.previous_button, Qt.MouseButton.LeftButton)
    assert viewer.selected_span() == HUX[0]
    qtbot.mouseClick(bar.case, Qt.MouseButton.LeftButton)
    assert bar.case.isChecked() and bar.matches == [HUX[0]] and bar.count.text() == "1 of 1"
    bar.line.selectAll()
    qtbot.keyClicks(bar.line, "Leia")
    assert bar.matches == [] and bar.count.text() == "No matches"
    bar.line.clear()
    assert bar.count.text() == ""


def test_a_selected_phrase_fills_the_bar_and_escape_closes_it_clearing_the_matches(qtbot: QtBot) -> None:
    host = _host(qtbot)
    bar, viewer = host.bar, host.viewer
    viewer.select_span(16, 20)
    bar.open_bar()
    assert bar.line.text() == "Kylo" and bar.line.selectedText() == "Kylo"  # typing replaces it
    viewer.select_span(12, 20)  # across a line end: not a phrase to find
    bar.close_bar()
    bar.line.clear()
    bar.open_bar()
    assert bar.line.text() == ""
    qtbot.keyClicks(bar.line, "the")
    assert len(bar.matches) == 1
    qtbot.keyClick(bar.line, Qt.Key.Key_Escape)
    assert not bar.isVisible() and bar.matches == [] and viewer.current_match() is None
