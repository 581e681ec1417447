"""Side-by-side comparison of coders on one document, with adjudication of their disagreements.

Top: one lane per coder (``CoderLanes``). Left: the document text (``DocumentViewer``) with the
compared coders' annotations faint and the consensus in full colour. Right: the disagreements
of this document (and code, if one is chosen) and the ``AdjudicationPanel``. Decisions go
through the project session as undoable commands, so Ctrl+Z here and in the main window undo
the same history.

"N of M resolved" counts the listed disagreements (M = the rows of the list); the project-wide
figure follows, named as such, when it differs. Keys: 1–9 accept that coder's version (the
lanes' order; only a coder who coded the disagreement has a version), A accept all, S new span
from the selection, N neither, J/K or Down/Up next/previous. After a decision the next open
disagreement is selected; after an undo, the disagreement it changed.

A decision's ``Change`` names its region: only that region is re-read, its rows change in
place, and only the named consensus highlights come and go; any other change re-reads it all.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook import display_path
from annotator.core.types import AnnotationInfo, CoderInfo
from annotator.services.adjudication import Decision, DisagreementItem, list_disagreements
from annotator.services.adjudication_regions import DisagreementBook, disagreements_in_region
from annotator.services.annotations import list_annotations
from annotator.services.changes import Change
from annotator.services.coders import ROLE_CONSENSUS
from annotator.services.commands import ResolveDisagreement
from annotator.services.documents import list_documents, load_document
from annotator.ui.plain import plain_label
from annotator.ui.session import ProjectSession
from annotator.ui.team.adjudication_panel import AdjudicationPanel
from annotator.ui.team.disagreement_model import DisagreementModel, only_decisions
from annotator.ui.team.lane_model import lane_runs
from annotator.ui.team.lanes_widget import CoderLanes
from annotator.ui.team.selection_guard import FreshSelection
from annotator.ui.viewer import DocumentViewer, Highlight


class ComparisonWindow(QDialog):
    def __init__(
        self, session: ProjectSession, coders: Sequence[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare coders and adjudicate")
        self.session = session
        self.requested_coders = tuple(coders)
        self.book = DisagreementBook()
        self.coders: tuple[str, ...] = ()
        self.current_key: tuple[int, str, int, int] | None = None
        self.stale = False
        self._coders_by_id: dict[int, CoderInfo] = {}
        self.document = QComboBox()
        for doc in list_documents(session.store):
            self.document.addItem(f"{doc.id}: {doc.title}", doc.id)
        self.code = QComboBox()
        self.code.addItem("All codes", None)
        for code in session.codes:
            self.code.addItem(display_path(code.path), code.id)
        self.coders_label = plain_label()
        self.list_label = plain_label()
        self.lanes = CoderLanes()
        self.viewer = DocumentViewer()
        self.fresh_selection = FreshSelection(self.viewer)
        self.model = DisagreementModel()
        self.disagreements = QListView()
        self.disagreements.setModel(self.model)
        self.disagreements.setUniformItemSizes(True)  # 70k rows lay out without measuring each
        self.disagreements.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.panel = AdjudicationPanel(self.viewer.selected_span)
        self._build_layout()
        self.document.currentIndexChanged.connect(lambda _i: self.show_document())
        self.code.currentIndexChanged.connect(lambda _i: self.show_document())
        self.disagreements.selectionModel().currentRowChanged.connect(
            lambda now, _old: self._select(now.row())
        )
        self.lanes.positionClicked.connect(self.jump_to)
        self.panel.decided.connect(self.decide)
        session.changed.connect(self._on_changed)
        session.failed.connect(self.panel.show_message)
        self._add_actions()
        self.disagreements.setFocus()  # keys move through the list and decide from the start
        self.resize(1300, 850)
        self.reload()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        for label, widget in (("Document", self.document), ("Code", self.code)):
            top.addWidget(QLabel(label))
            top.addWidget(widget, 1)
        top.addWidget(self.coders_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.list_label)
        right_layout.addWidget(self.disagreements, 1)
        right_layout.addWidget(self.panel)
        splitter = QSplitter()
        splitter.addWidget(self.viewer)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.lanes)
        layout.addWidget(splitter, 1)

    def _add_actions(self) -> None:
        # The dialog is its own window, so the main window's shortcuts do not reach it.
        for text, keys, slot in (
            ("Undo", QKeySequence.keyBindings(QKeySequence.StandardKey.Undo), self.session.undo),
            ("Redo", QKeySequence.keyBindings(QKeySequence.StandardKey.Redo), self.session.redo),
            ("Next disagreement", [QKeySequence("J")], lambda: self.step(1)),
            ("Previous disagreement", [QKeySequence("K")], lambda: self.step(-1)),
        ):
            action = QAction(text, self)
            action.setShortcuts(keys)
            action.triggered.connect(lambda _c=False, run=slot: run())
            self.addAction(action)
        self.undo_action, self.redo_action = self.actions()[:2]

    # --- data ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read every disagreement (all documents, for the progress) and show the current one."""
        self.book = DisagreementBook(list_disagreements(self.session.store, self.requested_coders))
        self.coders = self.book.first_coders() or self.coders
        if not self.coders:
            self.coders = tuple(c.name for c in self.session.coders if c.role != ROLE_CONSENSUS and c.count)
        self.coders_label.setText("Coders: " + (", ".join(self.coders) or "none"))
        self.viewer.setProperty("document_id", None)
        self.show_document()

    @property
    def document_id(self) -> int | None:
        data = self.document.currentData()
        return int(data) if data is not None else None

    def show_document(self) -> None:
        doc_id = self.document_id
        if doc_id is None:
            return
        if self.viewer.property("document_id") != doc_id:
            view = load_document(self.session.store, doc_id)
            self.viewer.set_document(view.text, view.zones)
            self.viewer.setProperty("document_id", doc_id)
        self._show_annotations(doc_id)
        code_id = self.code.currentData()
        keep = self.current_key
        self.model.set_items(self.book.in_document(doc_id, code_id), code_id)
        self._update_progress()
        row = self.model.row_of(keep)
        if row < 0 and self.model.rowCount():  # a new list starts at its first open disagreement
            row = max(0, self.model.next_open_row(-1))
        self.select_row(row)

    def _highlight(self, a: AnnotationInfo) -> Highlight | None:
        """The viewer's highlight for ``a``, if this window shows it (a compared coder or the consensus)."""
        coder = self._coders_by_id.get(a.coder_id)
        code_id = self.code.currentData()
        if coder is None or (code_id is not None and a.code_id != code_id):
            return None
        if coder.role != ROLE_CONSENSUS and coder.name not in self.coders:
            return None
        code = self.session.code(a.code_id)
        path = display_path(code.path) if code else ""
        return Highlight(
            a.id, a.start, a.end, coder.colour, path, coder.name, a.memo, dimmed=coder.role != ROLE_CONSENSUS
        )

    def _show_annotations(self, doc_id: int) -> None:
        self._coders_by_id = {c.id: c for c in self.session.coders}
        shown = [
            (a, h)
            for a in list_annotations(self.session.store, document_id=doc_id)
            if (h := self._highlight(a)) is not None
        ]
        self.viewer.set_highlights([h for _, h in shown])
        spans = [(h.coder_name, a.code_id, a.start, a.end) for a, h in shown]
        colours = [(c.name, c.colour) for c in self.session.coders if c.name in self.coders]
        code_id = self.code.currentData()
        self.lanes.set_lanes(len(self.viewer.text()), colours, lane_runs(spans, self.coders, code_id))

    def _update_progress(self) -> None:
        shown = self.model.rowCount()
        self.list_label.setText(f"Disagreements in this document: {shown:,}")
        self.panel.set_progress(self.model.resolved, shown, self.book.resolved, self.book.total)

    def item_for(self, key: tuple[object, ...] | None) -> DisagreementItem | None:
        row = self.model.row_of(key)  # type: ignore[arg-type]
        return self.model.items[row] if row >= 0 else None

    # --- interaction ---------------------------------------------------------------------
    def _select(self, row: int) -> None:
        item = self.model.items[row] if 0 <= row < len(self.model.items) else None
        self.current_key = item.key if item else None
        self.panel.set_item(item, self.viewer.text(), self.coders)
        self.lanes.set_marked((item.start, item.end) if item else None)
        if item is not None:
            self.viewer.select_span(item.start, item.end)
            self.viewer.scroll_to_span(item.start, item.end)

    def select_row(self, row: int) -> None:
        """Make ``row`` current (-1: none) and show it, even if it already was."""
        index = self.model.index(row) if row >= 0 else QModelIndex()
        selection = self.disagreements.selectionModel()
        if index == self.disagreements.currentIndex():
            self._select(row)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def step(self, direction: int) -> None:
        """J/K: the next or previous disagreement in the list."""
        count = self.model.rowCount()
        if count:
            row = self.disagreements.currentIndex().row()
            self.select_row(max(0, min(count - 1, row + direction)) if row >= 0 else 0)

    def jump_to(self, offset: int) -> None:
        for index, item in enumerate(self.model.items):
            if item.start <= offset < item.end:
                self.select_row(index)
                return
        self.viewer.scroll_to_span(offset, offset + 1)

    def decide(self, decision: Decision) -> None:
        """Record ``decision`` on the current disagreement, then move on to the next open one."""
        item = self.item_for(self.current_key)
        if item is None:
            return
        if self.session.run(lambda: ResolveDisagreement(self.session.store, item, decision), self) is None:
            return  # refused: the panel shows why, and the selection stays
        row = self.model.row_of(item.key)
        following = self.model.next_open_row(row)
        self.select_row(following if following >= 0 else row)
        if following < 0:
            self.panel.show_message("Every disagreement in this list is resolved.")

    def _on_changed(self, change: Change, initiator: object = None) -> None:
        if not change.touches_adjudication():
            return
        if not self.isVisible():  # closed (hidden): catch up when shown again instead of on every edit
            self.stale = True
        elif only_decisions(change, {c.id for c in self.session.coders if c.role == ROLE_CONSENSUS}):
            self._apply_decisions(change, follow=initiator is not self)
        else:
            self.reload()

    def _apply_decisions(self, change: Change, *, follow: bool) -> None:
        """Re-read only the decided regions; add and remove only the consensus highlights named.

        ``follow``: an undo or redo (not this window's own decision, which moves on by itself)
        selects the disagreement it changed, so the researcher sees what came back."""
        if change.coders_changed:  # the consensus coder was just created: learn its colour
            self._coders_by_id = {c.id: c for c in self.session.coders}
        doc_id = self.document_id
        changed_here: list[DisagreementItem] = []
        for region_doc, code_id, start, end in change.adjudicated_regions:
            code = self.session.code(code_id)
            region = disagreements_in_region(
                self.session.store, self.coders, region_doc, code_id, start, end, code.path if code else ""
            )
            self.book.replace(region)
            if region_doc == doc_id:
                self.model.replace_region(region)
                changed_here += region.items
        for removed in change.annotations_removed:
            self.viewer.remove_highlight(removed)
        for added in change.annotations_added:
            highlight = self._highlight(added) if added.document_id == doc_id else None
            if highlight is not None:
                self.viewer.add_highlight(highlight)
        self._update_progress()
        if not follow:
            return  # this window's own decision: ``decide`` moves on to the next one
        target = changed_here[0].key if changed_here else self.current_key
        row = self.model.row_of(target)
        if row >= 0 and target != self.current_key:
            self.select_row(row)
        elif row >= 0:  # the same disagreement, another state: refresh the panel, keep the view
            self.panel.set_item(self.model.items[row], self.viewer.text(), self.coders)

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.stale = False
            self.reload()
        super().showEvent(event)
