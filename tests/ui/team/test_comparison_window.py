"""The comparison window, driven as a researcher drives it: keys to decide and move on, the list
updated row by row (never reset) by a decision and its undo, "N of M" counting what is listed,
Accept offered only for coders who coded the disagreement, and a span dragged inside the
pre-selected disagreement recorded exactly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from annotator.services.annotations import list_annotations
from annotator.services.coders import list_coders
from annotator.store.project import ProjectStore
from annotator.ui.session import ProjectSession
from annotator.ui.team import ComparisonWindow
from tests.team_support import ALICE, BOB, code_as, document_id

CAROL = [(0, "Trope/Slow burn", 0, 100)]  # agrees with both on [0, 100), codes nothing else


@pytest.fixture
def session(seeded_project: ProjectStore) -> Iterator[ProjectSession]:
    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "bob", BOB)
    code_as(seeded_project, "carol", CAROL)
    session = ProjectSession(seeded_project, "lead")
    yield session
    session.close()


@pytest.fixture
def window(qtbot: QtBot, session: ProjectSession) -> ComparisonWindow:
    window = ComparisonWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    combo = window.document
    combo.setFocus()
    target = combo.findData(document_id(session.store, 0))
    while combo.currentIndex() != target:  # choose the first work with the keyboard
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)
    return window


def _rows(window: ComparisonWindow) -> list[str]:
    model = window.disagreements.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _current(window: ComparisonWindow) -> int:
    return window.disagreements.currentIndex().row()


def _consensus(store: ProjectStore) -> list[tuple[int, int]]:
    ids = [c.id for c in list_coders(store) if c.name == "consensus"]
    return sorted((a.start, a.end) for a in list_annotations(store, coder_ids=ids)) if ids else []


def test_keys_alone_go_through_the_disagreements_and_undo_comes_back(
    qtbot: QtBot, window: ComparisonWindow, session: ProjectSession
) -> None:
    assert _rows(window) == [
        "• Trope › Pining  [200, 300)  coded by alice",
        "• Trope › Slow burn  [500, 650)  coded by alice, bob",
    ]
    # "N of M" counts what is listed; the project's figure is named as such.
    assert window.list_label.text() == "Disagreements in this document: 2"
    assert window.panel.progress.text() == "0 of 2 resolved in this list · 0 of 4 in all documents"
    assert "1 accept alice · 2 accept bob · 3 accept carol" in window.panel.keys.text()
    list_view = window.disagreements
    list_view.setFocus()
    assert _current(window) == 0 and window.viewer.selected_span() == (200, 300)  # the first, shown
    qtbot.keyClick(list_view, Qt.Key.Key_J)
    assert _current(window) == 1
    qtbot.keyClick(list_view, Qt.Key.Key_K)
    assert _current(window) == 0
    qtbot.keyClick(list_view, Qt.Key.Key_Down)
    assert _current(window) == 1 and window.panel.item is not None and window.panel.item.start == 500

    resets: list[int] = []
    window.model.modelReset.connect(lambda: resets.append(1))
    qtbot.keyClick(list_view, Qt.Key.Key_2)  # accept bob's version of the slow burn
    assert _consensus(session.store) == [(550, 650)]
    assert _rows(window)[1].startswith("✓ Trope › Slow burn")
    assert _current(window) == 0  # moved on to the next open disagreement (wrapping round)
    assert window.panel.progress.text() == "1 of 2 resolved in this list · 1 of 4 in all documents"
    qtbot.keyClick(list_view, Qt.Key.Key_N)  # "neither" for the pining
    assert window.panel.progress.text() == "2 of 2 resolved in this list · 2 of 4 in all documents"
    assert window.panel.message.text() == "Every disagreement in this list is resolved."

    qtbot.keyClick(list_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.panel.progress.text().startswith("1 of 2 resolved")
    qtbot.keyClick(list_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _current(window) == 1  # the undone decision is selected again, to be seen
    assert _consensus(session.store) == [] and _rows(window)[1].startswith("• Trope › Slow burn")
    assert window.panel.progress.text() == "0 of 2 resolved in this list · 0 of 4 in all documents"
    assert resets == []  # decisions and undo changed rows in place: the list never reset


def test_accept_is_offered_only_to_coders_who_coded_the_disagreement(
    qtbot: QtBot, window: ComparisonWindow, session: ProjectSession
) -> None:
    window.disagreements.setFocus()
    assert list(window.panel.coder_buttons) == ["alice"]  # only alice coded the pining
    assert not window.panel.coder_buttons["alice"].isHidden()
    qtbot.keyClick(window.disagreements, Qt.Key.Key_3)
    assert window.panel.message.text() == "carol did not code this disagreement: nothing to accept."
    qtbot.keyClick(window.disagreements, Qt.Key.Key_Return)  # Enter decides nothing by accident
    assert _consensus(session.store) == [] and _current(window) == 0 and window.isVisible()
    qtbot.keyClick(window.disagreements, Qt.Key.Key_J)
    assert list(window.panel.coder_buttons) == ["alice", "bob"]
    qtbot.mouseClick(window.panel.coder_buttons["alice"], Qt.MouseButton.LeftButton)
    assert _consensus(session.store) == [(500, 600)]


def _point(window: ComparisonWindow, offset: int, *, after: bool = False) -> QPoint:
    """The viewport point at the start (or the end) of the character at ``offset``."""
    [rect, *_] = window.viewer.span_rects(offset, offset + 1)
    x = rect.right() - 1 if after else rect.left() + 1
    return QPoint(round(x), round(rect.center().y()))


def test_a_span_dragged_inside_the_selected_disagreement_is_the_one_recorded(
    qtbot: QtBot, window: ComparisonWindow, session: ProjectSession
) -> None:
    window.disagreements.setFocus()
    qtbot.keyClick(window.disagreements, Qt.Key.Key_J)
    assert window.viewer.selected_span() == (500, 650)  # the disagreement is pre-selected
    viewer = window.viewer
    press, release = _point(window, 520), _point(window, 529, after=True)
    port = viewer.viewport()
    qtbot.mousePress(port, Qt.MouseButton.LeftButton, pos=press)
    qtbot.mouseMove(port, QPoint((press.x() + release.x()) // 2, press.y()))
    qtbot.mouseMove(port, release)
    exact = Qt.KeyboardModifier.AltModifier  # Alt: characters as dragged, not grown to whole words
    qtbot.mouseRelease(port, Qt.MouseButton.LeftButton, exact, pos=release)
    dragged = viewer.selected_span()
    assert dragged == (520, 530)
    qtbot.mouseClick(window.panel.new_span, Qt.MouseButton.LeftButton)
    assert _consensus(session.store) == [dragged]
