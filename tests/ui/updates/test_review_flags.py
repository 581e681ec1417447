"""The Annotation panel says "needs review after update" on a moved annotation until it is reviewed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.services.version_commands import AcceptReview, UpdateWork
from annotator.services.work_updates import pending_reviews, update_document
from annotator.ui.main_window import MainWindow
from annotator.ui.updates.review_flags import ReviewFlags
from annotator.ui.workspace import Workspace
from tests.ui.updates.edited_work import EDITED_TO, KEPT, coded_and_edited


def _click(qtbot: QtBot, ws: Workspace, start: int, end: int) -> None:
    viewer = ws.pane.viewer
    viewer.scroll_to_span(start, end)
    viewer.viewport().repaint()
    rect = viewer.span_rects(start, end)[0]
    qtbot.mouseClick(viewer.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


def test_a_moved_annotation_is_flagged_until_it_is_reviewed(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = window.workspace
    assert ws is not None
    store = ws.session.store
    work = coded_and_edited(store, tmp_path)
    ws.open_document(work.document_id)
    report = update_document(store, work.path, document_id=work.document_id)
    ws.session.record(UpdateWork.of(store, report), report.change)
    assert ws.pane.viewer.text() == work.new_text
    flag = ws.annotation.findChild(type(ws.annotation.coder), "reviewFlag")
    assert flag is not None and flag.textFormat() == Qt.TextFormat.PlainText
    edited = work.new_text.index(EDITED_TO)
    _click(qtbot, ws, edited + 2, edited + 8)
    assert ws.annotation.annotation is not None
    assert ws.annotation.annotation.id == work.annotation_ids["edited"]
    qtbot.waitUntil(flag.isVisible)
    assert flag.text().startswith("⚠ Needs review after update")
    kept = work.new_text.index(KEPT)
    _click(qtbot, ws, kept + 2, kept + 8)
    assert ws.annotation.annotation is not None and ws.annotation.annotation.id == work.annotation_ids["kept"]
    assert not flag.isVisible()
    # Accepted (here as the review window does it): no longer flagged.
    [item] = [i for i in pending_reviews(store, work.document_id) if i.kind == "changed"]
    flags = ws.pane.findChild(ReviewFlags)
    assert flags is not None
    with qtbot.waitSignal(flags.refreshed):
        ws.session.run(lambda: AcceptReview(store, item.review_id))
    _click(qtbot, ws, edited + 2, edited + 8)
    assert (
        ws.annotation.annotation is not None and ws.annotation.annotation.id == work.annotation_ids["edited"]
    )
    assert not flag.isVisible()
