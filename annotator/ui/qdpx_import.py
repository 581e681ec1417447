"""File ▸ Import REFI-QDA project…: the ``import-qdpx`` service from the GUI, undoable like any import.

The import runs in a worker (a large NVivo project takes a second or two); back on the GUI thread
it is recorded as one :class:`~annotator.services.refi_qda_undo.ImportedQdpx` command, so Undo
removes everything the import created: documents with their codings, codings added to works
already here, codes and coders. What could not come in (selections not placed, PDF or
audio sources, sets) is listed in a plain-text message box, never silently dropped.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.services.refi_qda_import import QdpxImportReport, import_qdpx
from annotator.services.refi_qda_undo import ImportedQdpx
from annotator.ui.csv_imports import ImportHost
from annotator.ui.plain import plain_message_box
from annotator.ui.workers import Worker, run_in_background

TITLE = "Import REFI-QDA project"
QDPX_FILTER = "REFI-QDA projects (*.qdpx);;All files (*)"
_SHOWN = 30  # lines of problems in the box; the rest are counted


def report_summary(report: QdpxImportReport) -> str:
    documents = len(report.documents)
    return (
        f"Imported {documents} document{'s' if documents != 1 else ''} and {report.annotations} "
        f"coding{'s' if report.annotations != 1 else ''} from {report.file} "
        f"(positions read as {report.convention})."
        + (f" {report.duplicate_codings} codings were already here." if report.duplicate_codings else "")
    )


def report_problems(report: QdpxImportReport) -> list[str]:
    lines = [f"Already here: {line}" for line in report.existing]
    lines += [f"Not placed: {line}" for line in report.unplaced]
    lines += [f"Not imported: {line}" for line in report.skipped]
    lines += [f"Note: {line}" for line in report.notes]
    if len(lines) > _SHOWN:
        lines = [*lines[:_SHOWN], f"… and {len(lines) - _SHOWN} more"]
    return lines


def import_qdpx_file(host: ImportHost, path: Path | None = None) -> Worker | None:
    """Import a ``.qdpx`` (asked for when ``path`` is None) into the open project."""
    session = host.session
    if session is None:
        return None
    if path is None:
        name, _ = QFileDialog.getOpenFileName(host.window(), TITLE, host.settings.last_folder(), QDPX_FILTER)
        if not name:
            return None
        path = Path(name)
        host.settings.set_last_folder(str(path.parent))
    store, chosen = session.store, path
    host.show_message(f"Importing {chosen.name}…")

    def done(report: QdpxImportReport) -> None:
        if not report.created.empty:  # a codebook-only file (as ATLAS.ti writes) too
            session.record(ImportedQdpx(store, report), report.change)
        host.show_message(report_summary(report))
        problems = report_problems(report)
        if problems:
            text = report_summary(report) + "\n\n" + "\n".join(problems)
            plain_message_box(host.window(), QMessageBox.Icon.Information, TITLE, text).exec()

    def failed(message: str) -> None:
        host.show_message(f"Nothing imported from {chosen.name}.")
        plain_message_box(host.window(), QMessageBox.Icon.Warning, TITLE, message).exec()

    # Imported here: it loads every document parser, which the app's start-up does not need.
    from annotator.io.importers import read_file_bytes

    return run_in_background(
        lambda _worker: import_qdpx(store, read_file_bytes(chosen, chosen.name), chosen.name),
        done,
        failed,
        owner=host.window(),
    )
