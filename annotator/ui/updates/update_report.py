"""What an update did to the annotations: the summary line, the counts, and the CSV of moved ones.

Used twice: by the Update work dialog (the report the update returned) and by the review
window's Report tab (the counts and rows read again, so they follow each decision). The CSV of
moved annotations (``update_rows``, one row each) is written atomically by the reports' writer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import astuple, fields

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget

from annotator.core.errors import USER_ERRORS, user_message
from annotator.core.reports.data import Table
from annotator.io.atomic import atomic_write_text
from annotator.io.report_csv import write_report_csv
from annotator.services.version_history import Tally, tally
from annotator.services.work_updates import UpdateReport, UpdateRow, update_rows
from annotator.ui.models.segments_model import code_label
from annotator.ui.plain import plain_label, plain_message_box, set_plain
from annotator.ui.session import ProjectSession
from annotator.ui.updates.counts_table import CountRows, CountsTable
from annotator.ui.updates.review_model import PENDING

CSV_FILTER = "CSV files (*.csv)"


def _plural(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def summary_of(report: UpdateReport) -> str:
    kinds = report.counts
    return (
        f"“{report.title}” is now version {report.version}: "
        f"{_plural(kinds.get('exact', 0), 'annotation')} re-attached exactly, "
        f"{kinds.get('changed', 0):,} on edited text, {kinds.get('orphaned', 0):,} orphaned."
    )


def report_rows(report: UpdateReport | Tally) -> CountRows:
    """All, then each coder, then each code (by name), as the counts table shows them."""
    rows: list[tuple[str, Mapping[str, int]]] = [("All annotations", report.counts)]
    rows += [(f"Coder {name}", kinds) for name, kinds in sorted(report.by_coder.items())]
    rows += [(f"Code {code_label(name)}", kinds) for name, kinds in sorted(report.by_code.items())]
    return rows


def moved_table(rows: Sequence[UpdateRow]) -> Table:
    """Every re-anchored annotation with its old and new offsets and quotes, one CSV row each."""
    return Table(tuple(f.name for f in fields(UpdateRow)), tuple(astuple(row) for row in rows))


class ReportTab(QWidget):
    """Counts of the moved annotations of one work (or of every updated work), and their CSV.

    Empty until :meth:`refresh` (the review window calls it whenever it reads its queue).
    """

    def __init__(
        self, session: ProjectSession, document_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.document_id = document_id
        self.summary = plain_label()
        self._moved = ""
        self.summary.setWordWrap(True)
        self.table = CountsTable()
        self.export_button = QPushButton("&Export CSV…")
        self.export_button.clicked.connect(self.ask_export)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        """Read the counts again (the classes never change by a review: only after an update)."""
        rows = update_rows(self.session.store, self.document_id)
        self.table.set_counts(report_rows(tally((row.coder, row.code, row.kind) for row in rows)))
        self._moved = f"{_plural(len(rows), 'annotation')} re-anchored by updates of "
        self._moved += _plural(len({row.document_id for row in rows}), "work")
        self.set_waiting(sum(1 for row in rows if row.status == PENDING))

    def set_waiting(self, waiting: int) -> None:
        """Say how many reviews are still to do (the review window counts them as it goes)."""
        set_plain(self.summary, f"{self._moved}; {waiting:,} waiting for review.")

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export moved annotations", "moved-annotations.csv", CSV_FILTER
        )
        if path:
            self.export_csv(path if path.lower().endswith(".csv") else path + ".csv")

    def export_csv(self, path: str) -> bool:
        try:
            table = moved_table(update_rows(self.session.store, self.document_id))
            atomic_write_text(path, lambda out: write_report_csv(table, out))
        except USER_ERRORS as exc:
            plain_message_box(self, QMessageBox.Icon.Warning, "Export failed", user_message(exc)).exec()
            return False
        return True
