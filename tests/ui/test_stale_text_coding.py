"""Coding in the window a work that another process updated meanwhile: refused with a message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core.types import ImportedDocument
from annotator.services import work_updates as wu
from annotator.services.annotations import list_annotations
from annotator.store.project import open_project
from annotator.ui.main_window import MainWindow


def test_a_span_selected_on_a_work_updated_elsewhere_is_not_coded_and_the_user_is_told(
    window: MainWindow, qtbot: QtBot, project_target: str
) -> None:
    ws = window.workspace
    assert ws is not None and ws.pane.document is not None
    shown = ws.pane.document
    other = open_project(project_target)  # another coder's app, updating the work
    try:
        foreword = ImportedDocument(shown.title, "text", "A new foreword by the author.\n\n" + shown.text)
        wu.apply_update(other, foreword, document_id=shown.id)
    finally:
        other.close()
    ws.pane.viewer.select_span(50, 90)  # on the text still shown: the old version
    ws.pane.viewer.setFocus()
    qtbot.keyClick(ws.pane.viewer, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = ws.coding.popup
    assert popup is not None and popup.isVisible()
    qtbot.keyClicks(popup.line, "tro slow")
    qtbot.keyClick(popup.line, Qt.Key.Key_Return)
    assert "was updated since it was shown" in window.last_error
    assert "select the span again" in window.last_error
    assert list_annotations(ws.session.store, shown.id) == []
    # The window now shows the new version, to select on again.
    assert ws.pane.document is not None
    assert ws.pane.viewer.toPlainText().startswith("A new foreword by the author.")
