"""Side-by-side comparison of coders on one document, with adjudication of their disagreements.

Top: one lane per coder (``CoderLanes``). Left: the document text (``DocumentViewer``) with the
compared coders' annotations faint and the consensus in full colour. Right: the disagreements
of this document and the ``AdjudicationPanel``. Decisions go through the project session as
undoable commands, so Ctrl+Z here and in the main window undo the same history.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.services.adjudication import (
    Decision,
    DisagreementItem,
    adjudication_progress,
    list_disagreements,
)
from annotator.services.annotations import list_annotations
from annotator.services.changes import Change
from annotator.services.coders import ROLE_CONSENSUS
from annotator.services.commands import ResolveDisagreement
from annotator.services.documents import list_documents, load_document
from annotator.ui.plain import plain_label
from annotator.ui.session import ProjectSession
from annotator.ui.team.adjudication_panel import AdjudicationPanel
from annotator.ui.team.lane_model import lane_runs
from annotator.ui.team.lanes_widget import CoderLanes
from annotator.ui.viewer import DocumentViewer, Highlight

KEY_ROLE = Qt.ItemDataRole.UserRole


class ComparisonWindow(QDialog):
    def __init__(
        self, session: ProjectSession, coders: Sequence[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare coders and adjudicate")
        self.session = session
        self.requested_coders = tuple(coders)
        self.items: list[DisagreementItem] = []
        self.coders: tuple[str, ...] = ()
        self.current_key: tuple[int, str, int, int] | None = None
        self.stale = False
        self.document = QComboBox()
        for doc in list_documents(session.store):
            self.document.addItem(f"{doc.id}: {doc.title}", doc.id)
        self.code = QComboBox()
        self.code.addItem("All codes", None)
        for code in session.codes:
            self.code.addItem(code.path, code.id)
        self.coders_label = plain_label()
        self.lanes = CoderLanes()
        self.viewer = DocumentViewer()
        self.disagreements = QListWidget()
        self.panel = AdjudicationPanel(self.viewer.selected_span)
        self._build_layout()
        self.document.currentIndexChanged.connect(lambda _i: self.show_document())
        self.code.currentIndexChanged.connect(lambda _i: self.show_document())
        self.disagreements.currentItemChanged.connect(lambda item, _old: self._select(item))
        self.lanes.positionClicked.connect(self.jump_to)
        self.panel.decided.connect(self.decide)
        session.changed.connect(self._on_changed)
        session.failed.connect(self.panel.show_message)
        self._add_undo_actions()
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
        right_layout.addWidget(QLabel("Disagreements in this document"))
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

    def _add_undo_actions(self) -> None:
        # The dialog is its own window, so the main window's shortcuts do not reach it.
        for text, key, slot in (
            ("Undo", QKeySequence.StandardKey.Undo, self.session.undo),
            ("Redo", QKeySequence.StandardKey.Redo, self.session.redo),
        ):
            action = QAction(text, self)
            action.setShortcuts(QKeySequence.keyBindings(key))
            action.triggered.connect(lambda _c=False, step=slot: step())
            self.addAction(action)
        self.undo_action, self.redo_action = self.actions()[-2:]

    # --- data ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the disagreements (all documents, for the progress) and show the current one."""
        self.items = list_disagreements(self.session.store, self.requested_coders)
        if self.items:
            self.coders = tuple(self.items[0].versions)
        elif not self.coders:
            self.coders = tuple(c.name for c in self.session.coders if c.role != ROLE_CONSENSUS and c.count)
        self.coders_label.setText("Coders: " + (", ".join(self.coders) or "none"))
        self.panel.set_progress(*adjudication_progress(self.items))
        self.show_document()

    @property
    def document_id(self) -> int | None:
        data = self.document.currentData()
        return int(data) if data is not None else None

    def visible_items(self) -> list[DisagreementItem]:
        code_id = self.code.currentData()
        doc_id = self.document_id
        return [i for i in self.items if i.document_id == doc_id and code_id in (None, i.code_id)]

    def show_document(self) -> None:
        doc_id = self.document_id
        if doc_id is None:
            return
        if self.viewer.property("document_id") != doc_id:
            view = load_document(self.session.store, doc_id)
            self.viewer.set_document(view.text, view.zones)
            self.viewer.setProperty("document_id", doc_id)
        self._show_annotations(doc_id)
        self._fill_list()

    def _show_annotations(self, doc_id: int) -> None:
        names = {c.id: c for c in self.session.coders}
        code_id = self.code.currentData()
        shown = []
        for a in list_annotations(self.session.store, document_id=doc_id):
            coder = names.get(a.coder_id)
            if coder is None or (code_id is not None and a.code_id != code_id):
                continue
            consensus = coder.role == ROLE_CONSENSUS
            if consensus or coder.name in self.coders:
                code = self.session.code(a.code_id)
                shown.append((a, coder, code.path if code else ""))
        self.viewer.set_highlights(
            [
                Highlight(
                    a.id,
                    a.start,
                    a.end,
                    coder.colour,
                    path,
                    coder.name,
                    a.memo,
                    dimmed=coder.role != ROLE_CONSENSUS,
                )
                for a, coder, path in shown
            ]
        )
        spans = [(coder.name, a.code_id, a.start, a.end) for a, coder, _ in shown]
        colours = [(c.name, c.colour) for c in self.session.coders if c.name in self.coders]
        self.lanes.set_lanes(len(self.viewer.text()), colours, lane_runs(spans, self.coders, code_id))

    def _fill_list(self) -> None:
        keep = self.current_key
        self.disagreements.blockSignals(True)
        self.disagreements.clear()
        chosen: QListWidgetItem | None = None
        for item in self.visible_items():
            who = ", ".join(c for c, versions in item.versions.items() if versions)
            mark = "✓ " if item.resolved else "• "
            row = QListWidgetItem(f"{mark}{item.code_path}  [{item.start}, {item.end})  coded by {who}")
            row.setData(KEY_ROLE, item.key)
            row.setToolTip("resolved" if item.resolved else "open")
            self.disagreements.addItem(row)
            if item.key == keep:
                chosen = row
        self.disagreements.blockSignals(False)
        if chosen is not None:
            self.disagreements.setCurrentItem(chosen)
        else:
            self._select(None)

    def item_for(self, key: tuple[object, ...] | None) -> DisagreementItem | None:
        return next((i for i in self.items if i.key == key), None)

    # --- interaction ---------------------------------------------------------------------
    def _select(self, row: QListWidgetItem | None) -> None:
        key = tuple(row.data(KEY_ROLE)) if row is not None else None
        item = self.item_for(key)
        self.current_key = item.key if item else None
        self.panel.set_item(item, self.viewer.text())
        self.lanes.set_marked((item.start, item.end) if item else None)
        if item is not None:
            self.viewer.select_span(item.start, item.end)
            self.viewer.scroll_to_span(item.start, item.end)

    def select_row(self, index: int) -> None:
        self.disagreements.setCurrentRow(index)

    def jump_to(self, offset: int) -> None:
        for index, item in enumerate(self.visible_items()):
            if item.start <= offset < item.end:
                self.select_row(index)
                return
        self.viewer.scroll_to_span(offset, offset + 1)

    def decide(self, decision: Decision) -> None:
        item = self.item_for(self.current_key)
        if item is not None:
            self.session.run(lambda: ResolveDisagreement(self.session.store, item, decision))

    def _on_changed(self, change: Change) -> None:
        if change.touches_adjudication():
            if self.isVisible():
                self.reload()
            else:  # closed (hidden): catch up when shown again instead of on every edit
                self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.stale = False
            self.reload()
        super().showEvent(event)
