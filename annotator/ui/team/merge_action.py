""" "Merge coder projects…": pick coders' copies, merge them in a worker, show what happened.

Each source is merged in its own transaction by ``annotator.services.merge``. A merge is not an
undo step (it only adds rows; the merge record in the project keeps the audit trail).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QPlainTextEdit, QVBoxLayout, QWidget

from annotator.core.errors import USER_ERRORS, user_message
from annotator.services.changes import Change
from annotator.services.merge import DamagedSourceError, merge_from
from annotator.services.merge_report import MergeReport
from annotator.ui.session import ProjectSession
from annotator.ui.workers import Worker, run_in_background

PROJECT_FILTER = "Annotator projects (*.annotator);;All files (*)"


class MergeReportDialog(QDialog):
    """The merge reports as plain text a researcher can read, select and copy into notes."""

    def __init__(
        self, reports: Sequence[MergeReport], errors: Sequence[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge report")
        sections = ["\n".join(r.summary_lines()) for r in reports] + [f"Not merged: {e}" for e in errors]
        self.text = QPlainTextEdit("\n\n".join(sections))
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 420)


class MergeAction:
    """Runs one merge for the open project; ``reports``/``error`` hold the outcome."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        self.session = session
        self.parent = parent
        self.worker: Worker | None = None
        self.reports: list[MergeReport] = []
        self.error = ""
        self.dialog: MergeReportDialog | None = None

    def ask_and_run(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.parent, "Merge coder projects", "", PROJECT_FILTER)
        if paths:
            self.run(paths)

    def run(self, sources: Sequence[str]) -> Worker:
        store, chosen = self.session.store, list(sources)

        def merge_each(_worker: Worker) -> tuple[list[MergeReport], list[str]]:
            # One source that cannot be opened must not hide what the others did.
            reports, errors = [], []
            for source in chosen:
                try:
                    reports.append(merge_from(store, source))
                except DamagedSourceError as exc:
                    errors.append(str(exc))  # names the source, then each problem on its own line
                except USER_ERRORS as exc:
                    errors.append(f"{source}: {user_message(exc)}")
            return reports, errors

        self.worker = run_in_background(merge_each, self._done, self._failed, owner=self.parent)
        return self.worker

    def _done(self, outcome: tuple[list[MergeReport], list[str]]) -> None:
        self.reports, errors = outcome
        self.error = "; ".join(errors)
        # Views refresh from the merge's Change as after any edit (a merge is not an undo step).
        self.session.publish(Change.combine(r.change for r in self.reports))
        self.dialog = MergeReportDialog(self.reports, errors, self.parent)
        self.dialog.show()

    def _failed(self, message: str) -> None:
        self.error = message
        self.session.failed.emit(f"merge failed: {message}")
