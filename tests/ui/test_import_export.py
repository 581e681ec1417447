"""The import dialog (worker thread, per-file errors, cancel, one undo step) and the export dialog."""

from __future__ import annotations

import csv
from pathlib import Path

from pytestqt.qtbot import QtBot

from annotator.io.csv_safety import CSV_ENCODING
from annotator.io.file_selection import files_to_import
from annotator.services.codebook import list_codes
from annotator.services.documents import list_documents
from annotator.ui.dialogs.export_dialog import ExportDialog
from annotator.ui.dialogs.import_dialog import ImportDialog
from annotator.ui.main_window import MainWindow
from tests.conftest import SEEDS


def _works(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"work_{n:02d}.txt"
        path.write_text(
            f"Work number {n}. Rey and Ben argue about the Force, again and again.\n", encoding="utf-8"
        )
        paths.append(path)
    return paths


def test_import_keeps_good_files_lists_bad_ones_and_is_one_undo_step(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    folder = tmp_path / "downloads"
    good = _works(folder, 2)
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # not a work format: a folder import skips it
    duplicate = SEEDS[0]
    assert files_to_import([folder]).files == sorted([*good, folder / "empty.txt"])
    dialog = window.open_import_dialog()
    assert isinstance(dialog, ImportDialog)
    dialog.set_paths([folder, duplicate])
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.start()
    report = dialog.report
    assert report is not None
    assert sorted(d.title for d in report.imported) == ["work_00", "work_01"]
    assert [Path(p).name for p, _ in report.failed] == ["empty.txt"]
    assert dialog.errors.toPlainText() == report.failed[0][1]
    assert dialog.errors.toPlainText().startswith("empty.txt: ")
    assert [Path(p) for p, _ in report.duplicates] == [duplicate]
    assert dialog.status.text() == "Imported 2 works, skipped 1 already in the project, 1 could not be read."
    titles = {d.title for d in list_documents(ws.session.store)}
    assert {"work_00", "work_01"} <= titles and len(titles) == 7
    assert ws.documents.model.rowCount() == 7
    # Undo takes the whole import back; redo brings the same documents back.
    assert ws.session.undo_stack.undo_text == "Import 2 documents"
    ws.session.undo()
    assert len(list_documents(ws.session.store)) == 5 and ws.documents.model.rowCount() == 5
    ws.session.redo()
    assert {d.id for d in report.imported} <= {d.id for d in list_documents(ws.session.store)}


def test_cancelled_import_keeps_the_works_already_imported(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    dialog = window.open_import_dialog()
    assert dialog is not None
    dialog.set_paths(_works(tmp_path / "many", 40))
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        dialog.start()
        dialog.cancel()
    report = dialog.report
    assert report is not None and len(report.imported) < 40
    assert dialog.status.text().endswith("(cancelled).")
    stored = {d.id for d in list_documents(ws.session.store)}
    assert {d.id for d in report.imported} <= stored and len(stored) == 5 + len(report.imported)


def test_export_codebook_and_refuse_a_missing_folder(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    dialog = window.open_export_dialog()
    assert isinstance(dialog, ExportDialog)
    dialog.codebook_choice.setChecked(True)
    dialog.path.setText(str(tmp_path / "missing" / "codebook.csv"))
    dialog.accept()
    assert dialog.worker is None and "does not exist" in dialog.status.text()
    assert not (tmp_path / "missing").exists()
    target = tmp_path / "codebook.csv"
    target.write_text("old contents", encoding="utf-8")
    dialog.path.setText(str(target))
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=10_000)
    with target.open(encoding=CSV_ENCODING, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["path"] for r in rows] == [c.path for c in list_codes(ws.session.store)]
    assert dialog.written == len(rows)
