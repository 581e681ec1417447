"""The centre of the window: the open document with its header, find bar and highlights.

It keeps the open document's annotations as lean ``HighlightRow`` tuples (a work with 100k
annotations opens without building 100k objects twice), makes an ``AnnotationInfo`` only for the
one a researcher selects, and turns each ``Change`` into single highlight edits, so coding a span
repaints one highlight, not the document. Which annotation is selected is the viewer's to keep
(it paints the selection); the pane reads it from there and announces it as ``annotationSelected``.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from annotator.core.gc_pause import gc_paused
from annotator.core.types import AnnotationInfo, DocumentView
from annotator.services import commands
from annotator.services.changes import Change
from annotator.services.documents import load_document
from annotator.services.errors import NotFoundError
from annotator.services.highlights import HighlightRow, highlight_rows
from annotator.ui.counts import VisibleCounts
from annotator.ui.document_header import DocumentHeader
from annotator.ui.find_bar import FindBar
from annotator.ui.highlights import HighlightContext
from annotator.ui.plain import ask_multiline_text
from annotator.ui.session import ProjectSession
from annotator.ui.viewer import DocumentViewer

# Annotations starting in this many first code points are read before a work's first paint: more
# than a large window shows at the smallest font, and few enough rows to read in milliseconds.
PREVIEW_CHARS = 20_000


class DocumentPane(QWidget):
    documentOpened = Signal(object)  # DocumentView | None
    annotationSelected = Signal(object)  # AnnotationInfo | None
    hiddenCountChanged = Signal(int)  # other coders' annotations in this document not shown
    message = Signal(str)  # what a document action did, for the status bar

    def __init__(
        self, session: ProjectSession, show_others: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.show_others = show_others
        # Made before the panels, so it hears of new counts first; they count what is shown here.
        self.counts = VisibleCounts(session, show_others, self)
        self.document: DocumentView | None = None
        self._rows: dict[int, HighlightRow] = {}  # the open document's annotations by id
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
        self.viewer.selectedAnnotationChanged.connect(self._selection_changed)
        self.viewer.spanEditRequested.connect(self.edit_span)
        self._rest = QTimer(self)  # reads the rest of a long work's annotations after its first paint
        self._rest.setSingleShot(True)
        self._rest.setInterval(0)
        self._rest.timeout.connect(self._load_rest)
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

    def has_annotation(self, annotation_id: int) -> bool:
        return annotation_id in self._rows

    def annotation(self, annotation_id: int | None) -> AnnotationInfo | None:
        """The open document's annotation ``annotation_id`` (its quote sliced from the text)."""
        row = self._rows.get(annotation_id) if annotation_id is not None else None
        if row is None or self.document is None:
            return None
        aid, start, end, code_id, coder_id, memo = row
        quote = self.document.text[start:end]
        return AnnotationInfo(aid, self.document.id, start, end, code_id, coder_id, memo, quote)

    def selected_annotation(self) -> AnnotationInfo | None:
        """The annotation selected in the viewer (its one owner), if any."""
        return self.annotation(self.viewer.selected_annotation_id)

    def hidden_count(self) -> int:
        return self.context().hidden_count(self._rows.values())

    # --- opening --------------------------------------------------------------------------
    def open_document(self, document_id: int, span: tuple[int, int] | None = None) -> bool:
        # A long work brings tens of thousands of small objects (zones, display blocks, rows): the
        # collector's scans of them (20–35 ms for a 20 MB work) would come before the first paint.
        with gc_paused():
            return self._open_document(document_id, span)

    def _open_document(self, document_id: int, span: tuple[int, int] | None) -> bool:
        if self.document is None or self.document.id != document_id:
            first = self.session.take_first_document(document_id)  # read while the project opened
            try:
                doc = (
                    first.view
                    if first
                    else load_document(self.session.store, document_id, self.session.coder.id)
                )
            except NotFoundError as exc:
                self.session.failed.emit(str(exc))
                return False
            # Leave the selection while the old document is still the one shown (the annotation
            # panel may save a memo on leaving).
            self.select_annotation(None)
            self.document = doc
            self.viewer.set_document(doc.text, doc.zones)
            self.header.set_document(doc)
            # Opening at the top: paint the first screen's highlights now, the rest just after.
            self._load_annotations(first_screen=span is None, rows=first.rows if first else None)
            self.documentOpened.emit(doc)
            self.find_bar.refresh()
        if span is not None:
            self.viewer.select_span(*span)
            self.viewer.scroll_to_span(*span)
        return True

    def close_document(self) -> None:
        self._rest.stop()
        self.select_annotation(None)
        self.document = None
        self._rows = {}
        self.viewer.set_document("", [])
        self.header.set_document(None)
        self.hiddenCountChanged.emit(0)
        self.documentOpened.emit(None)

    def reload(self, *, annotations: bool = True) -> None:
        """Re-read the open document's memo, and its annotations (coder switched, codebook edited)."""
        if self.document is None:
            return
        shown = self.document.text_hash
        try:
            self.document = load_document(self.session.store, self.document.id, self.session.coder.id)
        except NotFoundError:
            self.close_document()
            return
        if self.document.text_hash != shown:  # an updated work (or its undo): show the other version
            self.viewer.set_document(self.document.text, self.document.zones)
            annotations = True
        self.header.set_document(self.document)
        if not annotations:
            return
        self._load_annotations()  # the viewer drops a selection it no longer shows
        if self.viewer.selected_annotation_id is not None:
            self.annotationSelected.emit(self.selected_annotation())

    def _load_annotations(
        self, *, first_screen: bool = False, rows: list[HighlightRow] | None = None
    ) -> None:
        """Read and show the open document's annotations (all of them given as ``rows``: no read).

        With ``first_screen`` and a long work, only those starting in its first ``PREVIEW_CHARS``
        are read now (every highlight the first paint can show); the rest follow on the next
        turn of the event loop, so a work with 100k annotations paints at once.
        """
        assert self.document is not None
        self._rest.stop()
        partial = rows is None and first_screen and len(self.document.text) > PREVIEW_CHARS
        with gc_paused():  # ~300k tuples, no cycles: collector scans would double the time
            if rows is None:
                rows = highlight_rows(
                    self.session.store, self.document.id, starts_before=PREVIEW_CHARS if partial else None
                )
            self._rows = {row[0]: row for row in rows}
            context = self.context()
            self.viewer.set_highlights(context.highlights(rows))
        if partial:
            self._rest.start()
        else:
            self.hiddenCountChanged.emit(context.hidden_count(rows))

    def is_fully_loaded(self) -> bool:
        """True once every annotation of the open document is read (not only the first screen's)."""
        return not self._rest.isActive()

    def _load_rest(self) -> None:
        if self.document is not None:
            self._load_annotations()

    def set_show_others(self, shown: bool) -> None:
        self.show_others = shown
        self.counts.set_show_others(shown)
        if self.document is not None:
            context = self.context()
            self.viewer.set_highlights(context.highlights(self._rows.values()))
            self.hiddenCountChanged.emit(context.hidden_count(self._rows.values()))

    # --- selection ------------------------------------------------------------------------
    def select_annotation(self, annotation_id: int | None) -> None:
        """Select a shown annotation (``None``, an unknown or a hidden one clears the selection)."""
        self.viewer.set_selected_annotation(annotation_id)

    def _selection_changed(self, annotation_id: int | None) -> None:
        self.annotationSelected.emit(self.annotation(annotation_id))

    # --- changes --------------------------------------------------------------------------
    def apply_change(self, change: Change) -> None:
        doc = self.document
        if doc is None:
            return
        if doc.id in change.documents_removed:
            self.close_document()
            return
        if change.codebook_changed or change.everything or doc.id in change.annotations_changed_in:
            # Colours and names may differ; another process's change names no rows.
            self.reload()
            return
        context = self.context()
        touched = False
        for annotation in (*change.annotations_added, *change.annotations_updated):
            if annotation.document_id != doc.id:
                continue
            touched = True
            a = annotation
            self._rows[a.id] = (a.id, a.start, a.end, a.code_id, a.coder_id, a.memo)
            if context.visible(annotation):
                self.viewer.add_highlight(context.highlight(annotation))
            else:
                self.viewer.remove_highlight(annotation.id)
        for annotation_id in change.annotations_removed:
            if self._rows.pop(annotation_id, None) is not None:
                touched = True
                self.viewer.remove_highlight(annotation_id)
        if doc.id in change.document_memos_changed or doc.id in change.documents_edited:
            self.reload(annotations=False)
        if touched:
            self.hiddenCountChanged.emit(context.hidden_count(self._rows.values()))
            if self.viewer.selected_annotation_id is not None:  # still shown: show its new state
                self.annotationSelected.emit(self.selected_annotation())

    # --- actions --------------------------------------------------------------------------
    def edit_span(self, annotation_id: int, start: int, end: int) -> None:
        """Move an annotation's ends (dragged handles, or extend/shrink to the selection)."""
        store = self.session.store
        self.session.run(
            lambda: commands.EditAnnotation(store, annotation_id, start=start, end=end, text="Edit span")
        )

    def set_document_memo(self, text: str) -> None:
        if self.document is None:
            return
        store, doc_id, coder = self.session.store, self.document.id, self.session.coder.name
        if self.session.run(lambda: commands.SetDocumentMemo(store, doc_id, coder, text)) is not None:
            self.message.emit("Document memo saved." if text.strip() else "Document memo cleared.")

    def ask_document_memo(self) -> None:
        if self.document is None:
            return
        text = ask_multiline_text(
            self, "Document memo", f"Your memo on “{self.document.title}”:", self.document.memo
        )
        if text is not None and text != self.document.memo:
            self.set_document_memo(text)
