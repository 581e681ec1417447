"""Driving what opens on top of a test, as a user would: a right-click through the window, the
context menu that pops up (chosen with the keyboard), a modal box or file dialog (answered with keys
or a click). What pops up runs its own event loop, so the answer is scheduled before the click."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

TRIES = 300  # × 10 ms: what is awaited opens within three seconds or the test fails


def right_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    """A right click at ``pos`` of ``widget``, sent through its window as the system sends one (so
    Qt makes the context-menu event a real click makes)."""
    window = widget.window()
    handle = window.windowHandle()
    assert handle is not None
    at = widget.mapTo(window, pos)
    # The pointer gets there first, as a hand moves it: Qt sends the context-menu event to the
    # widget under the pointer it last saw move, which in a new window may still be none (and Qt
    # ignores a move to where the pointer already is, so it comes from a pixel away).
    qtbot.mouseMove(handle, at + QPoint(1, 1))
    qtbot.mouseMove(handle, at)
    qtbot.mouseClick(handle, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, at)


def _label(text: str) -> str:
    """A menu item's text without its mnemonic ampersands and without what follows a tab."""
    return text.split("\t")[0].replace("&", "")


def close_popups() -> None:
    while (popup := QApplication.activePopupWidget()) is not None:
        popup.close()


def choose_in_menu(*path: str, seen: list[list[str]] | None = None) -> None:
    """When a context menu pops up, pick ``path`` (a submenu's text, then an item's) with the arrow
    keys and Enter (an item's text up to a tab); ``seen`` gets each menu's item texts (ampersands
    removed). An item missing or
    disabled closes the menu unchosen."""
    shown: list[QMenu] = []

    def step(depth: int, left: int) -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu) or menu in shown:
            if left:
                QTimer.singleShot(10, lambda: step(depth, left - 1))
            return
        shown.append(menu)
        texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
        if seen is not None:
            seen.append(texts)
        wanted = [a for a in menu.actions() if _label(a.text()) == path[depth] and a.isEnabled()]
        if not wanted:
            close_popups()
            return
        menu.setActiveAction(wanted[0])
        if depth + 1 < len(path):
            QTest.keyClick(menu, Qt.Key.Key_Right)
            QTimer.singleShot(10, lambda: step(depth + 1, TRIES))
        else:
            QTest.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(0, lambda: step(0, TRIES))


def when_modal(answer: Callable[[QWidget], None]) -> None:
    """When a modal window (message box, dialog) opens, ``answer`` it."""

    def step(left: int) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or not modal.isVisible():
            if left:
                QTimer.singleShot(10, lambda: step(left - 1))
            return
        answer(modal)

    QTimer.singleShot(0, lambda: step(TRIES))


def click_button(
    qtbot: QtBot, texts: list[str], button: QMessageBox.StandardButton
) -> Callable[[QWidget], None]:
    """An answer for :func:`when_modal`: note a message box's text, click one of its buttons."""

    def answer(box: QWidget) -> None:
        assert isinstance(box, QMessageBox), type(box)
        texts.append(box.text())
        pressed = box.button(button)
        assert pressed is not None
        qtbot.mouseClick(pressed, Qt.MouseButton.LeftButton)

    return answer


def pick_file(qtbot: QtBot, path: Path) -> Callable[[QWidget], None]:
    """An answer for :func:`when_modal`: select ``path`` in a file dialog and click Open.

    Selected with ``selectFile`` (what clicking the file in the list does): typed into the name
    box, offscreen Qt's completer rewrites a full path before the dialog reads it.
    """

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog), type(dialog)
        dialog.selectFile(str(path))
        box = dialog.findChild(QDialogButtonBox, "buttonBox")
        assert box is not None
        button = box.button(QDialogButtonBox.StandardButton.Open)
        assert button is not None and button.isEnabled()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    return answer
