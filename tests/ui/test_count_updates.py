"""After a coding action the counts on screen move in place: one row repainted, no model reset.

Real key presses in the real window; every figure is checked against the database's own count.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from pytestqt.qtbot import QtBot

from annotator.services.document_stats import annotation_counts
from annotator.ui.main_window import MainWindow
from annotator.ui.models.codebook_model import COL_COUNT, shortcut_codes
from annotator.ui.models.documents_model import COL_CODINGS
from annotator.ui.workspace import Workspace


def _workspace(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


@contextmanager
def _watching(*models: QAbstractItemModel) -> Iterator[tuple[list[str], list[int]]]:
    """Record resets (names of the models reset) and the rows dataChanged named, while inside."""
    resets: list[str] = []
    rows: list[int] = []

    def changed(top: QModelIndex, bottom: QModelIndex, _roles: object = None) -> None:
        rows.extend(range(top.row(), bottom.row() + 1))

    connections = []
    for model in models:
        name = type(model).__name__
        reset = model.modelReset.connect(lambda name=name: resets.append(name))
        connections.append((model.modelReset, reset))
        if model is models[0]:
            connections.append((model.dataChanged, model.dataChanged.connect(changed)))
    try:
        yield resets, rows
    finally:
        for signal, connection in connections:
            signal.disconnect(connection)


def _code_with_key(window: MainWindow, qtbot: QtBot, start: int, end: int, key: Qt.Key) -> None:
    viewer = _workspace(window).pane.viewer
    viewer.setFocus()
    viewer.select_span(start, end)
    qtbot.keyClick(viewer, key)


def _switch_coder(window: MainWindow, qtbot: QtBot, name: str) -> None:
    line = window.coder_switcher.combo.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, name)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert _workspace(window).session.coder.name == name


def _shown(window: MainWindow, doc_id: int, code_id: int) -> tuple[str, str]:
    ws = _workspace(window)
    documents, codebook = ws.documents.model, ws.codebook.model
    return (
        documents.index(documents.row_of(doc_id), COL_CODINGS).data(),
        codebook.index_of(code_id, COL_COUNT).data(),
    )


def _expected(window: MainWindow, doc_id: int, code_id: int, coder_id: int | None) -> tuple[str, str]:
    counts = annotation_counts(_workspace(window).session.store, coder_id)
    doc, code = counts.by_document.get(doc_id, 0), counts.by_code.get(code_id, 0)
    return (f"{doc:,}" if doc else "", f"{code:,}" if code else "")


def test_a_key_press_and_its_undo_move_one_count_in_each_panel_without_a_reset(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = _workspace(window)
    assert ws.pane.document is not None
    doc_id = ws.pane.document.id
    code_id = shortcut_codes(ws.session.codes)[0].id
    before = _shown(window, doc_id, code_id)
    documents, proxy, codebook = ws.documents.model, ws.documents.proxy, ws.codebook.model
    with _watching(documents, proxy, codebook) as (resets, rows):
        _code_with_key(window, qtbot, 3, 17, Qt.Key.Key_1)
        ws.session.flush_counts()
        after_coding = _shown(window, doc_id, code_id)
        assert after_coding == _expected(window, doc_id, code_id, None)
        assert after_coding != before
        assert set(rows) == {documents.row_of(doc_id)}  # one work's row repainted, not the list
        qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        ws.session.flush_counts()
        assert _shown(window, doc_id, code_id) == before == _expected(window, doc_id, code_id, None)
    assert resets == []


def test_own_counts_follow_the_coders_actions_while_others_are_hidden(
    window: MainWindow, qtbot: QtBot
) -> None:
    ws = _workspace(window)
    assert ws.pane.document is not None and not ws.pane.show_others
    doc_id = ws.pane.document.id
    code_id = shortcut_codes(ws.session.codes)[0].id
    _switch_coder(window, qtbot, "alice")
    _code_with_key(window, qtbot, 0, 12, Qt.Key.Key_1)
    _switch_coder(window, qtbot, "bob")
    ws.session.flush_counts()
    bob = ws.session.coder.id
    assert _shown(window, doc_id, code_id) == _expected(window, doc_id, code_id, bob)
    with _watching(ws.documents.model, ws.documents.proxy, ws.codebook.model) as (resets, _rows):
        for start in (20, 40, 60):  # a burst: one refresh after the debounce counts them all
            _code_with_key(window, qtbot, start, start + 9, Qt.Key.Key_1)
        ws.session.flush_counts()
        assert _shown(window, doc_id, code_id) == _expected(window, doc_id, code_id, bob)
        qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        ws.session.flush_counts()
        assert _shown(window, doc_id, code_id) == _expected(window, doc_id, code_id, bob)
    assert resets == []
    # Showing everyone's counts again adds alice's, read afresh.
    qtbot.keyClick(
        window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert _shown(window, doc_id, code_id) == _expected(window, doc_id, code_id, None)
