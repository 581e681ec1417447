"""New project from the start page and File ▸ New: where, and which codebook (fandom, empty, a CSV),
as ``annotator new --codebook`` offers; a bad CSV is refused in one line and leaves no project."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from annotator.paths import default_codebook_path
from annotator.ui.dialogs.new_project_dialog import NewProjectDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings
from tests.ui.popups import when_modal

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def start_window(qtbot: QtBot, app_settings: AppSettings) -> Iterator[MainWindow]:
    win = MainWindow(app_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.close()


def _on_the_dot(button: QWidget) -> QPoint:
    return QPoint(8, button.height() // 2)  # the radio button's circle (the row is wider than its text)


def _fill(qtbot: QtBot, path: Path, start: str = "", csv: Path | None = None) -> Callable[[QWidget], None]:
    """Answer the dialog as a researcher: type the file name, click a start, type the CSV, Create."""

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, NewProjectDialog), type(dialog)
        qtbot.keyClick(dialog.path, Qt.Key.Key_A, CTRL)
        qtbot.keyClicks(dialog.path, str(path))
        if start:
            button = {"empty": dialog.empty, "csv": dialog.from_csv, "fandom": dialog.fandom}[start]
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=_on_the_dot(button))
        if csv is not None:
            qtbot.keyClicks(dialog.csv_path, str(csv))
        create = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(create, Qt.MouseButton.LeftButton)

    return answer


def _start_button(window: MainWindow, text: str) -> QPushButton:
    [button] = [b for b in window.start_page.findChildren(QPushButton) if b.text() == text]
    return button


def _opened(qtbot: QtBot, window: MainWindow) -> list[str]:
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    assert window.session is not None
    return [c.path for c in window.session.codes]


def test_new_project_from_the_start_page_with_the_fandom_codebook(
    start_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    when_modal(_fill(qtbot, tmp_path / "study"))  # the fandom codebook is the default start
    qtbot.mouseClick(_start_button(start_window, "New project…"), Qt.MouseButton.LeftButton)
    codes = _opened(qtbot, start_window)
    listed = default_codebook_path().read_text(encoding="utf-8").splitlines()[1:]
    assert len(codes) == len([line for line in listed if line.strip()]) and "Trope" in codes
    assert (tmp_path / "study.annotator").is_file()


def test_file_new_with_an_empty_codebook(start_window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    when_modal(_fill(qtbot, tmp_path / "blank.annotator", "empty"))
    qtbot.keyClick(start_window, Qt.Key.Key_N, CTRL)
    assert _opened(qtbot, start_window) == []


def test_new_project_from_a_codebook_csv(start_window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    source = tmp_path / "my codes.csv"
    source.write_text("path,colour\nSetting/Coffee shop,#335577\nVoice,#aa0000\n", encoding="utf-8")
    when_modal(_fill(qtbot, tmp_path / "mine", "csv", source))
    qtbot.mouseClick(_start_button(start_window, "New project…"), Qt.MouseButton.LeftButton)
    assert _opened(qtbot, start_window) == ["Setting", "Setting/Coffee shop", "Voice"]


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        (b"name,colour\nVoice,#aa0000\n", "bad.csv: no 'path' column"),
        ("path\nCaf\u00e9\n".encode("latin-1"), "bad.csv: not UTF-8 text"),
    ],
)
def test_a_bad_codebook_csv_is_refused_and_leaves_no_project(
    start_window: MainWindow, qtbot: QtBot, tmp_path: Path, content: bytes, refusal: str
) -> None:
    source = tmp_path / "bad.csv"
    source.write_bytes(content)
    when_modal(_fill(qtbot, tmp_path / "never", "csv", source))
    qtbot.mouseClick(_start_button(start_window, "New project…"), Qt.MouseButton.LeftButton)
    status = start_window.start_page.status
    qtbot.waitUntil(lambda: status.text().startswith("⚠"), timeout=10_000)
    assert status.text().startswith(f"⚠ {refusal}") and "\n" not in status.text()
    assert start_window.workspace is None
    assert not list(tmp_path.glob("never*"))  # no project file, no sidecar


def test_the_dialog_asks_for_what_is_missing(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = NewProjectDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.path.text() == str(tmp_path / "project.annotator")
    (tmp_path / "project.annotator").touch()
    assert NewProjectDialog(str(tmp_path)).path.text() == str(tmp_path / "project-2.annotator")
    create = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)  # that name is taken now
    assert dialog.isVisible() and "already exists" in dialog.problem.text()
    qtbot.keyClick(dialog.path, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(dialog.path, str(tmp_path / "other"))
    qtbot.keyClicks(dialog.csv_path, str(tmp_path / "missing.csv"))  # typing there picks the CSV start
    assert dialog.from_csv.isChecked()
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problem.text().startswith("Choose the codebook CSV file")
    qtbot.mouseClick(dialog.empty, Qt.MouseButton.LeftButton, pos=_on_the_dot(dialog.empty))
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.choice() == (tmp_path / "other.annotator", "empty")
