""" "Needs review after update" on an annotation the update moved and nobody has reviewed yet.

Installed from outside the Annotation panel (like the context menus): a plain label under the
panel's code, coder and span, shown while the selected annotation is waiting in the review
queue. The open work's pending annotation ids are read when the work opens and again (debounced)
after an update or a review decision, so selecting or coding an annotation reads nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QBoxLayout, QLabel

from annotator.core.types import AnnotationInfo, DocumentView
from annotator.services.changes import Change
from annotator.services.review_states import ReviewState, review_states
from annotator.ui.plain import plain_label
from annotator.ui.workers import Worker, run_in_background
from annotator.ui.workspace import Workspace

FLAG_TEXT = "⚠ Needs review after update: the work changed under this annotation (Coding ▸ Review…)."
REFRESH_MS = 120


class ReviewFlags(QObject):
    refreshed = Signal()  # the open work's pending annotations were read again

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace.pane)
        self.session = workspace.session
        self.pane = workspace.pane
        self.pending: dict[int, str] = {}  # annotation id → kind, for the open work
        self._reading: Worker | None = None
        self._reading_id: int | None = None  # the work whose pending annotations are being read
        self.label: QLabel = plain_label(FLAG_TEXT)
        self.label.setObjectName("reviewFlag")
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #b35900; font-weight: bold;")
        self.label.hide()
        layout = workspace.annotation.details.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(1, self.label)  # under code, coder and span
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.pane.documentOpened.connect(lambda _doc: self.refresh())
        self.pane.annotationSelected.connect(self._selected)
        self.session.changed.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        """Read the open work's pending annotations off the GUI thread (opening stays instant)."""
        doc: DocumentView | None = self.pane.document
        if doc is None:
            self._show(None, [])
            return
        store, doc_id = self.session.store, doc.id
        self._reading_id = doc_id
        # Bound methods, not lambdas: Qt drops the connection if the window closes first.
        self._reading = run_in_background(
            lambda _worker: review_states(store, doc_id, pending_only=True), self._read, self._unreadable
        )

    def _read(self, states: list[ReviewState]) -> None:
        self._show(self._reading_id, states)

    def _unreadable(self, _message: str) -> None:
        self._show(self._reading_id, [])  # unreadable now: no flag rather than a stale one

    def _show(self, doc_id: int | None, states: list[ReviewState]) -> None:
        doc = self.pane.document
        if doc_id is not None and (doc is None or doc.id != doc_id):
            return  # another work opened meanwhile: its own read follows
        self.pending = {state.annotation_id: state.kind for state in states if state.kind == "changed"}
        self._selected(self.pane.selected_annotation())
        self.refreshed.emit()

    def _selected(self, annotation: AnnotationInfo | None) -> None:
        self.label.setVisible(annotation is not None and annotation.id in self.pending)

    def _changed(self, change: Change, _initiator: object) -> None:
        doc = self.pane.document
        if doc is None:
            return
        # Only an update (or its undo) and review decisions change what is pending: coding does not.
        if (
            change.everything
            or doc.id in change.document_texts_changed
            or doc.id in change.anchor_reviews_changed
        ):
            self._timer.start()


def install_review_flags(workspace: Workspace) -> ReviewFlags:
    return ReviewFlags(workspace)
