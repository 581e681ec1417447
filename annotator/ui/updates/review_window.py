"""The review queue: changed and orphaned annotations of updated works, decided one by one.

The list on the left holds every review of the queue with its status; the current one is shown
as the old version's text (the old quote highlighted) beside the current text (the proposed span
highlighted). Accept (A) keeps the proposed span, Re-select (R) takes a span selected in the
current text (confirmed with Enter), Drop (D) removes the annotation. Each decision is one
undoable command run through the session (Ctrl+Z here or in the main window takes it back); the
rows a decision touched are re-read when its ``Change`` arrives, whoever made it, and the next
pending review is shown. The Report tab counts the moved annotations and exports them as CSV.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.undo import Command
from annotator.services.anchor_reviews import ReviewItem
from annotator.services.changes import Change
from annotator.services.review_states import review_states
from annotator.services.version_commands import AcceptReview, DropReview, ReselectReview
from annotator.ui.models.segments_model import code_label
from annotator.ui.plain import plain_label, set_plain, window_title
from annotator.ui.session import ProjectSession
from annotator.ui.updates.review_model import PENDING, ReviewQueueModel
from annotator.ui.updates.review_panes import NEW_COLOUR, OLD_COLOUR, SpanPane
from annotator.ui.updates.review_sources import ReviewTexts, latest_reviews
from annotator.ui.updates.update_report import ReportTab


class ReviewWindow(QWidget):
    """The queue of one work (``document_id``) or of every updated work (``None``)."""

    def __init__(
        self, session: ProjectSession, document_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.document_id = document_id
        self.texts = ReviewTexts(session.store)
        self.reselecting = False
        self.model = ReviewQueueModel(self._label_of)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)  # 1,000 rows: no per-row size queries
        # A label, not a QProgressBar: its setValue repaints the whole window at once (20 ms).
        self.progress = plain_label()
        font = self.progress.font()
        font.setBold(True)
        self.progress.setFont(font)
        self.heading = plain_label()
        self.heading.setWordWrap(True)
        self.old = SpanPane("Before the update")
        self.new = SpanPane("Now")
        self.hint = plain_label()
        self.hint.setWordWrap(True)
        self.accept_button = QPushButton("&Accept")
        self.reselect_button = QPushButton("&Re-select span")
        self.confirm_button = QPushButton("&Use selected span")
        self.drop_button = QPushButton("&Drop")
        self.report = ReportTab(session, document_id)
        self._build_layout()
        self._build_actions()
        self.list.selectionModel().currentRowChanged.connect(lambda current, _old: self._show(current.row()))
        self.new.viewer.selectionSpanChanged.connect(lambda *_: self._update_buttons())
        session.changed.connect(self._changed)
        self.resize(1100, 680)
        self.reload()

    # --- building -------------------------------------------------------------------------
    def _build_layout(self) -> None:
        texts = QSplitter(Qt.Orientation.Horizontal)
        texts.addWidget(self.old)
        texts.addWidget(self.new)
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.reselect_button, self.confirm_button, self.drop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        detail = QWidget()
        right = QVBoxLayout(detail)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.heading)
        right.addWidget(texts, 1)
        right.addWidget(self.hint)
        right.addLayout(buttons)
        queue = QSplitter(Qt.Orientation.Horizontal)
        queue.addWidget(self.list)
        queue.addWidget(detail)
        queue.setSizes([360, 740])
        self.tabs = QTabWidget()
        self.tabs.addTab(queue, "Review")
        self.tabs.addTab(self.report, "Report")
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.tabs, 1)
        self.accept_button.clicked.connect(self.accept_current)
        self.reselect_button.clicked.connect(self.start_reselect)
        self.confirm_button.clicked.connect(self.confirm_reselect)
        self.drop_button.clicked.connect(self.drop_current)

    def _build_actions(self) -> None:
        def add(keys: list[str], slot: Callable[[], object]) -> QAction:
            action = QAction(self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False: slot())
            self.addAction(action)
            return action

        add(["A"], self.accept_current)
        add(["R"], self.start_reselect)
        add(["Return", "Enter"], self.confirm_reselect)
        add(["D", "Delete"], self.drop_current)
        add(["Escape"], self.cancel_reselect)
        add(["N"], lambda: self.step(1))
        add(["P"], lambda: self.step(-1))
        add(["Ctrl+Z"], self.session.undo)
        add(["Ctrl+Shift+Z", "Ctrl+Y"], self.session.redo)

    # --- filling --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the whole queue again (on opening, and when an update or its undo replaced it)."""
        self.texts.forget()
        items = latest_reviews(self.session.store, self.document_id)
        session = self.session
        if any(session.coder_by_id(i.coder_id) is None or session.code(i.code_id) is None for i in items):
            session.reload_codes()  # made by another process since the project opened: name them
            session.reload_coders()
        self.model.set_items(items)
        self.report.refresh()
        self._set_progress()
        first = self.model.next_pending(-1)
        self.select_row(first if first >= 0 else 0)
        if not items:
            self._show(-1)

    def _label_of(self, item: ReviewItem) -> str:
        code = self.session.code(item.code_id)
        coder = self.session.coder_by_id(item.coder_id)
        return f"{code_label(code.path) if code else '?'} · {coder.name if coder else '?'}"

    def _set_progress(self) -> None:
        total, reviewed = self.model.rowCount(), self.model.reviewed()
        self.progress.setText(f"{reviewed:,} of {total:,} reviewed")
        self.report.set_waiting(total - reviewed)
        self.setWindowTitle(window_title(f"Review updated annotations — {reviewed:,} of {total:,} reviewed"))

    # --- showing --------------------------------------------------------------------------
    def current(self) -> ReviewItem | None:
        return self.model.item_at(self.list.currentIndex().row())

    def select_row(self, row: int) -> None:
        index = self.model.index(row)
        if index.isValid():
            self.list.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.list.scrollTo(index)

    def step(self, delta: int) -> None:
        self.select_row(min(max(self.list.currentIndex().row() + delta, 0), self.model.rowCount() - 1))

    def _show(self, row: int) -> None:
        self.reselecting = False
        item = self.model.item_at(row)
        if item is None:
            set_plain(self.heading, "Nothing to review.")
            self.old.clear()
            self.new.clear()
            self._update_buttons()
            return
        set_plain(self.heading, self.texts.heading(item, self._label_of(item)))
        old = self.texts.old_text(item)
        self.old.set_caption(old.caption)
        self.old.set_text(old.key, old.text)
        self.old.show_span(old.start, old.end, OLD_COLOUR)
        new = self.texts.new_text(item)
        self.new.set_caption(new.caption)
        self.new.set_text(new.key, new.text, new.zones)
        self.new.show_span(new.start, new.end, NEW_COLOUR, self.texts.note(item))
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.current()
        pending = item is not None and item.status == PENDING
        self.accept_button.setEnabled(pending and item is not None and item.new_start is not None)
        self.reselect_button.setEnabled(pending and not self.reselecting)
        self.drop_button.setEnabled(pending)
        self.confirm_button.setVisible(self.reselecting)
        self.confirm_button.setEnabled(self.reselecting and self._selected_span() is not None)
        if self.reselecting:
            hint = "Select the annotation's text in the current version, then press Enter (Esc cancels)."
        elif pending:
            hint = "A accepts, R re-selects the span, D drops; N and P step; Ctrl+Z undoes."
        elif item is not None:
            hint = f"Reviewed ({item.status}). Ctrl+Z takes the decision back."
        else:
            hint = ""
        set_plain(self.hint, hint)

    def _selected_span(self) -> tuple[int, int] | None:
        span = self.new.viewer.selected_span()
        return span if span is not None and span[1] > span[0] else None

    # --- deciding -------------------------------------------------------------------------
    def _decide(self, build: Callable[[ReviewItem], Command[Change]]) -> Change | None:
        item = self.current()
        if item is None or item.status != PENDING:
            return None
        return self.session.run(lambda: build(item), initiator=self)

    def accept_current(self) -> Change | None:
        item = self.current()
        if item is None or item.new_start is None or self.reselecting:
            return None
        return self._decide(lambda it: AcceptReview(self.session.store, it.review_id))

    def drop_current(self) -> Change | None:
        if self.reselecting:
            return None
        return self._decide(lambda it: DropReview(self.session.store, it.review_id))

    def start_reselect(self) -> None:
        item = self.current()
        if item is None or item.status != PENDING:
            return
        self.reselecting = True
        self.new.viewer.setFocus()
        self._update_buttons()

    def cancel_reselect(self) -> None:
        if self.reselecting:
            self.reselecting = False
            self._update_buttons()

    def confirm_reselect(self) -> Change | None:
        span = self._selected_span()
        if not self.reselecting or span is None:
            return None
        start, end = span
        change = self._decide(lambda it: ReselectReview(self.session.store, it.review_id, start, end))
        if change is not None:
            self.reselecting = False
        return change

    # --- news -----------------------------------------------------------------------------
    def _changed(self, change: Change, initiator: object) -> None:
        shown = self.model.document_ids()
        replaced = set(change.document_texts_changed)
        if change.everything or replaced & shown or (self.document_id is None and replaced):
            self.reload()  # an update or its undo: another queue
            return
        decided = set(change.anchor_reviews_changed) & shown
        if not decided:
            return
        row = self.list.currentIndex().row()
        for document_id in decided:
            states = review_states(self.session.store, document_id)
            self.model.apply_states(states, self.texts.current_text(document_id))
        self._set_progress()
        target = row
        if initiator is self:  # this window decided: on to the next pending review
            after = self.model.next_pending(row)
            target = after if after >= 0 else row
        if target != row:
            self.select_row(target)  # which shows it
        else:
            self._show(row)

    def closeEvent(self, event: QCloseEvent) -> None:
        with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
            self.session.changed.disconnect(self._changed)
        super().closeEvent(event)
