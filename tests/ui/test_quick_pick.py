"""The quick pick popup: typed words narrow the codes, arrow keys move among the shown ones while
typing goes on, Enter or a double-click applies the chosen code, and Escape applies nothing."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from annotator.core.types import CodeInfo
from annotator.ui.quick_pick import QuickPick, matches

CODES = [
    CodeInfo(1, None, "Trope", "Trope", "#ff0000"),
    CodeInfo(2, 1, "Slow burn", "Trope/Slow burn", "#00ff00"),
    CodeInfo(3, 1, "Hurt/comfort", "Trope/Hurt\\/comfort", "#0000ff"),
    CodeInfo(4, 1, "Pining", "Trope/Pining", "#ffaa00"),
    CodeInfo(5, None, "Power dynamic", "Power dynamic", "#888888"),
    CodeInfo(6, 5, "Physical", "Power dynamic/Physical", "#aa00aa"),
]


def _popup(qtbot: QtBot) -> tuple[QuickPick, list[int]]:
    picked: list[int] = []
    popup = QuickPick(CODES)
    qtbot.addWidget(popup)
    popup.picked.connect(picked.append)
    popup.popup_at(QPoint(40, 40))
    qtbot.waitExposed(popup)
    return popup, picked


def test_arrow_keys_choose_among_the_shown_codes_and_enter_applies(qtbot: QtBot) -> None:
    popup, picked = _popup(qtbot)
    qtbot.keyClicks(popup.line, "trope")
    assert popup.visible_ids() == [1, 2, 3, 4]
    qtbot.keyClick(popup.line, Qt.Key.Key_Down)
    qtbot.keyClick(popup.line, Qt.Key.Key_Down)
    qtbot.keyClick(popup.line, Qt.Key.Key_Up)
    assert popup.line.text() == "trope"  # the arrows moved in the list, not the cursor
    assert popup.list.currentItem().text() == "Trope › Slow burn"
    qtbot.keyClicks(popup.line, " ur")  # typing goes on: "Slow burn", "Hurt/comfort"
    assert popup.visible_ids() == [2, 3]
    qtbot.keyClick(popup.line, Qt.Key.Key_Down)
    qtbot.keyClick(popup.line, Qt.Key.Key_Down)  # stops at the last shown code
    qtbot.keyClick(popup.line, Qt.Key.Key_Return)
    assert picked == [3] and not popup.isVisible()


def test_every_typed_word_must_occur_in_the_path_in_any_order_and_case(qtbot: QtBot) -> None:
    popup, picked = _popup(qtbot)
    qtbot.keyClicks(popup.line, "BURN tro")
    assert popup.visible_ids() == [2]
    assert popup.list.currentItem().text() == "Trope › Slow burn"  # the first match is chosen
    popup.line.clear()
    qtbot.keyClicks(popup.line, "zzz")
    assert popup.visible_ids() == []
    qtbot.keyClick(popup.line, Qt.Key.Key_Return)  # nothing shown: nothing applied, popup stays
    assert picked == [] and popup.isVisible()
    assert matches("hurt/com", "Trope › Hurt/comfort") and not matches("hurt trope x", "Trope › Hurt/comfort")


def test_escape_closes_without_applying_and_double_click_applies(qtbot: QtBot) -> None:
    popup, picked = _popup(qtbot)
    qtbot.keyClick(popup.line, Qt.Key.Key_Escape)
    assert not popup.isVisible() and picked == []
    popup, picked = _popup(qtbot)
    item = popup.list.item(5)
    rect = popup.list.visualItemRect(item)
    qtbot.mouseClick(popup.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(popup.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert picked == [6] and not popup.isVisible()


def test_the_popup_is_as_tall_as_the_matching_codes_and_says_when_none_match(qtbot: QtBot) -> None:
    popup, _ = _popup(qtbot)
    all_six = popup.height()
    qtbot.keyClicks(popup.line, "burn")
    one_row = popup.list.height()
    assert popup.visible_ids() == [2] and popup.height() < all_six
    row = popup.list.visualItemRect(popup.list.item(1))  # "Slow burn", the one shown
    assert one_row < 2 * row.height() + 12  # one row, not a list of empty space
    qtbot.keyClicks(popup.line, "zzz")
    assert not popup.list.isVisible()
    assert popup.hint.text() == "No code matches “burnzzz”"
    assert popup.hint.textFormat() == Qt.TextFormat.PlainText


def test_the_popup_stays_on_the_screen_near_its_edge(qtbot: QtBot) -> None:
    popup = QuickPick(CODES)
    qtbot.addWidget(popup)
    area = popup.screen().availableGeometry()
    popup.popup_at(area.bottomRight())
    qtbot.waitExposed(popup)
    assert area.contains(popup.frameGeometry().topLeft())
    assert popup.geometry().right() <= area.right() and popup.geometry().bottom() <= area.bottom()
