"""A work's versions (View ▸ Versions…, or the work's right-click menu), each viewable read-only.

Updating a work appends a version; the earlier texts are kept as they were. The list names each
version, when it came in and how long it is; Open (or a double-click, or Enter) shows that text
in the app's read-only viewer, in display blocks, so a 5 MB version opens as fast as a work;
Export… writes the selected version's text to a file (UTF-8, atomically) through the same
service as ``annotator versions … --export``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import USER_ERRORS, user_message
from annotator.services.version_export import export_version
from annotator.services.work_updates import VersionInfo, version_text, versions_of
from annotator.ui.plain import plain_label, set_plain, window_title
from annotator.ui.session import ProjectSession
from annotator.ui.viewer.widget import DocumentViewer

HEADERS = ("Version", "Imported", "Characters", "File")
TEXT_FILTER = "Text files (*.txt);;All files (*)"
_UNSAFE_IN_NAMES = str.maketrans({c: "_" for c in '/\\:*?"<>|'})


class VersionViewer(QWidget):
    """One version's text, read-only (the viewer copies but never edits or codes)."""

    def __init__(self, title: str, version: VersionInfo, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(window_title(f"{title} — version {version.number} (read-only)"))
        self.viewer = DocumentViewer()
        self.viewer.set_document(text)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(f"Version {version.number} of “{title}”, as it was. Read-only."))
        layout.addWidget(self.viewer, 1)
        self.resize(760, 720)


class VersionsDialog(QDialog):
    """The versions of one work, newest last; Open shows the selected one."""

    def __init__(self, session: ProjectSession, document_id: int, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.document_id = document_id
        self.title = title
        self.setWindowTitle(window_title(f"Versions of {title}"))
        self.versions: list[VersionInfo] = versions_of(session.store, document_id)
        self.viewers: list[VersionViewer] = []
        self.table = QTableWidget(len(self.versions), len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, version in enumerate(self.versions):
            cells = (
                f"{version.number} (current)" if version.current else str(version.number),
                f"{version.imported_at:%Y-%m-%d %H:%M}",
                f"{version.length:,}",
                version.source_name,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))  # items show plain text
        self.table.resizeColumnsToContents()
        if self.versions:
            self.table.selectRow(len(self.versions) - 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setAutoDefault(False)  # Enter reaches the table, which opens the row
        self.open_button.clicked.connect(self.open_selected)
        self.export_button = buttons.addButton("&Export…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.ask_export)
        self.status = plain_label("")
        buttons.rejected.connect(self.reject)
        self.table.activated.connect(lambda _index: self.open_selected())  # Enter or a double-click
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(f"“{title}” has {len(self.versions)} version(s); older ones are kept as they were.")
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def open_selected(self) -> VersionViewer | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.versions):
            return None
        version = self.versions[row]
        try:
            text = version_text(self.session.store, self.document_id, version.number)
        except USER_ERRORS as exc:
            self.session.failed.emit(user_message(exc))
            return None
        viewer = VersionViewer(self.title, version, text, self)
        self.viewers.append(viewer)
        viewer.show()
        return viewer

    def selected_version(self) -> VersionInfo | None:
        row = self.table.currentRow()
        return self.versions[row] if 0 <= row < len(self.versions) else None

    def ask_export(self) -> None:
        """Ask where to write the selected version's text, then write it."""
        version = self.selected_version()
        if version is None:
            set_plain(self.status, "Choose the version to export.")
            return
        suggested = f"{self.title} - version {version.number}.txt".translate(_UNSAFE_IN_NAMES)
        path, _ = QFileDialog.getSaveFileName(self, "Export version", suggested, TEXT_FILTER)
        if path:
            self.export_selected(path)

    def export_selected(self, path: str) -> bool:
        """Write the selected version's text to ``path``; say what was written, or why not."""
        version = self.selected_version()
        if version is None:
            return False
        try:
            written = export_version(self.session.store, self.document_id, version.number, path)
        except USER_ERRORS as exc:
            message = user_message(exc)
            set_plain(self.status, f"Not exported: {message}")
            self.session.failed.emit(message)
            return False
        set_plain(self.status, f"Wrote version {version.number} ({written:,} characters) to {path}.")
        return True
