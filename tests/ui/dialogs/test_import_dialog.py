"""The import dialog tells, per file, what was refused and why, and which files it read in a guessed
encoding or repaired, next to the works it imported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.services.documents import document_text, list_documents
from annotator.ui.dialogs.import_dialog import ImportDialog
from annotator.ui.main_window import MainWindow


def test_the_dialog_lists_refusals_and_how_files_were_read(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "a_russian.txt").write_bytes("Гарри улыбнулся. Он не знал, что сказать.".encode("koi8_r"))
    (folder / "b_german.txt").write_bytes("Das gehört mir, sagte sie.".encode().decode("cp1252").encode())
    (folder / "c_broken.txt").write_bytes(bytes(range(1, 32)) * 50)
    dialog = window.open_import_dialog()
    assert isinstance(dialog, ImportDialog)
    dialog.set_paths([folder])
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.toPlainText().splitlines() == [
        "c_broken.txt: looks like binary data, not text",
        "a_russian.txt: read as KOI8-R (no encoding declared)",
        "b_german.txt: repaired double-encoded UTF-8 (mojibake) in 1 place",
    ]
    assert dialog.status.text() == "Imported 2 works, 1 could not be read."
    texts = {d.title: document_text(ws.session.store, d.id) for d in list_documents(ws.session.store)}
    assert texts["a_russian"] == "Гарри улыбнулся. Он не знал, что сказать."
    assert texts["b_german"] == "Das gehört mir, sagte sie."
