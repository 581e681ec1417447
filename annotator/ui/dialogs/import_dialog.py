"""Import works (files or whole folders) in a worker thread, with progress, cancel and a report.

Each file is imported in its own transaction, so a bad file is listed with its reason and the
good ones are kept, also when the researcher cancels half way. The import becomes one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.io.file_selection import files_to_import
from annotator.io.importers import SUPPORTED_SUFFIXES
from annotator.services import commands
from annotator.services.documents import ImportReport, import_files
from annotator.ui.plain import plain_label
from annotator.ui.session import ProjectSession
from annotator.ui.settings import AppSettings
from annotator.ui.workers import Worker, run_in_background

FILE_FILTER = f"Works ({' '.join('*' + s for s in SUPPORTED_SUFFIXES)});;All files (*)"


def summary_of(report: ImportReport, cancelled: bool) -> str:
    parts = [f"Imported {len(report.imported)} work{'s' if len(report.imported) != 1 else ''}"]
    if report.duplicates:
        parts.append(f"skipped {len(report.duplicates)} already in the project")
    if report.failed:
        parts.append(f"{len(report.failed)} could not be read")
    return ", ".join(parts) + (" (cancelled)." if cancelled else ".")


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportReport, after the import was recorded for undo

    def __init__(self, session: ProjectSession, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import works")
        self.session = session
        self.settings = settings
        self.paths: list[Path] = []
        self.worker: Worker | None = None
        self.report: ImportReport | None = None
        self.list = QListWidget()
        add_files = QPushButton("Add files…")
        add_folder = QPushButton("Add folder…")
        clear = QPushButton("Clear")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.status = plain_label("Choose AO3 downloads (HTML, EPUB), text, Markdown or Word files.")
        self.status.setWordWrap(True)
        self.errors = QPlainTextEdit()
        self.errors.setReadOnly(True)
        self.errors.setPlaceholderText("Files that could not be imported are listed here.")
        self.errors.setMaximumHeight(120)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.hide()
        picks = QHBoxLayout()
        picks.addWidget(add_files)
        picks.addWidget(add_folder)
        picks.addStretch(1)
        picks.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.addLayout(picks)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        add_files.clicked.connect(self.ask_files)
        add_folder.clicked.connect(self.ask_folder)
        clear.clicked.connect(lambda: self.set_paths([]))
        self.import_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.accept)
        self.resize(620, 480)
        self.set_paths([])

    # --- choosing -------------------------------------------------------------------------
    def set_paths(self, paths: Sequence[Path]) -> None:
        selection = files_to_import(paths)
        self.paths = selection.files
        self.errors.setPlainText("\n".join(message for _item, message in selection.problems))
        self.list.clear()
        self.list.addItems([str(p) for p in self.paths])
        self.import_button.setEnabled(bool(self.paths))
        self.progress.setRange(0, max(1, len(self.paths)))
        self.progress.setValue(0)

    def ask_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Import works", self.settings.last_folder(), FILE_FILTER
        )
        if names:
            self.settings.set_last_folder(str(Path(names[0]).parent))
            self.set_paths([*self.paths, *map(Path, names)])

    def ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Import a folder of works", self.settings.last_folder()
        )
        if folder:
            self.settings.set_last_folder(folder)
            self.set_paths([*self.paths, Path(folder)])

    # --- running --------------------------------------------------------------------------
    def start(self) -> None:
        if self.worker is not None or not self.paths:
            return
        paths, store = list(self.paths), self.session.store
        self.import_button.setEnabled(False)
        self.errors.clear()
        self.status.setText("Importing…")
        self.worker = run_in_background(
            lambda w: import_files(store, paths, progress=w.report, cancelled=w.cancelled),
            self._finished,
            self._failed,
            self._progress,
        )

    def running(self) -> bool:
        return self.worker is not None

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()  # stops after the current file; finished files are kept
            self.status.setText("Cancelling after the current file…")
        else:
            self.reject()

    def _progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if name:
            self.status.setText(f"Importing {name} ({done + 1} of {total})…")

    def _finished(self, report: ImportReport) -> None:
        cancelled = self.worker.cancelled() if self.worker is not None else False
        self.worker = None
        self.report = report
        ids = [d.id for d in report.imported]
        if ids:
            command = commands.ImportedDocuments(self.session.store, ids)
            self.session.record(command, report.change, initiator=self)
        self.status.setText(summary_of(report, cancelled))
        # Refusals first, then how files in a guessed encoding or with mojibake were read.
        notes = [f"{Path(path).name}: {note}" for path, note in report.notes]
        self.errors.setPlainText("\n".join([message for _path, message in report.failed] + notes))
        self._done()
        self.imported.emit(report)

    def _failed(self, message: str) -> None:
        self.worker = None
        self.status.setText(f"Import stopped: {message}")
        self._done()

    def _done(self) -> None:
        self.cancel_button.hide()
        self.import_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
