"""File ▸ Import codebook CSV… and Import segments CSV…: the CLI's import services, from the GUI.

Each import reads the whole file and stores every row or none (the services' promise), in a
worker so a large segments file does not freeze the window. The result goes to the status bar;
a refusal (a bad row, a file that is not CSV or not UTF-8) to a plain-text message box, worded
as the CLI words it. Neither service keeps what undo would need, so these imports are not on
the undo stack; what they changed reaches the views through the session's one door.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from annotator.io.csv_reading import read_csv_file
from annotator.services.changes import Change
from annotator.services.codebook_csv import CodebookImport, import_codebook
from annotator.services.segment_import import SegmentImportReport, import_segments
from annotator.store.project import ProjectStore
from annotator.ui.plain import plain_message_box
from annotator.ui.session import ProjectSession
from annotator.ui.settings import AppSettings
from annotator.ui.workers import Worker, run_in_background

CSV_FILTER = "CSV files (*.csv);;All files (*)"


class ImportHost(Protocol):
    """What an import needs of the window (``MainWindow`` provides it)."""

    @property
    def settings(self) -> AppSettings: ...

    @property
    def session(self) -> ProjectSession | None: ...

    def window(self) -> QWidget: ...

    def show_message(self, text: str) -> None: ...


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def ask_csv_file(host: ImportHost, title: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(host.window(), title, host.settings.last_folder(), CSV_FILTER)
    if not name:
        return None
    host.settings.set_last_folder(str(Path(name).parent))
    return Path(name)


def codebook_summary(result: CodebookImport, name: str) -> str:
    return f"Codebook {name}: created {_count(result.created, 'code')}, updated {result.updated}."


def segments_summary(report: SegmentImportReport, name: str) -> str:
    parts = [f"Imported {_count(report.imported, 'segment')} from {name}"]
    if report.duplicates:
        parts.append(f"skipped {_count(report.duplicates, 'duplicate')}")
    if report.created_codes:
        parts.append(f"{_count(len(report.created_codes), 'new code')}")
    if report.created_coders:
        parts.append(f"{_count(len(report.created_coders), 'new coder')}")
    return ", ".join(parts) + "."


@dataclass(frozen=True)
class _CsvImport:
    """One kind of CSV import: the dialog title, the service that reads it, the status line."""

    title: str
    read: Callable[[ProjectStore, TextIO, str], Any]
    summary: Callable[[Any, str], str]


CODEBOOK_CSV = _CsvImport("Import codebook CSV", import_codebook, codebook_summary)
SEGMENTS_CSV = _CsvImport("Import segments CSV", import_segments, segments_summary)


def _run_import(host: ImportHost, kind: _CsvImport, path: Path | None) -> Worker | None:
    session = host.session
    if session is None:
        return None
    path = path or ask_csv_file(host, kind.title)
    if path is None:
        return None
    store, name = session.store, path.name
    host.show_message(f"Importing {name}…")

    def done(result: CodebookImport | SegmentImportReport) -> None:
        change: Change = result.change
        session.publish(change)
        host.show_message(kind.summary(result, name))

    def failed(message: str) -> None:
        host.show_message(f"Nothing imported from {name}.")
        plain_message_box(host.window(), QMessageBox.Icon.Warning, kind.title, message).exec()

    return run_in_background(
        lambda _worker: read_csv_file(path, lambda handle: kind.read(store, handle, name)),
        done,
        failed,
        owner=host.window(),
    )


def import_codebook_csv(host: ImportHost, path: Path | None = None) -> Worker | None:
    """Create and update codes from a codebook CSV (asked for when ``path`` is None)."""
    return _run_import(host, CODEBOOK_CSV, path)


def import_segments_csv(host: ImportHost, path: Path | None = None) -> Worker | None:
    """Add the coded segments of a segments CSV, all rows or none (asked for when ``path`` is None)."""
    return _run_import(host, SEGMENTS_CSV, path)
