"""The export dialog: it suggests a file named after the project and the kind of export, in the last
export's folder (else the project's), writes the chosen segments or the codebook to the typed path
when Enter is pressed, stays open to say what it wrote (Enter again closes it), and says why nothing
was written instead of half-writing a file."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QRadioButton
from pytestqt.qtbot import QtBot

from annotator.io.csv_safety import CSV_ENCODING
from annotator.store.project import ProjectStore
from annotator.ui.dialogs.export_dialog import ExportDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings


def _dialog(window: MainWindow, qtbot: QtBot) -> ExportDialog:
    dialog = window.open_export_dialog()
    assert isinstance(dialog, ExportDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _type_path(qtbot: QtBot, dialog: ExportDialog, path: Path | str) -> None:
    dialog.path.setFocus()
    dialog.path.selectAll()
    qtbot.keyClicks(dialog.path, str(path))


def _click(qtbot: QtBot, button: QRadioButton) -> None:
    # On the round indicator: the button is as wide as the dialog, its label is not.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding=CSV_ENCODING, newline="") as handle:
        return list(csv.DictReader(handle))


def _project_name(store: ProjectStore) -> str:
    """The project's name as a researcher knows it: the file's stem, or the server database's name."""
    database = store.url.database or ""
    return Path(database).stem if store.is_sqlite else database


def test_choosing_the_codebook_suggests_its_file_name_and_greys_out_the_segment_filters(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, seeded_project: ProjectStore
) -> None:
    dialog = _dialog(window, qtbot)
    name = _project_name(seeded_project)
    # A project file's folder; a server project has none, so the home folder.
    folder = Path(seeded_project.location).parent if seeded_project.is_sqlite else Path.home()
    assert dialog.path.text() == str(folder / f"{name}-segments.csv") and dialog.filters.isEnabled()
    _click(qtbot, dialog.codebook_choice)
    assert dialog.codebook_choice.isChecked() and not dialog.filters.isEnabled()
    assert dialog.path.text() == str(folder / f"{name}-codebook.csv")
    # A name the researcher typed is kept when the kind changes.
    _type_path(qtbot, dialog, tmp_path / "for-the-paper.csv")
    _click(qtbot, dialog.segments_choice)
    assert dialog.segments_choice.isChecked() and dialog.filters.isEnabled()
    assert dialog.path.text() == str(tmp_path / "for-the-paper.csv")


def test_enter_writes_only_the_chosen_works_segments_says_so_and_the_folder_is_remembered(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, app_settings: AppSettings, seeded_project: ProjectStore
) -> None:
    ws = window.workspace
    assert ws is not None
    first = ws.documents.model.document_at(0)
    fourth = ws.documents.model.document_at(3)
    assert first is not None and fourth is not None
    ws.pane.viewer.select_span(0, 20)
    assert ws.coding.apply_shortcut(2)
    ws.documents.select_document(fourth.id)
    for start in (10, 50):
        ws.pane.viewer.select_span(start, start + 15)
        assert ws.coding.apply_shortcut(3)

    dialog = _dialog(window, qtbot)
    dialog.document.setFocus()
    for _ in range(dialog.document.findData(fourth.id)):  # "All documents", then the works in order
        qtbot.keyClick(dialog.document, Qt.Key.Key_Down)
    assert dialog.document.currentData() == fourth.id
    exports = tmp_path / "exports"
    exports.mkdir()
    target = exports / "fourth.csv"
    _type_path(qtbot, dialog, target)
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # Save is the dialog's default button
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=10_000)
    rows = _rows(target)
    assert dialog.written == len(rows) == 2
    assert {r["document_id"] for r in rows} == {str(fourth.id)}
    assert [r["start"] for r in rows] == ["10", "50"]
    # The dialog stays to say what it wrote, and so does the status bar; Enter now closes it.
    said = f"Wrote 2 coded segments to {target}."
    assert dialog.isVisible() and dialog.status.text() == said
    assert window.statusBar().currentMessage() == said
    assert dialog.close_button.text() == "Close"
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert app_settings.last_export_folder() == str(exports)
    assert app_settings.last_folder() == ""  # the import folder is the import dialog's
    again = _dialog(window, qtbot)
    assert again.path.text() == str(exports / f"{_project_name(seeded_project)}-segments.csv")
    # The codebook, one row per code, is said the same way.
    _click(qtbot, again.codebook_choice)
    again.path.setFocus()
    qtbot.keyClick(again.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: again.written is not None, timeout=10_000)
    codes = len(ws.session.codes)
    codebook = exports / f"{_project_name(seeded_project)}-codebook.csv"
    assert again.status.text() == f"Wrote {codes} codes to {codebook}." and len(_rows(codebook)) == codes


def test_an_empty_path_or_a_failed_write_says_why_and_keeps_the_dialog_open(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = _dialog(window, qtbot)
    dialog.path.setFocus()
    dialog.path.clear()
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    assert dialog.status.text() == "Choose where to save the file." and dialog.worker is None
    exports = tmp_path / "exports"
    taken = exports / "taken.csv"
    taken.mkdir(parents=True)  # a folder where the file should go: the final rename fails
    _type_path(qtbot, dialog, taken)
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=10_000)
    assert dialog.status.text().startswith("Nothing was written: ")
    assert "\n" not in dialog.status.text()
    assert dialog.isVisible() and dialog.written is None
    assert taken.is_dir() and list(exports.iterdir()) == [taken]  # no temporary file left behind
