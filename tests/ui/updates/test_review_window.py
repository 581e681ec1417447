"""The review queue: old and new text side by side, Accept / Re-select / Drop by key, each decision
undone by Ctrl+Z in the window, the progress and the list following every change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from annotator.services.annotations import list_annotations
from annotator.services.version_commands import UpdateWork
from annotator.services.work_updates import pending_reviews, update_document
from annotator.ui.main_window import MainWindow
from annotator.ui.updates.actions import review_updates
from annotator.ui.updates.review_panes import SpanPane
from annotator.ui.updates.review_window import ReviewWindow
from tests.ui.updates.edited_work import EDITED, EDITED_TO, GONE, EditedWork, coded_and_edited


def _updated(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> tuple[EditedWork, ReviewWindow]:
    ws = window.workspace
    assert ws is not None
    store = ws.session.store
    work = coded_and_edited(store, tmp_path)
    report = update_document(store, work.path, document_id=work.document_id)
    ws.session.record(UpdateWork.of(store, report), report.change)
    review = review_updates(window, work.document_id)
    assert review is not None
    review.activateWindow()
    qtbot.waitUntil(review.isActiveWindow)  # its keys work in it, as in any window
    return work, review


def _drag(pane: SpanPane, start: int, end: int) -> None:
    """Drag the mouse over the pane's text from inside character ``start`` to inside ``end``."""
    viewer = pane.viewer
    viewer.scroll_to_span(start, end)
    viewer.viewport().repaint()
    press = viewer.span_rects(start, start + 1)[0].center().toPoint()
    release = viewer.span_rects(end, end + 1)[0].center().toPoint()
    none = Qt.KeyboardModifier.NoModifier
    QTest.mousePress(viewer.viewport(), Qt.MouseButton.LeftButton, none, press)
    QTest.mouseMove(viewer.viewport(), (press + release) / 2)
    QTest.mouseMove(viewer.viewport(), release)
    QTest.mouseRelease(viewer.viewport(), Qt.MouseButton.LeftButton, none, release)


def test_each_decision_is_a_key_and_ctrl_z_takes_it_back(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    work, review = _updated(window, qtbot, tmp_path)
    store = review.session.store
    assert review.progress.text() == "0 of 2 reviewed"
    # The first pending review: the edited sentence, its old quote beside the span now chosen.
    item = review.current()
    assert item is not None and item.kind == "changed"
    assert review.old.viewer.text() == work.old_text
    assert review.new.viewer.text() == work.new_text
    [old] = [review.old.viewer.highlight(-1)]
    assert old is not None and work.old_text[old.start : old.end] == EDITED
    new = review.new.viewer.highlight(-1)
    assert new is not None and EDITED_TO.startswith(work.new_text[new.start : new.end][:20])
    review.grab().save(str(tmp_path / "review-window.png"))
    qtbot.keyClick(review, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: review.progress.text() == "1 of 2 reviewed")
    assert review.model.item_at(0).status == "accepted"  # type: ignore[union-attr]
    # The orphaned one follows: its text is gone, so Accept is off; re-select a span instead.
    orphan = review.current()
    assert orphan is not None and orphan.kind == "orphaned"
    assert work.old_text[orphan.old_start : orphan.old_end] == GONE.strip()
    assert not review.accept_button.isEnabled()
    review.grab().save(str(tmp_path / "review-orphaned.png"))
    qtbot.keyClick(review, Qt.Key.Key_R)
    assert review.confirm_button.isVisible() and not review.confirm_button.isEnabled()
    phrase = "You haven't been interrogated in a while."
    start = work.new_text.index(phrase)
    _drag(review.new, start + 1, start + len(phrase) - 2)
    assert review.new.viewer.selected_text() == phrase[:-1]  # whole words, the full stop not a word
    qtbot.keyClick(review, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: review.progress.text() == "2 of 2 reviewed")
    restored = [a for a in list_annotations(store) if a.id == orphan.annotation_id]
    assert [(a.start, a.end) for a in restored] == [(start, start + len(phrase) - 1)]
    assert pending_reviews(store, work.document_id) == []
    # Ctrl+Z in the review window takes the re-selection back: pending again, the row too.
    qtbot.keyClick(review, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: review.progress.text() == "1 of 2 reviewed")
    assert [p.annotation_id for p in pending_reviews(store, work.document_id)] == [orphan.annotation_id]
    assert review.model.item_at(1).status == "pending"  # type: ignore[union-attr]
    # And Drop (D) decides it the other way.
    review.select_row(1)
    qtbot.keyClick(review, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: review.progress.text() == "2 of 2 reviewed")
    assert review.model.item_at(1).status == "dropped"  # type: ignore[union-attr]
    assert orphan.annotation_id not in {a.id for a in list_annotations(store)}


def test_the_report_tab_counts_and_exports_every_moved_annotation(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    _work, review = _updated(window, qtbot, tmp_path)
    review.tabs.setCurrentWidget(review.report)
    rows = {cells[0]: cells[1:] for cells in review.report.table.cell_texts()}
    assert rows["All annotations"] == ["1", "1", "1", "3"]
    assert rows["Coder <b>bob</b>"] == ["0", "0", "1", "1"]
    assert (
        review.report.summary.text()
        == "3 annotations re-anchored by updates of 1 work; 2 waiting for review."
    )
    target = tmp_path / "moved.csv"
    assert review.report.export_csv(str(target))
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4  # a header and the three annotations
    assert any(EDITED in line for line in lines)
    qtbot.keyClick(review, Qt.Key.Key_A)  # the counts follow a decision
    qtbot.waitUntil(lambda: review.report.summary.text().endswith("1 waiting for review."))
