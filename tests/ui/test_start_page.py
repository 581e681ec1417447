"""The start page: recent projects by name and folder (missing files and server URLs said so), the
buttons for new, open, server and demo, and opening a recent project with the mouse or Enter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from annotator.ui.start_page import StartPage, describe_location
from tests.ui.shown import shown_text


def _page(qtbot: QtBot) -> StartPage:
    page = StartPage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_recent_projects_show_name_and_folder_and_say_when_a_file_is_gone(
    qtbot: QtBot, tmp_path: Path
) -> None:
    present = tmp_path / "thesis.annotator"
    present.write_bytes(b"")
    gone = tmp_path / "old" / "pilot.annotator"
    url = "postgresql+psycopg://lab@db.example.org/fanfic_study"
    page = _page(qtbot)
    page.set_recent([str(present), str(gone), url])
    shown = [page.recent.item(i).text() for i in range(page.recent.count())]
    assert shown == [
        f"thesis.annotator\n{tmp_path}",
        f"pilot.annotator\n{tmp_path / 'old'}  (missing)",
        f"fanfic_study\n{url}",
    ]
    assert [shown_text(page.recent.item(i).toolTip()) for i in range(3)] == [str(present), str(gone), url]
    assert describe_location("postgresql://host/") == ("postgresql://host/", "postgresql://host/")


def test_a_recent_project_opens_on_double_click_or_enter(qtbot: QtBot, tmp_path: Path) -> None:
    page = _page(qtbot)
    locations = [str(tmp_path / "a.annotator"), str(tmp_path / "b.annotator")]
    page.set_recent(locations)
    with qtbot.waitSignal(page.recentRequested) as opened:
        rect = page.recent.visualItemRect(page.recent.item(1))
        qtbot.mouseClick(page.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [locations[1]]
    page.recent.setCurrentRow(0)
    with qtbot.waitSignal(page.recentRequested) as opened:
        qtbot.keyClick(page.recent, Qt.Key.Key_Return)
    assert opened.args == [locations[0]]


def test_without_recent_projects_the_list_suggests_the_demo_and_opens_nothing(qtbot: QtBot) -> None:
    page = _page(qtbot)
    page.set_recent([])
    [placeholder] = [page.recent.item(i) for i in range(page.recent.count())]
    assert "try the demo project" in placeholder.text()
    assert not placeholder.flags() & Qt.ItemFlag.ItemIsEnabled
    with qtbot.assertNotEmitted(page.recentRequested):
        rect = page.recent.visualItemRect(placeholder)
        qtbot.mouseDClick(page.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_each_button_asks_for_its_own_action(qtbot: QtBot) -> None:
    page = _page(qtbot)
    buttons = {b.text(): b for b in page.findChildren(QPushButton)}
    for text, signal in (
        ("New project…", page.newRequested),
        ("Open project…", page.openRequested),
        ("Open server URL…", page.urlRequested),
        ("Open the demo project", page.demoRequested),
    ):
        with qtbot.waitSignal(signal):
            qtbot.mouseClick(buttons[text], Qt.MouseButton.LeftButton)
    page.set_status("⚠ no project at /tmp/typo.annotator")
    assert page.status.text() == "⚠ no project at /tmp/typo.annotator"


def test_while_a_project_opens_the_page_says_so_offers_cancel_and_takes_no_second_request(
    qtbot: QtBot, tmp_path: Path
) -> None:
    page = _page(qtbot)
    page.set_recent([str(tmp_path / "a.annotator")])
    page.set_opening("Opening a.annotator…")
    buttons = [b for b in page.findChildren(QPushButton) if b is not page.cancel]
    assert page.status.text() == "Opening a.annotator…" and page.busy.isVisible() and page.cancel.isVisible()
    assert not any(b.isEnabled() for b in buttons) and not page.recent.isEnabled()
    with qtbot.assertNotEmitted(page.recentRequested), qtbot.assertNotEmitted(page.demoRequested):
        rect = page.recent.visualItemRect(page.recent.item(0))
        qtbot.mouseDClick(page.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseClick(
            next(b for b in buttons if b.text() == "Open the demo project"), Qt.MouseButton.LeftButton
        )
    with qtbot.waitSignal(page.cancelRequested):
        qtbot.mouseClick(page.cancel, Qt.MouseButton.LeftButton)
    page.set_opening(None)
    assert not page.busy.isVisible() and not page.cancel.isVisible()
    assert all(b.isEnabled() for b in buttons) and page.recent.isEnabled()
