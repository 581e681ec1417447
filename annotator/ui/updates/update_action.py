"""File ▸ Update work…: re-import a changed download as a new version of a work it updates.

The researcher chooses the new file and the work it updates (matched by AO3 work id by default
for AO3 downloads, else the open work). The update runs in a worker (a long work takes a moment
to align), in one transaction; back on the GUI thread it is recorded as one undo step
(``UpdateWork``), and its ``Change`` reaches the views through the session's one door. The
dialog then shows how the annotations moved (per class, coder and code) and offers the review
queue for the changed and orphaned ones.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.services.version_commands import UpdateWork
from annotator.services.work_updates import UpdateReport, update_document
from annotator.ui.plain import plain_label, set_plain
from annotator.ui.session import ProjectSession
from annotator.ui.settings import AppSettings
from annotator.ui.updates.counts_table import CountsTable
from annotator.ui.updates.update_report import report_rows, summary_of
from annotator.ui.workers import Worker, run_in_background

BY_WORK_ID = -1  # the document combo's "match by AO3 work id" entry
AO3_SUFFIXES = (".html", ".htm", ".epub")


class UpdateWorkDialog(QDialog):
    updated = Signal(object)  # UpdateReport, after the update was recorded for undo
    reviewRequested = Signal(int)  # document id: open its review queue

    def __init__(
        self,
        session: ProjectSession,
        settings: AppSettings,
        current_document: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Update work")
        self.session = session
        self.settings = settings
        self.current_document = current_document
        self.path: Path | None = None
        self.worker: Worker | None = None
        self.report: UpdateReport | None = None
        self.file_label = QLineEdit()  # a long path scrolls; a label would wrap it unreadably
        self.file_label.setReadOnly(True)
        self.file_label.setPlaceholderText("No file chosen.")
        self.choose_button = QPushButton("Choose &file…")
        self.document = QComboBox()
        self.document.addItem("The work with the same AO3 work id", BY_WORK_ID)
        for doc in session.documents:
            self.document.addItem(doc.title, doc.id)  # combo items are plain text (no markup, no mnemonics)
        self._preselect()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setTextVisible(False)
        self.status = plain_label("Choose the new download of a work you have coded.")
        self.status.setWordWrap(True)
        self.counts = CountsTable()
        self.counts.hide()
        self.buttons = QDialogButtonBox()
        self.update_button = self.buttons.addButton("&Update", QDialogButtonBox.ButtonRole.AcceptRole)
        self.review_button = self.buttons.addButton("&Review…", QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.review_button.hide()
        self.close_button.hide()
        self.update_button.setEnabled(False)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow("New file", file_row)
        form.addRow("Updates", self.document)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.counts, 1)
        layout.addWidget(self.buttons)
        self.choose_button.clicked.connect(self.ask_file)
        self.update_button.clicked.connect(self.start)
        self.review_button.clicked.connect(self._review)
        self.cancel_button.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.accept)
        self.resize(620, 260)

    # --- choosing -------------------------------------------------------------------------
    def _preselect(self) -> None:
        """AO3 downloads match by work id; another file updates the open work, if one is open."""
        by_id = self.path is not None and self.path.suffix.lower() in AO3_SUFFIXES
        if by_id or self.current_document is None:
            self.document.setCurrentIndex(0)
        else:
            self.document.setCurrentIndex(max(0, self.document.findData(self.current_document)))

    def ask_file(self) -> None:
        from annotator.ui.dialogs.import_dialog import FILE_FILTER  # loads the parsers: on first use

        name, _ = QFileDialog.getOpenFileName(self, "Update work", self.settings.last_folder(), FILE_FILTER)
        if name:
            self.settings.set_last_folder(str(Path(name).parent))
            self.set_path(Path(name))

    def set_path(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(str(path))
        self._preselect()
        self.update_button.setEnabled(True)

    def chosen_document(self) -> int | None:
        data = self.document.currentData()
        return None if data is None or data == BY_WORK_ID else int(data)

    # --- running --------------------------------------------------------------------------
    def start(self) -> Worker | None:
        if self.worker is not None or self.path is None:
            return None
        store, path, document_id = self.session.store, self.path, self.chosen_document()
        if store.holds_file(path):  # reading it would drop SQLite's locks in this process (store.lock)
            set_plain(self.status, f"{path.name} is this project's own file, not a work.")
            return None
        self.update_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.document.setEnabled(False)
        self.progress.setRange(0, 0)  # busy: one transaction, no steps to count
        set_plain(self.status, f"Updating from {path.name}…")
        self.worker = run_in_background(
            lambda _w: update_document(store, path, document_id=document_id), self._finished, self._failed
        )
        return self.worker

    def _finished(self, report: UpdateReport) -> None:
        self.worker = None
        self.report = report
        self.session.record(UpdateWork.of(self.session.store, report), report.change, initiator=self)
        self.progress.hide()
        set_plain(self.status, summary_of(report))
        self.counts.set_counts(report_rows(report))
        self.counts.show()
        to_review = report.counts.get("changed", 0) + report.counts.get("orphaned", 0)
        self.review_button.setText(f"&Review {to_review:,}…" if to_review else "&Review…")
        self.review_button.setVisible(bool(to_review))
        self._done()
        self.resize(self.width(), max(self.height(), 460))
        self.updated.emit(report)

    def _failed(self, message: str) -> None:
        self.worker = None
        self.progress.setRange(0, 1)
        set_plain(self.status, f"Not updated: {message}")
        self.update_button.setEnabled(True)
        self.choose_button.setEnabled(True)
        self.document.setEnabled(True)

    def _done(self) -> None:
        self.cancel_button.hide()
        self.update_button.hide()
        self.close_button.show()
        (self.review_button if self.review_button.isVisible() else self.close_button).setDefault(True)

    def _review(self) -> None:
        if self.report is not None:
            self.reviewRequested.emit(self.report.document_id)
            self.accept()
