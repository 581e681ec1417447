"""The researcher's main path through the real window: open a work, code a span with a number key,
undo and redo it, write a memo, filter the segments, export them and read the CSV back."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from annotator.io.csv_safety import CSV_ENCODING
from annotator.services.annotations import get_annotation, list_annotations
from annotator.services.errors import NotFoundError
from annotator.ui.dialogs.export_dialog import ExportDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.models.codebook_model import shortcut_codes


def _select(window: MainWindow, start: int, end: int) -> None:
    """Select [start, end) the way a mouse drag does: through the viewer's QTextCursor."""
    viewer = window.workspace.pane.viewer  # type: ignore[union-attr]
    cursor = QTextCursor(viewer.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    viewer.setTextCursor(cursor)
    viewer.setFocus()


def test_code_undo_redo_memo_filter_export(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    ws = window.workspace
    assert ws is not None
    store = ws.session.store
    # Open the third seed work from the Documents panel.
    third = ws.documents.model.document_at(2)
    assert third is not None
    ws.documents.table.selectRow(2)
    assert ws.pane.document is not None and ws.pane.document.id == third.id
    text = ws.pane.document.text
    start = text.index("You")
    end = start + 40

    # Select a span (ASCII text, so Qt offsets equal code points) and press "2".
    _select(window, start, end)
    assert ws.pane.viewer.selected_span() == (start, end)
    second_code = shortcut_codes(ws.session.codes)[1]
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_2)
    stored = list_annotations(store, third.id)
    assert [(a.start, a.end, a.code_id, a.quote) for a in stored] == [
        (start, end, second_code.id, text[start:end])
    ]
    annotation_id = stored[0].id
    highlight = ws.pane.viewer.highlight(annotation_id)
    assert highlight is not None and highlight.colour == second_code.colour and not highlight.dimmed
    qtbot.waitUntil(lambda: [r.annotation_id for r in ws.segments.rows()] == [annotation_id])
    assert ws.segments.rows()[0].text == text[start:end]

    # Undo: gone from the database and the viewer. Redo: back under the same id.
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert list_annotations(store, third.id) == []
    assert ws.pane.viewer.highlight(annotation_id) is None
    qtbot.waitUntil(lambda: ws.segments.rows() == [])
    qtbot.keyClick(
        ws.pane.viewer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert [a.id for a in list_annotations(store, third.id)] == [annotation_id]
    assert ws.pane.viewer.highlight(annotation_id) is not None

    # A memo, saved with Ctrl+Enter from the annotation panel.
    ws.pane.select_annotation(annotation_id)
    assert ws.annotation.annotation is not None and ws.annotation.annotation.id == annotation_id
    ws.annotation.memo.setFocus()
    ws.annotation.memo.setPlainText("Hux's captivity framed as a game")
    qtbot.keyClick(ws.annotation.memo, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert get_annotation(store, annotation_id).memo == "Hux's captivity framed as a game"
    assert ws.pane.viewer.highlight(annotation_id).memo == "Hux's captivity framed as a game"  # type: ignore[union-attr]

    # A second annotation with another code (key 3), then filter the segments panel by code 2.
    _select(window, end + 10, end + 30)
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: len(ws.segments.rows()) == 2)
    ws.segments.set_filter(code_path=second_code.path)
    qtbot.waitUntil(lambda: [r.annotation_id for r in ws.segments.rows()] == [annotation_id])

    # Export through the dialog's own accept logic, with the panel's filter preset.
    dialog = window.open_export_dialog()
    assert isinstance(dialog, ExportDialog)
    target = tmp_path / "exports" / "trope.csv"
    target.parent.mkdir()
    dialog.path.setText(str(target))
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=10_000)
    assert dialog.written == 1
    with target.open(encoding=CSV_ENCODING, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    row = rows[0]
    assert (row["annotation_id"], row["start"], row["end"]) == (str(annotation_id), str(start), str(end))
    assert row["text"] == text[start:end]
    assert row["code_path"] == second_code.path
    assert row["coder"] == "alice"
    assert row["memo"] == "Hux's captivity framed as a game"
    assert not list(target.parent.glob(".*.tmp"))  # the atomic write left no temporary file


def test_delete_key_removes_the_selected_annotation_and_undo_restores_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    _select(window, 5, 25)
    assert ws.coding.apply_shortcut(1)
    [annotation] = list_annotations(ws.session.store, ws.pane.document.id)
    ws.pane.select_annotation(annotation.id)
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_Delete)
    try:
        get_annotation(ws.session.store, annotation.id)
        raise AssertionError("annotation still stored")
    except NotFoundError:
        pass
    assert ws.pane.viewer.highlight(annotation.id) is None
    assert ws.annotation.annotation is None
    ws.session.undo()
    assert get_annotation(ws.session.store, annotation.id).quote == annotation.quote
    assert ws.pane.viewer.highlight(annotation.id) is not None
