"""Annotation counts that follow the coder filter: the Codings and Uses columns count what is shown.

With other coders' annotations hidden (View ▸ Show other coders' annotations off) a researcher
reads "12 codings" as twelve of their own; counting a colleague's hidden work there would be a
figure nobody can see in the text. So the panels count the current coder's annotations then,
and everyone's when everyone's are shown; the column tooltips say which (``scope_tip``).

The session's lists already carry everyone's counts; only a project where other coders have
annotations and they are hidden needs a query, one per refresh of the counts.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.core.types import CodeInfo, DocumentSummary
from annotator.services.document_stats import annotation_counts
from annotator.ui.models.codebook_model import CodebookModel
from annotator.ui.session import ProjectSession


class VisibleCounts(QObject):
    """Per-work and per-code annotation counts of the coders whose annotations are shown."""

    recounted = Signal()  # not "changed": change news comes only from the session

    def __init__(self, session: ProjectSession, show_others: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.show_others = show_others
        self._by_document: dict[int, int] | None = None  # None: the session's (everyone's) counts
        self._by_code: dict[int, int] | None = None
        # Read while the session had counts still to move: they hold those moves already.
        self._read_ahead = False
        # The works whose figures the last recount may have moved (None: any work's).
        self.moved_documents: frozenset[int] | None = None
        # Connected before the panels connect theirs, so they read fresh figures.
        session.countsStale.connect(self._counts_moved)
        session.coderChanged.connect(lambda _coder: self.refresh())
        self.refresh()

    @property
    def all_coders(self) -> bool:
        return self.show_others

    def set_show_others(self, shown: bool) -> None:
        if shown != self.show_others:
            self.show_others = shown
            self.refresh()

    def _everyones(self) -> bool:
        me = self.session.coder.id
        return self.show_others or not any(c.count for c in self.session.coders if c.id != me)

    def _counts_moved(self) -> None:
        """After the session's counts refresh: move the coder's own counts as it did, if it can."""
        deltas = self.session.last_deltas
        if deltas is None or self._read_ahead or self._everyones() != (self._by_document is None):
            self.refresh()
            return
        if self._by_document is not None and self._by_code is not None:
            me = self.session.coder.id
            for counts, gains in (
                (self._by_document, deltas.by_document(me)),
                (self._by_code, deltas.by_code(me)),
            ):
                for key, step in gains.items():
                    counts[key] = counts.get(key, 0) + step
        self.moved_documents = frozenset(deltas.by_document())
        self.recounted.emit()
        self.moved_documents = None

    def refresh(self) -> None:
        if self._everyones():
            self._by_document = self._by_code = None
        else:
            # The open read them in the background (a slow server must not freeze the window).
            me = self.session.coder.id
            counts = self.session.take_first_own_counts() or annotation_counts(self.session.store, me)
            self._by_document, self._by_code = counts.by_document, counts.by_code
        self._read_ahead = self.session.counts_pending() and self._by_document is not None
        self.recounted.emit()

    def of_document(self, doc: DocumentSummary) -> int:
        return doc.annotation_count if self._by_document is None else self._by_document.get(doc.id, 0)

    def of_code(self, code: CodeInfo) -> int:
        return code.count if self._by_code is None else self._by_code.get(code.id, 0)

    def show_uses_in(self, model: CodebookModel) -> None:
        """Let the codebook's Uses column count as these counts do, now and after each change."""

        def apply() -> None:
            model.set_uses(self.of_code, self.scope_tip("Annotations using each code"))

        self.recounted.connect(apply)
        apply()

    def scope_tip(self, what: str) -> str:
        """A column tooltip: ``what`` is counted ("Annotations in each work"), and whose."""
        if self.show_others:
            return f"{what}, by every coder (other coders' annotations are shown)."
        return (
            f"{what}, yours only: other coders' annotations are hidden "
            "(View ▸ Show other coders' annotations counts theirs too)."
        )
