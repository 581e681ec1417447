"""Who coded which works: a checklist table, works × coders, saved as one undoable action.

A work with no ticks has no assignments, so agreement counts every chosen coder there; once a work
has ticks, only the ticked coders count on it and the others are missing (not "coded nothing").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.services.assignment_commands import ChangeAssignments
from annotator.services.assignments import Pair, assignment_grid
from annotator.services.coders import ROLE_CONSENSUS
from annotator.ui.plain import plain_label
from annotator.ui.session import ProjectSession

EXPLANATION = (
    "Tick who was given each work. A work with no ticks counts every coder; on a ticked work only "
    "the ticked coders count, and the others are missing there (not 'coded nothing')."
)


class AssignmentsDialog(QDialog):
    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who coded which works")
        self.session = session
        grid = assignment_grid(session.store)
        consensus = {c.id for c in session.coders if c.role == ROLE_CONSENSUS}
        self.coder_ids = [coder_id for coder_id, _ in grid.coders if coder_id not in consensus]
        self.document_ids = [doc_id for doc_id, _ in grid.documents]
        self.saved: frozenset[Pair] = grid.assigned
        names = dict(grid.coders)
        self.table = QTableWidget(len(self.document_ids), len(self.coder_ids))
        self.table.setHorizontalHeaderLabels([names[c] for c in self.coder_ids])
        self.table.setVerticalHeaderLabels([f"{doc_id}: {title}" for doc_id, title in grid.documents])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for row, doc_id in enumerate(self.document_ids):
            for column, coder_id in enumerate(self.coder_ids):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                ticked = (doc_id, coder_id) in self.saved
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                self.table.setItem(row, column, item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.status = plain_label()
        explanation = plain_label(EXPLANATION)
        explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(720, 480)

    def ticked(self) -> frozenset[Pair]:
        pairs = set()
        for row, doc_id in enumerate(self.document_ids):
            for column, coder_id in enumerate(self.coder_ids):
                item = self.table.item(row, column)
                if item is not None and item.checkState() == Qt.CheckState.Checked:
                    pairs.add((doc_id, coder_id))
        return frozenset(pairs)

    def save(self) -> None:
        """Store the ticks as one undoable action (nothing when nothing changed), then close."""
        ticked = self.ticked()
        shown = {(d, c) for d in self.document_ids for c in self.coder_ids}
        add = sorted(ticked - self.saved)
        remove = sorted((self.saved & shown) - ticked)
        if add or remove:
            store = self.session.store
            change = self.session.run(lambda: ChangeAssignments(store, add, remove), initiator=self)
            if change is None:
                self.status.setText("The assignments could not be saved (see the status bar).")
                return
        self.accept()
