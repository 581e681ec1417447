"""Undoable updates of works and review decisions (command classes over ``work_updates``).

Like every command (see :mod:`annotator.services.commands`), the first ``apply`` performs the
action, ``revert`` takes it back exactly and a later ``apply`` (redo) puts back the very same
rows. Undoing an update restores the previous version's text, metadata and zones and every
annotation's old anchor, orphans included; redo re-applies it with the same ids. Each step
refuses with a ConflictError, changing nothing, when what it would overwrite changed since.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.undo import Command
from annotator.services import anchor_reviews as reviews
from annotator.services import work_updates as updates
from annotator.services.changes import Change
from annotator.services.command_steps import redo_step, undo_step
from annotator.services.conflict_messages import quoted
from annotator.store.project import ProjectStore


class UpdateWork(Command[Change]):
    """Make a re-downloaded file the new version of its work (File ▸ Update work…)."""

    def __init__(self, store: ProjectStore, path: Path, *, document_id: int | None = None) -> None:
        self.store = store
        self.path = path
        self.document_id = document_id
        self.text = f"Update work from {path.name}"
        self.report: updates.UpdateReport | None = None
        self.record: updates.UpdateRecord | None = None

    @classmethod
    def of(cls, store: ProjectStore, report: updates.UpdateReport) -> UpdateWork:
        """The undo entry of an update that already ran (in a worker)."""
        command = cls(store, Path(report.record.new.source_name or "work"), document_id=report.document_id)
        command.text = f"Update {quoted(report.title)}"
        command.report, command.record = report, report.record
        return command

    def apply(self) -> Change:
        if self.record is not None:
            return self._redo()
        self.report = updates.update_document(self.store, self.path, document_id=self.document_id)
        self.record = self.report.record
        self.text = f"Update {quoted(self.report.title)}"
        return self.report.change

    @redo_step
    def _redo(self) -> Change:
        assert self.record is not None
        self.report = updates.redo_update(self.store, self.record)
        self.record = self.report.record
        return self.report.change

    @undo_step
    def revert(self) -> Change:
        assert self.record is not None
        self.record = updates.undo_update(self.store, self.record)
        return updates.update_change(self.record.document_id)


class _ReviewDecision(Command[Change]):
    """One decision in the review queue of an updated work."""

    status = ""

    def __init__(self, store: ProjectStore, review_id: int, span: tuple[int, int] | None = None) -> None:
        self.store = store
        self.review_id = review_id
        self.span = span
        self.decision: reviews.Decision | None = None

    def apply(self) -> Change:
        if self.decision is not None:
            return self._redo()
        self.decision = reviews.decide(self.store, self.review_id, self.status, self.span)
        return self.decision.change

    @redo_step
    def _redo(self) -> Change:
        assert self.decision is not None
        return reviews.restore_decision(self.store, self.decision, undo=False)

    @undo_step
    def revert(self) -> Change:
        assert self.decision is not None
        return reviews.restore_decision(self.store, self.decision, undo=True)


class AcceptReview(_ReviewDecision):
    text = "Accept moved annotation"
    status = "accepted"


class DropReview(_ReviewDecision):
    text = "Drop moved annotation"
    status = "dropped"


class ReselectReview(_ReviewDecision):
    text = "Re-select moved annotation"
    status = "reselected"

    def __init__(self, store: ProjectStore, review_id: int, start: int, end: int) -> None:
        super().__init__(store, review_id, (start, end))
