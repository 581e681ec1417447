"""Everything that exists while a project is open: the session, the panels and their docks.

``MainWindow`` builds one ``Workspace`` per opened project and throws it away on close, so no
panel ever outlives (or has to be re-pointed at) the project it shows.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from annotator.core.types import DocumentView
from annotator.services.search import SearchHit
from annotator.services.segments import SegmentRow
from annotator.ui.coding import CodingController
from annotator.ui.document_pane import DocumentPane
from annotator.ui.panels.annotation_panel import AnnotationPanel
from annotator.ui.panels.codebook_panel import CodebookPanel
from annotator.ui.panels.documents_panel import DocumentsPanel
from annotator.ui.panels.segments_panel import SegmentsPanel
from annotator.ui.session import ProjectSession

Area = Qt.DockWidgetArea


class Workspace(QObject):
    def __init__(self, window: QMainWindow, session: ProjectSession, show_others: bool) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.pane = DocumentPane(session, show_others)
        self.documents = DocumentsPanel(session)
        self.codebook = CodebookPanel(session)
        self.documents.follow_counts(self.pane.counts)  # codings and uses count what is shown
        self.pane.counts.show_uses_in(self.codebook.model)
        self.segments = SegmentsPanel(session)
        self.coding = CodingController(session, self.pane, self.codebook.current_code, window)
        self.coding.use_keys(self.codebook.keys)  # number keys as the researcher assigned them
        self.annotation = AnnotationPanel(session, self.coding)
        self.docks = [
            self._dock("Documents", "documents", self.documents, Area.LeftDockWidgetArea),
            self._dock("Codebook", "codebook", self.codebook, Area.RightDockWidgetArea),
            self._dock("Annotation", "annotation", self.annotation, Area.RightDockWidgetArea),
            self._dock("Segments", "segments", self.segments, Area.BottomDockWidgetArea),
        ]
        # The right column (codebook over annotation) runs the full height; segments sit under
        # the documents list and the text.
        window.setCorner(Qt.Corner.BottomRightCorner, Area.RightDockWidgetArea)
        window.setCorner(Qt.Corner.BottomLeftCorner, Area.BottomDockWidgetArea)
        self.apply_default_layout()
        self.documents.documentActivated.connect(self.open_document)
        self.segments.segmentActivated.connect(self.open_segment)
        self.codebook.applyRequested.connect(self.coding.apply_code)
        self.pane.documentOpened.connect(self._document_opened)

    def apply_default_layout(self) -> None:
        """Default dock sizes (used when no saved layout exists), smaller on a small screen so
        the text keeps most of a 1280 × 720 window."""
        window = self.window
        width, height = window.width(), window.height()
        window.resizeDocks(self.docks[:1], [min(300, width * 22 // 100)], Qt.Orientation.Horizontal)
        window.resizeDocks(self.docks[1:2], [min(390, width * 30 // 100)], Qt.Orientation.Horizontal)
        window.resizeDocks([self.docks[1], self.docks[2]], [600, 260], Qt.Orientation.Vertical)
        window.resizeDocks(self.docks[3:], [min(230, height * 25 // 100)], Qt.Orientation.Vertical)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(f"dock_{name}")  # saveState() keys docks by object name
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.window.addDockWidget(area, dock)
        return dock

    # --- navigation -----------------------------------------------------------------------
    def open_document(self, document_id: int, span: tuple[int, int] | None = None) -> bool:
        return self.pane.open_document(document_id, span)

    def open_segment(self, row: SegmentRow) -> None:
        if self.pane.open_document(row.document_id, (row.start, row.end)):
            self.pane.select_annotation(row.annotation_id)

    def open_hit(self, hit: SearchHit) -> None:
        self.pane.open_document(hit.document_id, (hit.start, hit.end))
        self.pane.viewer.setFocus()

    def _document_opened(self, doc: DocumentView | None) -> None:
        self.segments.set_current_document(doc.id if doc else None)
        if doc is not None and self.documents.current_document_id() != doc.id:
            self.documents.select_document(doc.id, emit=False)

    # --- closing --------------------------------------------------------------------------
    def save_pending(self) -> None:
        """Save text typed but not yet saved (a memo, a code definition) before closing."""
        self.annotation.save_memo()
        self.codebook.details.save()

    def dispose(self) -> None:
        for dock in self.docks:
            self.window.removeDockWidget(dock)
            dock.deleteLater()
        for action in self.coding.actions:
            action.deleteLater()
        self.pane.deleteLater()
        self.session.close()
        self.deleteLater()
