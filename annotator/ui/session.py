"""The open project as the GUI sees it: the store, the core undo stack, the coder, and read caches.

Every change reaches the views through one door, :meth:`ProjectSession.publish`, which emits
``changed(change, initiator)``. Undoable actions go through :meth:`run` (a command from
``annotator.services.commands``), actions done in a worker (import, merge) publish the
``Change`` their service returned, and changes made by other processes will arrive the same way
(``Change.external`` / ``Change.unknown``). Codes and coders are cached here as plain
dataclasses so item models and highlights never query the database from ``data()`` or
``paintEvent``; so are the documents (with their annotation counts), which the documents and
segments panels share.

The app builds a session from a :class:`~annotator.services.overview.ProjectOverview` its open
worker read, so a project on a slow or locked server never makes the GUI thread wait: nothing
here queries the database then. The first page of segments, the first work and the coder's own
counts come from it too, each handed out once (``take_first_…``) and only while nothing has
changed since.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.errors import USER_ERRORS, user_message
from annotator.core.types import CodeInfo, CoderInfo, DocumentSummary
from annotator.core.undo import Command, UndoStack
from annotator.services import coders as coder_service
from annotator.services.changes import Change
from annotator.services.codebook import list_codes
from annotator.services.document_stats import AnnotationCounts
from annotator.services.documents import list_documents
from annotator.services.overview import (
    OpenedDocument,
    ProjectOverview,
    SegmentsPage,
    find_coder,
    read_overview,
)
from annotator.store.notify import announce, listens
from annotator.store.project import ProjectStore
from annotator.ui.change_watcher import ChangeWatcher
from annotator.ui.count_deltas import AnnotationKeys, CountDeltas, moved

# Counts (codes, documents) are refreshed this long after the last annotation change, so a
# burst of coding costs one refresh rather than one per keystroke. A refresh after coding actions
# moves the counts by what their changes name (count_deltas), with no query and no reload.
COUNT_REFRESH_MS = 150


class ProjectSession(QObject):
    """One open project. Lives on the GUI thread; workers may use ``store`` directly."""

    # (Change, initiator): after the action was committed. The initiator is the object that asked
    # for the action (a panel), or None; a view may use it to keep its own selection.
    changed = Signal(object, object)
    countsStale = Signal()  # annotation counts changed; panels re-read them (debounced)
    coderChanged = Signal(object)  # CoderInfo
    undoStateChanged = Signal()
    failed = Signal(str)  # a user-readable, one-line reason an action did nothing

    def __init__(
        self,
        store: ProjectStore,
        coder_name: str,
        parent: QObject | None = None,
        overview: ProjectOverview | None = None,
    ) -> None:
        """``overview``: what the open worker read (no query here then); without one, it is read now."""
        super().__init__(parent)
        self.store = store
        self.undo_stack: UndoStack[Change] = UndoStack()
        self.undo_stack.listeners.append(self.undoStateChanged.emit)
        if overview is None:
            overview = read_overview(store, coder_name)
        coders = overview.coders
        coder = find_coder(coders, coder_name)
        if coder is None:  # named only after the open (the first run asks): made here, one write
            coder = coder_service.ensure_coder(store, coder_name)
            coders = coder_service.list_coders(store)
        self.coder: CoderInfo = coder
        self.codes: list[CodeInfo] = []
        self.coders: list[CoderInfo] = []
        self._set_documents(overview.documents)
        self._first_segments: SegmentsPage | None = overview.segments
        self._first_document: OpenedDocument | None = overview.first_document
        self._first_own_counts: AnnotationCounts | None = overview.own_counts
        self._codes_by_id: dict[int, CodeInfo] = {}
        self._coders_by_id: dict[int, CoderInfo] = {}
        # Counts moved by the actions since the last refresh, worked out from their changes (no
        # query); None when one of them cannot be counted so (the refresh re-reads them then).
        self._keys = AnnotationKeys()
        self._pending: CountDeltas | None = CountDeltas()
        # What the last counts refresh moved (None: it re-read everything), for views to update
        # only the rows it names.
        self.last_deltas: CountDeltas | None = None
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_REFRESH_MS)
        self._count_timer.timeout.connect(self._refresh_counts)
        self._set_codes(overview.codes)
        self._set_coders(coders)
        # Other users' and other processes' changes (PostgreSQL) arrive through the same door.
        self.watcher: ChangeWatcher | None = None
        if listens(store):
            self.watcher = ChangeWatcher(store, self)
            self.watcher.heard.connect(lambda payload: self.publish(Change.external(payload)))
            self.watcher.start()

    # --- lookups --------------------------------------------------------------------------
    def code(self, code_id: int) -> CodeInfo | None:
        return self._codes_by_id.get(code_id)

    def coder_by_id(self, coder_id: int) -> CoderInfo | None:
        return self._coders_by_id.get(coder_id)

    # A reload reads counts that already hold the pending moves: the next refresh re-reads all.
    def reload_codes(self) -> None:
        self._set_codes(list_codes(self.store))
        self._pending = None

    def reload_coders(self) -> None:
        self._set_coders(coder_service.list_coders(self.store))
        self._pending = None

    def reload_documents(self) -> None:
        self._set_documents(list_documents(self.store))
        self._pending = None

    def _set_documents(self, documents: list[DocumentSummary]) -> None:
        self.documents = documents
        # Moving counts keeps the order: these stay right until the documents are read again.
        self._document_places = {d.id: place for place, d in enumerate(documents)}

    def _set_codes(self, codes: list[CodeInfo]) -> None:
        self.codes = codes
        self._codes_by_id = {c.id: c for c in codes}

    def _set_coders(self, coders: list[CoderInfo]) -> None:
        self.coders = coders
        self._coders_by_id = {c.id: c for c in coders}

    def take_first_segments(self) -> SegmentsPage | None:
        """The unfiltered first page of segments the open worker read, if nothing changed since; once."""
        page, self._first_segments = self._first_segments, None
        return page

    def take_first_own_counts(self) -> AnnotationCounts | None:
        """The coder's own annotation counts the open worker read (others coded too), if nothing
        changed since; once."""
        counts, self._first_own_counts = self._first_own_counts, None
        return counts

    def take_first_document(self, document_id: int) -> OpenedDocument | None:
        """The work the open worker read, if it is ``document_id`` and nothing changed since; once."""
        opened, self._first_document = self._first_document, None
        if opened is None or opened.view.id != document_id:
            return None
        return opened

    # --- actions --------------------------------------------------------------------------
    def run(self, build: Callable[[], Command[Change]], initiator: Any = None) -> Change | None:
        """Build and push one undoable command; report a refused action instead of raising."""
        try:
            change = self.undo_stack.push(build())
        except USER_ERRORS as exc:
            self.failed.emit(user_message(exc))
            return None
        self.publish(change, initiator)
        return change

    def record(self, command: Command[Change], change: Change, initiator: Any = None) -> None:
        """Remember an action a worker already performed (an import) so it can be undone."""
        self.undo_stack.record(command)
        self.publish(change, initiator)

    def undo(self) -> Change | None:
        return self._step(self.undo_stack.undo)

    def redo(self) -> Change | None:
        return self._step(self.undo_stack.redo)

    def _step(self, step: Callable[[], Change | None]) -> Change | None:
        try:
            change = step()
        except USER_ERRORS as exc:
            self.failed.emit(user_message(exc))
            return None
        if change is not None:
            self.publish(change)
        return change

    def set_coder(self, name: str) -> bool:
        """Switch to the coder called ``name`` (created if new)."""
        try:
            coder = coder_service.ensure_coder(self.store, name)
        except USER_ERRORS as exc:
            self.failed.emit(user_message(exc))
            return False
        if coder.id != self.coder.id:
            created = self.coder_by_id(coder.id) is None
            self.coder = coder
            self._first_document = self._first_own_counts = None  # they were the other coder's
            if created:
                self.publish(Change(coders_changed=True))
            self.coderChanged.emit(coder)
        return True

    def publish(self, change: Change, initiator: Any = None) -> None:
        """The one door: tell every view what changed (own actions, workers', other processes')."""
        if not change:
            return
        # What the open read may be stale now.
        self._first_document = self._first_segments = self._first_own_counts = None
        if change.codebook_changed:
            self.reload_codes()
        if change.coders_changed:
            self.reload_coders()
        if change.touches_documents():
            self.reload_documents()
        deltas = self._keys.deltas_of(change)
        self.changed.emit(change, initiator)
        if change.touches_counts():
            if deltas is None or self._pending is None:
                self._pending = None
            else:
                self._pending.merge(deltas)
            self._count_timer.start()
        if not change.is_external:
            announce(self.store, change.to_payload())  # to other users' apps (PostgreSQL)

    def _refresh_counts(self) -> None:
        deltas, self._pending = self._pending, CountDeltas()
        if deltas is None:
            self.reload_codes()
            self.reload_coders()
            self.reload_documents()
            self._pending = CountDeltas()
        else:  # only listed annotations changed: move their counts, no query
            self._set_codes(moved(self.codes, deltas.by_code()))
            self._set_coders(moved(self.coders, deltas.by_coder()))
            self.documents = moved(self.documents, deltas.by_document(), self._document_places)
        self.last_deltas = deltas
        self.countsStale.emit()

    def counts_pending(self) -> bool:
        """Whether counts changed since the last refresh (which is waiting for the debounce)."""
        return self._count_timer.isActive()

    def flush_counts(self) -> None:
        """Refresh counts now (tests, and before closing) instead of after the debounce."""
        if self._count_timer.isActive():
            self._count_timer.stop()
            self._refresh_counts()

    def close(self) -> None:
        self._count_timer.stop()
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        self.store.close()
