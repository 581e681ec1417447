"""The centre of the window: the open document with its header, find bar and highlights.

It keeps the open document's annotations (plain ``AnnotationInfo`` values) and turns each
``Change`` into single highlight edits, so coding a span repaints one highlight, not the document.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QInputDialog, QVBoxLayout, QWidget

from annotator.core.types import AnnotationInfo, DocumentView
from annotator.services import commands
from annotator.services.annotations import list_annotations
from annotator.services.changes import Change
from annotator.services.documents import load_document
from annotator.services.errors import NotFoundError
from annotator.ui.document_header import DocumentHeader
from annotator.ui.find_bar import FindBar
from annotator.ui.highlights import HighlightContext
from annotator.ui.session import ProjectSession
from annotator.ui.viewer import DocumentViewer


class DocumentPane(QWidget):
    documentOpened = Signal(object)  # DocumentView | None
    annotationSelected = Signal(object)  # AnnotationInfo | None
    hiddenCountChanged = Signal(int)  # other coders' annotations in this document not shown

    def __init__(
        self, session: ProjectSession, show_others: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.show_others = show_others
        self.document: DocumentView | None = None
        self.annotations: dict[int, AnnotationInfo] = {}
        self.selected_id: int | None = None
        self.header = DocumentHeader()
        self.viewer = DocumentViewer()
        self.viewer.setFrameShape(QFrame.Shape.NoFrame)
        self.find_bar = FindBar(self.viewer)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(line)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.viewer, 1)
        self.header.memoRequested.connect(self.ask_document_memo)
        self.viewer.annotationClicked.connect(self.select_annotation)
        self.viewer.spanEditRequested.connect(self.edit_span)
        session.changed.connect(self.apply_change)
        session.coderChanged.connect(lambda _coder: self.reload())

    # --- state ----------------------------------------------------------------------------
    def context(self) -> HighlightContext:
        s = self.session
        return HighlightContext(
            codes={c.id: c for c in s.codes},
            coders={c.id: c for c in s.coders},
            coder_id=s.coder.id,
            show_others=self.show_others,
        )

    def selected_annotation(self) -> AnnotationInfo | None:
        return self.annotations.get(self.selected_id) if self.selected_id is not None else None

    def hidden_count(self) -> int:
        return self.context().hidden_count(self.annotations.values())

    # --- opening --------------------------------------------------------------------------
    def open_document(self, document_id: int, span: tuple[int, int] | None = None) -> bool:
        if self.document is None or self.document.id != document_id:
            try:
                doc = load_document(self.session.store, document_id, self.session.coder.id)
            except NotFoundError as exc:
                self.session.failed.emit(str(exc))
                return False
            self.document = doc
            self.viewer.set_document(doc.text, doc.zones)
            self.header.set_document(doc)
            self._load_annotations()
            self.select_annotation(None)
            self.documentOpened.emit(doc)
            self.find_bar.refresh()
        if span is not None:
            self.viewer.select_span(*span)
            self.viewer.scroll_to_span(*span)
        return True

    def close_document(self) -> None:
        self.document = None
        self.annotations = {}
        self.viewer.set_document("", [])
        self.header.set_document(None)
        self.select_annotation(None)
        self.hiddenCountChanged.emit(0)
        self.documentOpened.emit(None)

    def reload(self, *, annotations: bool = True) -> None:
        """Re-read the open document's memo, and its annotations (coder switched, codebook edited)."""
        if self.document is None:
            return
        try:
            self.document = load_document(self.session.store, self.document.id, self.session.coder.id)
        except NotFoundError:
            self.close_document()
            return
        self.header.set_document(self.document)
        if not annotations:
            return
        self._load_annotations()
        if self.selected_id not in self.annotations:
            self.select_annotation(None)
        else:
            self.annotationSelected.emit(self.selected_annotation())

    def _load_annotations(self) -> None:
        assert self.document is not None
        found = list_annotations(self.session.store, self.document.id)
        self.annotations = {a.id: a for a in found}
        context = self.context()
        self.viewer.set_highlights(context.highlights(found))
        self.hiddenCountChanged.emit(context.hidden_count(found))

    def set_show_others(self, shown: bool) -> None:
        self.show_others = shown
        if self.document is not None:
            context = self.context()
            self.viewer.set_highlights(context.highlights(self.annotations.values()))
            self.hiddenCountChanged.emit(context.hidden_count(self.annotations.values()))
            selected = self.selected_annotation()
            if selected is not None and not context.visible(selected):
                self.select_annotation(None)

    # --- selection ------------------------------------------------------------------------
    def select_annotation(self, annotation_id: int | None) -> None:
        """Select a shown annotation (``None``, an unknown or a hidden one clears the selection)."""
        annotation = self.annotations.get(annotation_id) if annotation_id is not None else None
        if annotation is None or not self.context().visible(annotation):
            annotation_id = None
        self.selected_id = annotation_id
        self.viewer.set_selected_annotation(annotation_id)
        self.annotationSelected.emit(self.selected_annotation())

    # --- changes --------------------------------------------------------------------------
    def apply_change(self, change: Change) -> None:
        doc = self.document
        if doc is None:
            return
        if doc.id in change.documents_removed:
            self.close_document()
            return
        if change.codebook_changed:
            # Colours and names may differ, and undoing a delete restores rows it does not list.
            self.reload()
            return
        context = self.context()
        touched = False
        for annotation in (*change.annotations_added, *change.annotations_updated):
            if annotation.document_id != doc.id:
                continue
            touched = True
            self.annotations[annotation.id] = annotation
            if context.visible(annotation):
                self.viewer.add_highlight(context.highlight(annotation))
            else:
                self.viewer.remove_highlight(annotation.id)
        for annotation_id in change.annotations_removed:
            if self.annotations.pop(annotation_id, None) is not None:
                touched = True
                self.viewer.remove_highlight(annotation_id)
        if change.document_memo_changed == doc.id:
            self.reload(annotations=False)
        if touched:
            self.hiddenCountChanged.emit(context.hidden_count(self.annotations.values()))
            if self.selected_id is not None and self.selected_id not in self.annotations:
                self.select_annotation(None)
            elif self.selected_id is not None:
                self.viewer.set_selected_annotation(self.selected_id)
                self.annotationSelected.emit(self.selected_annotation())

    # --- actions --------------------------------------------------------------------------
    def edit_span(self, annotation_id: int, start: int, end: int) -> None:
        """Move an annotation's ends (dragged handles, or extend/shrink to the selection)."""
        store = self.session.store
        self.session.run(
            lambda: commands.edit_annotation(store, annotation_id, start=start, end=end, text="Edit span")
        )

    def set_document_memo(self, text: str) -> None:
        if self.document is None:
            return
        store, doc_id, coder = self.session.store, self.document.id, self.session.coder.name
        self.session.run(lambda: commands.set_document_memo(store, doc_id, coder, text))

    def ask_document_memo(self) -> None:
        if self.document is None:
            return
        text, ok = QInputDialog.getMultiLineText(
            self, "Document memo", f"Your memo on “{self.document.title}”:", self.document.memo
        )
        if ok and text != self.document.memo:
            self.set_document_memo(text)
