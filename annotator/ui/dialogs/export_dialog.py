"""Export the coded segments (filtered by code, coder and document) or the codebook as CSV.

The file is written in a worker thread and atomically (a temporary file in the same folder,
then ``os.replace``), so an existing export is never left half-overwritten. The dialog stays
open to say what was written; Enter or Escape then closes it. It suggests the folder of the last
export (else the project's folder) and a file name after the project.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.io.atomic import atomic_write_text
from annotator.services.codebook_csv import export_codebook
from annotator.services.documents import list_documents
from annotator.services.segments import SegmentFilter, export_segments
from annotator.store.project import ProjectStore
from annotator.ui.models.segments_model import code_label
from annotator.ui.plain import plain_label
from annotator.ui.session import ProjectSession
from annotator.ui.settings import AppSettings
from annotator.ui.workers import Worker, run_in_background

SEGMENTS, CODEBOOK = "segments", "codebook"
WRITTEN = {SEGMENTS: ("coded segment", "coded segments"), CODEBOOK: ("code", "codes")}


def project_folder(store: ProjectStore) -> Path | None:
    """The folder of a project file (None for a server project)."""
    return Path(store.location).parent if store.is_sqlite and store.url.database else None


def export_file_name(store: ProjectStore, kind: str) -> str:
    """``<project>-segments.csv``: the project's name, kept to characters safe in a file name."""
    name = store.url.database or ""
    stem = Path(name).stem if store.is_sqlite else name
    safe = re.sub(r"[^\w.-]+", "-", stem).strip("-.")
    return f"{safe}-{kind}.csv" if safe else f"{kind}.csv"


class ExportDialog(QDialog):
    exported = Signal(str)  # what was written, in a sentence (for the status bar)

    def __init__(
        self,
        session: ProjectSession,
        settings: AppSettings,
        initial: SegmentFilter | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export CSV")
        self.session = session
        self.settings = settings
        self.worker: Worker | None = None
        self.written: int | None = None  # rows written by the last export
        self.segments_choice = QRadioButton("Coded segments — one row per annotation")
        self.codebook_choice = QRadioButton("Codebook — one row per code")
        self.segments_choice.setChecked(True)
        self.code = QComboBox()
        self.code.addItem("All codes", None)
        for c in session.codes:
            self.code.addItem(code_label(c.path), c.path)
        self.coder = QComboBox()
        self.coder.addItem("All coders", None)
        for coder in session.coders:
            self.coder.addItem(coder.name, coder.name)
        self.document = QComboBox()
        self.document.addItem("All documents", None)
        for doc in list_documents(session.store):
            self.document.addItem(doc.title, doc.id)
        self.path = QLineEdit()
        self.path.setPlaceholderText("Where to save the CSV file")
        browse = QPushButton("Choose…")
        self.status = plain_label()  # names paths and errors
        self.status.setWordWrap(True)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.filters = QWidget()
        form = QFormLayout(self.filters)
        form.setContentsMargins(24, 0, 0, 0)
        form.addRow("Code (with sub-codes)", self.code)
        form.addRow("Coder", self.coder)
        form.addRow("Document", self.document)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.suggested = ""  # the last path suggested, replaced when the kind changes
        layout = QVBoxLayout(self)
        layout.addWidget(self.segments_choice)
        layout.addWidget(self.filters)
        layout.addWidget(self.codebook_choice)
        layout.addSpacing(8)
        layout.addLayout(where)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        browse.clicked.connect(self.ask_path)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.segments_choice.toggled.connect(self.filters.setEnabled)
        self.segments_choice.toggled.connect(lambda _on: self._suggest_path())
        self.segments_choice.toggled.connect(lambda _on: self._ready())
        self.path.textEdited.connect(lambda _text: self._ready())
        if initial is not None:
            self.set_filter(initial)
        self._suggest_path()
        self.resize(560, 0)

    def set_filter(self, flt: SegmentFilter) -> None:
        if flt.code_paths:
            self.code.setCurrentIndex(max(0, self.code.findData(flt.code_paths[0])))
        if flt.coders:
            self.coder.setCurrentIndex(max(0, self.coder.findData(flt.coders[0])))
        if flt.document_ids:
            self.document.setCurrentIndex(max(0, self.document.findData(flt.document_ids[0])))

    def kind(self) -> str:
        return SEGMENTS if self.segments_choice.isChecked() else CODEBOOK

    def segment_filter(self) -> SegmentFilter:
        code, coder, document = self.code.currentData(), self.coder.currentData(), self.document.currentData()
        return SegmentFilter(
            code_paths=(code,) if code else (),
            coders=(coder,) if coder else (),
            document_ids=(int(document),) if document is not None else (),
        )

    def _suggest_path(self) -> None:
        current = self.path.text().strip()
        if current and current != self.suggested:
            return  # the researcher chose a name; keep it
        store = self.session.store
        last = self.settings.last_export_folder()
        folder = Path(last) if last and Path(last).is_dir() else project_folder(store) or Path.home()
        self.suggested = str(folder / export_file_name(store, self.kind()))
        self.path.setText(self.suggested)

    def _ready(self) -> None:
        """Something changed after an export: Enter saves again."""
        self.close_button.setDefault(False)
        self.save_button.setDefault(True)

    def ask_path(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export CSV", self.path.text(), "CSV files (*.csv)")
        if name:
            self.path.setText(name if name.lower().endswith(".csv") else name + ".csv")

    # --- exporting ------------------------------------------------------------------------
    def accept(self) -> None:
        """Start writing the file; when done the dialog says what it wrote (or why it wrote nothing)."""
        if self.worker is not None:
            return
        text = self.path.text().strip()
        if not text:
            self.status.setText("Choose where to save the file.")
            return
        target = Path(text).expanduser()
        if not target.parent.is_dir():
            self.status.setText(f"The folder {target.parent} does not exist.")
            return
        store, kind, flt = self.session.store, self.kind(), self.segment_filter()

        def write(out: TextIO) -> int:
            return export_segments(store, out, flt) if kind == SEGMENTS else export_codebook(store, out)

        self.status.setText("Writing…")
        self.written = None
        self.worker = run_in_background(
            lambda _w: atomic_write_text(target, write),
            lambda rows: self._finished(target, rows),
            self._failed,
            owner=self,
        )

    def _finished(self, target: Path, rows: int) -> None:
        """Say what was written and stay open to show it; Enter or Escape now closes."""
        self.worker = None
        self.written = int(rows)
        self.settings.set_last_export_folder(str(target.parent))
        one, many = WRITTEN[self.kind()]
        sentence = f"Wrote {rows:,} {one if rows == 1 else many} to {target}."
        self.status.setText(sentence)
        self.close_button.setText("Close")
        self.save_button.setDefault(False)
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.exported.emit(sentence)

    def _failed(self, message: str) -> None:
        self.worker = None
        self.status.setText(f"Nothing was written: {message}")
