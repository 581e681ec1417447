"""File ▸ Import codebook CSV… and Import segments CSV…: the file chosen in the real file dialog,
the result in the status bar and the views, a refusal in a plain-text message box (nothing kept)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from annotator.services.annotations import list_annotations
from annotator.services.codebook import list_codes
from annotator.services.segments import export_segments
from annotator.ui.main_window import MainWindow
from tests.ui.popups import pick_file, when_modal

SHIFT = Qt.KeyboardModifier.ShiftModifier


def _file_action(window: MainWindow, text: str) -> QAction:
    [action] = [a for a in window.menus.file.actions() if a.text().replace("&", "") == text]
    return action


def _import(qtbot: QtBot, window: MainWindow, what: str, path: Path) -> None:
    when_modal(pick_file(qtbot, path))
    _file_action(window, f"Import {what} CSV…").trigger()


def _status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def test_a_codebook_csv_adds_and_updates_codes(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    assert window.workspace is not None
    source = tmp_path / "extra codes.csv"
    source.write_text(
        "path,colour,definition\n"
        "Trope/Fake dating,#aa5500,Pretending to date\n"
        "Setting/Coffee shop,#335577,\n",
        encoding="utf-8",
    )
    _import(qtbot, window, "codebook", source)
    qtbot.waitUntil(lambda: _status(window).startswith("Codebook"))
    assert _status(window) == "Codebook extra codes.csv: created 3 codes, updated 0."
    paths = {c.path for c in list_codes(window.workspace.session.store)}
    assert {"Trope/Fake dating", "Setting", "Setting/Coffee shop"} <= paths
    model = window.workspace.codebook.model
    assert "Fake dating" in [c.name for c in model.codes()]


def test_a_bad_codebook_csv_is_refused_in_plain_text_and_nothing_is_kept(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    assert window.workspace is not None
    store = window.workspace.session.store
    before = list_codes(store)
    source = tmp_path / "<i>codes.csv"
    source.write_text("name,colour\nTrope/Fake dating,#aa5500\n", encoding="utf-8")
    shown: list[QMessageBox] = []

    def close(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        shown.append(box)
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    _import(qtbot, window, "codebook", source)
    when_modal(close)
    qtbot.waitUntil(lambda: bool(shown))
    [box] = shown
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text().startswith("<i>codes.csv: no 'path' column")
    assert "\n" not in box.text()
    assert list_codes(store) == before
    assert _status(window) == "Nothing imported from <i>codes.csv."


def test_segments_csv_brings_back_exported_annotations(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    viewer = ws.pane.viewer
    viewer.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(10):
        qtbot.keyClick(viewer, Qt.Key.Key_Right, SHIFT)
    qtbot.keyClick(viewer, Qt.Key.Key_1)
    [coded] = list_annotations(ws.session.store)
    exported = tmp_path / "segments.csv"
    with exported.open("w", encoding="utf-8", newline="") as out:
        export_segments(ws.session.store, out)
    qtbot.keyClick(viewer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert list_annotations(ws.session.store) == [] and viewer.highlight(coded.id) is None

    _import(qtbot, window, "segments", exported)
    qtbot.waitUntil(lambda: _status(window).startswith("Imported"))
    assert _status(window) == "Imported 1 segment from segments.csv."
    [back] = list_annotations(ws.session.store)
    assert (back.start, back.end, back.code_id) == (coded.start, coded.end, coded.code_id)
    qtbot.waitUntil(lambda: viewer.highlight(back.id) is not None)

    _import(qtbot, window, "segments", exported)  # the same file again: nothing twice
    qtbot.waitUntil(lambda: "duplicate" in _status(window))
    assert _status(window) == "Imported 0 segments from segments.csv, skipped 1 duplicate."
    assert len(list_annotations(ws.session.store)) == 1


def test_a_segments_file_that_is_not_utf8_is_refused(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    assert window.workspace is not None
    source = tmp_path / "latin1.csv"
    source.write_bytes("start,end,text,code_path,coder\n0,4,Café,Trope,alice\n".encode("latin-1"))
    texts: list[str] = []

    def close(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        texts.append(box.text())
        box.accept()

    _import(qtbot, window, "segments", source)
    when_modal(close)
    qtbot.waitUntil(lambda: bool(texts))
    assert texts[0].startswith("latin1.csv: not UTF-8 text")
    assert list_annotations(window.workspace.session.store) == []


def test_cancelling_the_file_dialog_imports_nothing(window: MainWindow, qtbot: QtBot) -> None:
    assert window.workspace is not None
    before = list_codes(window.workspace.session.store)
    when_modal(lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    _file_action(window, "Import codebook CSV…").trigger()
    assert list_codes(window.workspace.session.store) == before
    assert not _status(window).startswith("Importing")
