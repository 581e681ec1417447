"""Coder lanes: one lane per coder across the whole document, agreed stretches painted green and
disputed ones red where they are, the chosen disagreement outlined, and a click on a lane telling
the document offset under the mouse."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from annotator.ui.team.lane_model import LaneRun
from annotator.ui.team.lanes_widget import (
    AGREED_COLOUR,
    DISPUTED_COLOUR,
    LABEL_WIDTH,
    LANE_GAP,
    LANE_HEIGHT,
    CoderLanes,
)

LENGTH = 1000
CODERS = [("alice", "#e6194b"), ("bob", "#3cb44b")]
RUNS = {
    "alice": [LaneRun(0, 100, True), LaneRun(500, 600, False)],
    "bob": [LaneRun(0, 100, True), LaneRun(700, 800, False)],
}


def _lanes(qtbot: QtBot) -> CoderLanes:
    lanes = CoderLanes()
    qtbot.addWidget(lanes)
    lanes.resize(LABEL_WIDTH + 8 + 1000, 60)  # one pixel per character
    lanes.set_lanes(LENGTH, CODERS, RUNS)
    lanes.show()
    qtbot.waitExposed(lanes)
    return lanes


def _lane_y(index: int) -> int:
    return LANE_GAP + index * (LANE_HEIGHT + LANE_GAP) + LANE_HEIGHT // 2


def test_a_click_on_a_lane_reports_the_offset_there_and_on_the_names_nothing(qtbot: QtBot) -> None:
    lanes = _lanes(qtbot)
    with qtbot.waitSignal(lanes.positionClicked) as clicked:
        qtbot.mouseClick(lanes, Qt.MouseButton.LeftButton, pos=QPoint(LABEL_WIDTH + 560, _lane_y(1)))
    assert clicked.args == [560]
    with qtbot.waitSignal(lanes.positionClicked) as clicked:
        qtbot.mouseClick(lanes, Qt.MouseButton.LeftButton, pos=QPoint(LABEL_WIDTH + 250, _lane_y(0)))
    assert clicked.args == [250]
    with qtbot.assertNotEmitted(lanes.positionClicked):
        qtbot.mouseClick(lanes, Qt.MouseButton.LeftButton, pos=QPoint(LABEL_WIDTH // 2, _lane_y(0)))
        qtbot.mouseClick(lanes, Qt.MouseButton.RightButton, pos=QPoint(LABEL_WIDTH + 560, _lane_y(0)))
    assert lanes.offset_at(lanes.width() + 50) == LENGTH - 1  # past the end: the last character


def test_agreed_and_disputed_stretches_are_painted_where_each_coder_coded(qtbot: QtBot) -> None:
    lanes = _lanes(qtbot)
    image = lanes.grab().toImage()

    def colour(offset: int, lane: int) -> QColor:
        return image.pixelColor(int(lanes.x_of(offset)), _lane_y(lane))

    assert colour(50, 0) == colour(50, 1) == QColor(AGREED_COLOUR)
    assert colour(550, 0) == QColor(DISPUTED_COLOUR) and colour(550, 1) != QColor(DISPUTED_COLOUR)
    assert colour(750, 1) == QColor(DISPUTED_COLOUR) and colour(750, 0) != QColor(DISPUTED_COLOUR)
    assert colour(300, 0) not in (QColor(AGREED_COLOUR), QColor(DISPUTED_COLOUR))  # nobody coded it
    assert image.pixelColor(6, _lane_y(1)) == QColor("#3cb44b")  # bob's colour beside his name


def test_the_chosen_disagreement_is_outlined_and_each_coder_adds_a_lane(qtbot: QtBot) -> None:
    lanes = _lanes(qtbot)
    edge = int(lanes.x_of(500)) - 2
    before = lanes.grab().toImage().pixelColor(edge, 1)
    lanes.set_marked((500, 600))
    marked = lanes.grab().toImage().pixelColor(edge, 1)
    assert marked != before and marked == lanes.palette().highlight().color()
    assert lanes.sizeHint().height() == 2 * (LANE_HEIGHT + LANE_GAP) + LANE_GAP
    lanes.set_lanes(LENGTH, [*CODERS, ("carol", "#4363d8")], RUNS)
    assert lanes.sizeHint().height() == 3 * (LANE_HEIGHT + LANE_GAP) + LANE_GAP
