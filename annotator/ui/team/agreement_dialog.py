"""The agreement dialog: choose coders, codes (or a code group), documents and zones; see κ, %, αU.

The statistics are computed by ``annotator.services.agreement`` in a worker thread (a large
project takes a moment); with confidence intervals the bootstrap reports its resamples to a
progress bar and Cancel stops it between blocks of resamples, leaving the dialog as it was. Tabs
show the figures per code, per coder pair and per work; "Methods paragraph" writes the paragraph
for a paper, "Who coded which works" records assignments. The CSV export writes atomically.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
from annotator.core.codebook import display_path
from annotator.core.types import ZONE_KINDS
from annotator.io.atomic import atomic_write_text
from annotator.services.agreement import (
    AgreementResult,
    BootstrapOptions,
    TeamFilter,
    adjudication_counts,
    export_agreement_csv,
    methods_paragraph,
)
from annotator.services.coders import ROLE_CONSENSUS
from annotator.services.documents import list_documents
from annotator.ui.plain import plain_label
from annotator.ui.session import ProjectSession
from annotator.ui.team.agreement_details import PairsTable, WorksTable
from annotator.ui.team.agreement_run import start_agreement
from annotator.ui.team.agreement_table import AgreementTable
from annotator.ui.team.assignments_dialog import AssignmentsDialog
from annotator.ui.team.family_table import FamilyTable
from annotator.ui.team.methods_dialog import MethodsDialog
from annotator.ui.workers import Worker, run_in_background

CSV_FILTER = "CSV files (*.csv);;All files (*)"
CHANCE_FOOTNOTE = (
    "% agreement counts every character in scope, including those neither coder coded; κ corrects "
    "for the agreement expected by chance (p_e), so a rarely used code can show a high % with κ near "
    "0, and κ is undefined (—) when only one category occurred (p_e = 1). See the Notes column."
)


MAX_RESAMPLES = 100_000


def _checklist(entries: list[tuple[str, object, bool]]) -> QListWidget:
    widget = QListWidget()
    for text, data, checked in entries:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> list[object]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class AgreementDialog(QDialog):
    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inter-coder agreement")
        self.session = session
        self.agreement: AgreementResult | None = None  # the last computation
        self.worker: Worker | None = None
        self.last_error = ""
        self.coders = _checklist(
            [(c.name, c.name, c.role != ROLE_CONSENSUS and c.count > 0) for c in session.coders]
        )
        self.codes = QComboBox()
        self.codes.addItem("Every code the coders used", None)
        parents = {c.parent_id for c in session.codes}
        for code in session.codes:
            if code.id in parents:
                self.codes.addItem(
                    f"Group: {display_path(code.path)} (each sub-code, and pooled)", f"group:{code.path}"
                )
            self.codes.addItem(display_path(code.path), f"code:{code.path}")
        documents = list_documents(session.store)
        self.documents = _checklist([(f"{d.id}: {d.title}", d.id, True) for d in documents])
        self.zones = QComboBox()
        self.zones.addItem("All text", None)
        self.zones.addItem("Leave out paratext (summaries, author's notes)", "paratext")
        for kind in ZONE_KINDS:
            self.zones.addItem(f"Only zone: {kind}", kind)
        self.compute_button = QPushButton("Compute")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setEnabled(False)
        self.methods_button = QPushButton("Methods paragraph…")
        self.methods_button.setEnabled(False)
        self.assign_button = QPushButton("Who coded which works…")
        self.intervals = QCheckBox(f"95% confidence intervals (bootstrap over works, seed {DEFAULT_SEED})")
        self.resamples = QSpinBox()
        self.resamples.setRange(1, MAX_RESAMPLES)
        self.resamples.setValue(DEFAULT_RESAMPLES)
        self.resamples.setSuffix(" resamples")
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.hide()
        self.generation = 0  # results of an older (cancelled) computation are dropped
        self.methods_dialog: MethodsDialog | None = None
        self.status = plain_label()  # notes and errors quote coder and code names
        self.status.setWordWrap(True)
        self.table = AgreementTable()
        self.pairs_table = PairsTable()
        self.works_table = WorksTable()
        self.family_table = FamilyTable()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "By code")
        self.tabs.addTab(self.pairs_table, "Coder pairs")
        self.tabs.addTab(self.works_table, "Works (lowest αU first)")
        self.tabs.addTab(self.family_table, "uα family (2016)")
        self.footnote = plain_label(CHANCE_FOOTNOTE)
        self.footnote.setWordWrap(True)
        self.compute_button.clicked.connect(self.compute)
        self.export_button.clicked.connect(self.ask_export)
        self.cancel_button.clicked.connect(self.cancel)
        self.methods_button.clicked.connect(self.show_methods)
        self.assign_button.clicked.connect(self.edit_assignments)
        self._build_layout()
        self.resize(1100, 700)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow("Coders", self.coders)
        form.addRow("Codes", self.codes)
        form.addRow("Documents", self.documents)
        form.addRow("Zones", self.zones)
        form.addRow(self.intervals)
        form.addRow("", self.resamples)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compute_button)
        buttons.addWidget(self.export_button)
        more = QHBoxLayout()
        more.addWidget(self.methods_button)
        more.addWidget(self.assign_button)
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(form)
        left_layout.addLayout(buttons)
        left_layout.addLayout(more)
        left_layout.addLayout(running)
        left_layout.addWidget(self.status)
        splitter = QSplitter()
        splitter.addWidget(left)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.tabs, 1)
        right_layout.addWidget(self.footnote)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        QVBoxLayout(self).addWidget(splitter)

    def current_filter(self) -> TeamFilter:
        coders = tuple(str(c) for c in _checked(self.coders))
        documents = tuple(int(d) for d in _checked(self.documents))  # type: ignore[call-overload]
        if len(documents) == self.documents.count():
            documents = ()  # all of them: no filter, and new documents count too
        kind, _, path = str(self.codes.currentData() or "").partition(":")
        zone = self.zones.currentData()
        return TeamFilter(
            coders=coders,
            code_paths=(path,) if kind == "code" else (),
            code_group=path if kind == "group" else "",
            document_ids=documents,
            zones=(zone,) if zone and zone != "paratext" else (),
            exclude_paratext=zone == "paratext",
        )

    def compute(self) -> None:
        if not _checked(self.documents) or not _checked(self.coders):
            self.status.setText("Choose at least one document and the coders to compare.")
            return
        flt = self.current_filter()
        store = self.session.store
        options = BootstrapOptions(resamples=self.resamples.value()) if self.intervals.isChecked() else None
        self.generation += 1
        generation = self.generation
        self._running(True, with_progress=options is not None)
        self.status.setText("Computing…")

        self.worker = start_agreement(
            store,
            flt,
            options,
            lambda result: self._computed(result, generation),
            lambda message: self._failed(message, generation),
            lambda done, total, _what: self._progressed(done, total, generation),
        )

    def _running(self, running: bool, *, with_progress: bool = False) -> None:
        self.compute_button.setEnabled(not running)
        self.progress.setVisible(running and with_progress)
        self.cancel_button.setVisible(running)
        self.progress.setRange(0, 0)  # busy until the first resamples are done
        self.progress.setValue(0)

    def _progressed(self, done: int, total: int, generation: int) -> None:
        if generation != self.generation:
            return  # a report from a cancelled run, delivered late
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(f"Confidence intervals: {done:,} of {total:,} resamples…")

    def cancel(self) -> None:
        """Stop the running computation; the dialog keeps the last result and is usable at once."""
        if self.worker is not None:
            self.worker.cancel()
        self.generation += 1
        self._running(False)
        self.status.setText("Cancelled.")

    def _computed(self, result: AgreementResult | None, generation: int) -> None:
        if generation != self.generation or result is None:
            return
        self.agreement = result
        self._running(False)
        self.export_button.setEnabled(True)
        self.methods_button.setEnabled(True)
        self.table.show_result(result)
        self.pairs_table.show_result(result)
        self.works_table.show_result(result)
        self.family_table.show_result(result)
        notes = " ".join(result.notes)
        self.status.setText(f"{result.scope.characters_in_scope} characters in scope. {notes}".strip())

    def _failed(self, message: str, generation: int | None = None) -> None:
        if generation is not None and generation != self.generation:
            return
        self.last_error = message
        self._running(False)
        self.status.setText(f"⚠ {message}")

    def show_methods(self) -> None:
        """Write the methods paragraph of the last result (disagreement counts read in the background)."""
        result = self.agreement
        if result is None:
            return
        store, flt = self.session.store, self.current_filter()
        self.methods_button.setEnabled(False)
        self.worker = run_in_background(
            lambda _w: methods_paragraph(result, adjudication_counts(store, flt)),
            self._show_paragraph,
            self._failed,
        )

    def _show_paragraph(self, paragraph: str) -> None:
        self.methods_button.setEnabled(True)
        self.methods_dialog = MethodsDialog(paragraph, self)
        self.methods_dialog.show()

    def edit_assignments(self) -> AssignmentsDialog:
        dialog = AssignmentsDialog(self.session, self)
        dialog.accepted.connect(
            lambda: self.status.setText("Assignments saved; Compute to see their effect.")
        )
        dialog.show()
        return dialog

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export agreement CSV", "agreement.csv", CSV_FILTER)
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> int:
        """Write the agreement CSV of the last computation; return the number of rows."""
        result = self.agreement
        if result is None:
            return 0
        try:
            rows = atomic_write_text(path, lambda out: export_agreement_csv(result, out))
        except OSError as exc:
            self._failed(f"cannot write {path}: {exc.strerror or exc}")
            return 0
        self.status.setText(f"Wrote {rows} rows to {path}")
        return rows
