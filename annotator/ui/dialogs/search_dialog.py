"""Search the whole project (Ctrl+Shift+F): every match in every work, with context.

The search runs in a worker thread; double-clicking a match (or Enter on it) opens its work at
the match. The search window is a window of its own, not one kept above the main window: after
a jump the main window comes forward, so the match is not hidden under the results; Ctrl+Shift+F
brings the same results back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.services.search import SearchHit, search_documents
from annotator.ui.plain import plain_label, plain_tooltip
from annotator.ui.session import ProjectSession
from annotator.ui.workers import Worker, run_in_background

HIT_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchDialog(QDialog):
    hitActivated = Signal(object)  # SearchHit

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        # A normal window, not a dialog: window managers keep a dialog above its main window.
        # The parent only ties its lifetime to the main window's (see showEvent).
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Search project — Annotator")
        self.session = session
        self.hits: list[SearchHit] = []
        self.worker: Worker | None = None
        self._serial = 0
        self.query = QLineEdit()
        self.query.setPlaceholderText("Words or a phrase, any case")
        self.query.setClearButtonEnabled(True)
        self.search_button = QPushButton("Search")
        self.search_button.setDefault(True)
        self.status = plain_label()  # quotes the query
        self.results = QTreeWidget()
        self.results.setHeaderLabels(["Work", "Position", "Context"])
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setColumnWidth(0, 220)
        self.results.setColumnWidth(1, 80)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.search_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.search_button.clicked.connect(self.start_search)
        self.query.returnPressed.connect(self.start_search)
        self.results.itemActivated.connect(self._activated)
        self.resize(820, 520)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Qt makes a parented window its parent's transient (kept on top of it) each time it is
        # shown; undone before the window is mapped, so a jump can bring the text forward.
        handle = self.windowHandle()
        if handle is not None:
            handle.setTransientParent(None)  # type: ignore[arg-type]  # the stubs omit None; Qt takes it

    def bring_back(self) -> None:
        """Show the window again, in front, with its results and the query ready to retype."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.query.setFocus()
        self.query.selectAll()

    def start_search(self) -> None:
        query = self.query.text()
        if not query.strip():
            self.status.setText("Type something to search for.")
            return
        if self.worker is not None:
            self.worker.cancel()
        self.status.setText("Searching…")
        self.search_button.setEnabled(False)
        store = self.session.store
        self._serial += 1
        serial = self._serial
        self.worker = run_in_background(
            lambda w: search_documents(store, query, cancelled=w.cancelled),
            lambda hits: self._show(serial, query, hits),
            lambda message: self._failed(serial, message),
            owner=self,
        )

    def _show(self, serial: int, query: str, hits: list[SearchHit]) -> None:
        if serial != self._serial:
            return  # an older search, superseded while it ran
        self.worker = None
        self.search_button.setEnabled(True)
        self.hits = hits
        self.results.clear()
        items = []
        for number, hit in enumerate(hits):
            item = QTreeWidgetItem([hit.title, f"{hit.start:,}", hit.context])
            item.setData(0, HIT_ROLE, number)
            item.setToolTip(2, plain_tooltip(hit.context))
            items.append(item)
        self.results.addTopLevelItems(items)
        works = len({h.document_id for h in hits})
        self.status.setText(
            f"No matches for “{query}”."
            if not hits
            else f"{_plural(len(hits), 'match', 'matches')} in {_plural(works, 'work', 'works')}."
        )

    def _failed(self, serial: int, message: str) -> None:
        if serial != self._serial:
            return
        self.worker = None
        self.search_button.setEnabled(True)
        self.status.setText(message)

    def _activated(self, item: QTreeWidgetItem) -> None:
        index = item.data(0, HIT_ROLE)
        if isinstance(index, int) and 0 <= index < len(self.hits):
            self.hitActivated.emit(self.hits[index])

    def activate(self, row: int) -> None:
        """Open match ``row`` (what a double-click does)."""
        item = self.results.topLevelItem(row)
        if item is not None:
            self._activated(item)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
