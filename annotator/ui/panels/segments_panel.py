"""The Segments panel: coded spans across the project, filtered by code, coder, document, attribute
and text. Double-clicking a row opens its document at the span.

The list is read a page (``LIMIT`` rows) at a time, the next page when the table is scrolled to
its end; the database answers the filters (the text one from its search index). A coding action
does not re-read it: the rows the ``Change`` names are removed, and the added ones read by id and
inserted in place. Changes the ``Change`` cannot describe row by row (imports, deleted works,
codebook edits, other processes) re-read the first page. The label says how many match in all,
which the export dialog writes in full. When the first page is full, that count is read off the
GUI thread (over a million segments it can take a second); the label says it is being counted
meanwhile, and a coding action during the count has it counted again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.validation import InvalidInputError
from annotator.services.changes import Change
from annotator.services.segments import (
    SegmentFilter,
    SegmentKey,
    SegmentRow,
    count_segments,
    list_segments,
)
from annotator.ui.models.segments_model import (
    COL_CODE,
    COL_CODER,
    COL_DOCUMENT,
    COL_MEMO,
    COL_TEXT,
    SegmentsModel,
    code_label,
)
from annotator.ui.plain import plain_label
from annotator.ui.session import ProjectSession
from annotator.ui.workers import run_in_background

LIMIT = 1000
REFRESH_MS = 120
ALL, CURRENT = -1, -2  # document combo data for "all documents" / "the open document"


class SegmentsPanel(QWidget):
    segmentActivated = Signal(object)  # SegmentRow

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.current_document_id: int | None = None
        self._values: dict[str, list[str]] = {}
        self._choices: tuple[object, ...] = ()  # what the combos were last filled with
        self._shown_filter: SegmentFilter | None = None  # the filter of the rows shown
        self.total: int | None = 0  # rows matching the filter, loaded or not (None: being counted)
        self._count_generation = 0  # which count's result is awaited
        self._count_stale = False  # rows changed while it ran: count again
        self.model = SegmentsModel(
            lambda code_id: c.colour if (c := session.code(code_id)) else None, self._next_page
        )
        self.code = QComboBox()
        self.coder = QComboBox()
        self.document = QComboBox()
        self.attribute_name = QComboBox()
        self.attribute_value = QComboBox()
        for combo in (self.code, self.coder, self.document, self.attribute_name, self.attribute_value):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(5)  # the row must not force the window wider
        self.text = QLineEdit()
        self.text.setPlaceholderText("Text or memo contains…")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(120)
        self.status = plain_label()  # errors quote what was typed
        self.status.setStyleSheet("color: palette(placeholder-text);")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_DOCUMENT, 150), (COL_CODE, 210), (COL_CODER, 80), (COL_MEMO, 200)):
            header.resizeSection(column, width)
        grid = QHBoxLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in (
            (self.code, 3),
            (self.coder, 2),
            (self.document, 3),
            (self.attribute_name, 2),
            (self.attribute_value, 2),
            (self.text, 4),
        ):
            grid.addWidget(widget, stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh_now)
        for combo in (self.code, self.coder, self.document, self.attribute_value):
            combo.currentIndexChanged.connect(self.schedule_refresh)
        self.attribute_name.currentIndexChanged.connect(self._attribute_chosen)
        self.text.textChanged.connect(self.schedule_refresh)
        self.table.doubleClicked.connect(self._activated)
        session.changed.connect(self._on_change)
        session.countsStale.connect(self._counts_stale)
        session.coderChanged.connect(lambda _coder: self._fill_choices())  # a new coder to filter by
        self._fill_choices()
        first = session.take_first_segments()  # read while the project opened: this unfiltered list
        if first is None:
            self.refresh_now()
        else:
            self._timer.stop()
            self._shown_filter = SegmentFilter()
            self._show_rows(first.rows, first.total)

    # --- choices --------------------------------------------------------------------------
    def _counts_stale(self) -> None:
        """Counts were re-read: the choices change only when they were re-read from the project
        (not when the session moved counts by the last actions' deltas: names stay the same)."""
        if self.session.last_deltas is None:
            self._fill_choices()

    def _fill_choices(self) -> None:
        """Fill the filter combos; only when what they list changed (counts change after every
        action, the lists seldom, and refilling 10,000 works' titles takes a long while)."""
        codes = [(code_label(c.path), c.path) for c in self.session.codes]
        coders = [(c.name, c.name) for c in self.session.coders]
        docs = self.session.documents
        documents = [("Open document", CURRENT)] + [(d.title, d.id) for d in docs]
        names = sorted({name for d in docs for name in d.attributes if name not in ("title", "url")})
        values = {
            name: sorted({v for d in docs for v in d.attributes.get(name, [])}, key=str.casefold)
            for name in names
        }
        choices = (codes, coders, documents, values)
        if choices == self._choices:
            return
        self._choices = choices
        before = self.current_filter()
        self._refill(self.code, "All codes", codes)
        self._refill(self.coder, "All coders", coders)
        self._refill(self.document, "All documents", documents)
        self._values = values
        self._refill(self.attribute_name, "Any attribute", [(n, n) for n in names])
        self._fill_attribute_values()
        if self.current_filter() != before:  # a chosen code, coder or work is gone
            self.schedule_refresh()

    def _attribute_chosen(self) -> None:
        self._fill_attribute_values()
        self.schedule_refresh()

    @staticmethod
    def _refill(combo: QComboBox, everything: str, items: Sequence[tuple[str, object]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for label, data in items:
            combo.addItem(label, data)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
        combo.blockSignals(False)

    def _fill_attribute_values(self) -> None:
        name = self.attribute_name.currentData()
        values = self._values.get(name, []) if name else []
        self._refill(self.attribute_value, "Any value", [(v, v) for v in values])
        self.attribute_value.setEnabled(bool(name))

    # --- filter ---------------------------------------------------------------------------
    def set_filter(
        self,
        *,
        code_path: str | None = None,
        coder: str | None = None,
        document: int | None = None,
        text: str | None = None,
    ) -> None:
        """Choose filter values programmatically (menus, tests); ``None`` leaves one as it is."""
        for combo, value in ((self.code, code_path), (self.coder, coder), (self.document, document)):
            if value is not None:
                combo.setCurrentIndex(max(0, combo.findData(value)))
        if text is not None:
            self.text.setText(text)

    def current_filter(self) -> SegmentFilter:
        document = self.document.currentData()
        if document == CURRENT:
            document = self.current_document_id if self.current_document_id is not None else 0
        name, value = self.attribute_name.currentData(), self.attribute_value.currentData()
        return SegmentFilter(
            code_paths=(self.code.currentData(),) if self.code.currentData() else (),
            coders=(self.coder.currentData(),) if self.coder.currentData() else (),
            document_ids=(int(document),) if document is not None else (),
            attributes=((name, value),) if name and value else (),
            text=self.text.text().strip(),
        )

    def set_current_document(self, document_id: int | None) -> None:
        self.current_document_id = document_id
        if self.document.currentData() == CURRENT:
            self.schedule_refresh()

    # --- refreshing -----------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.codebook_changed or change.coders_changed or change.touches_documents():
            self._fill_choices()
        if not (change.touches_annotations() or change.documents_edited):  # rows show titles
            return
        if self._timer.isActive() or not self._follow(change):
            self.schedule_refresh()

    def _follow(self, change: Change) -> bool:
        """Apply a change naming its rows to the rows shown; False when it needs a re-read."""
        rowwise = not (
            change.annotations_changed_in
            or change.documents_added
            or change.documents_removed
            or change.document_texts_changed
            or change.documents_edited
            or change.codebook_changed
            or change.everything
        )
        flt = self.current_filter()
        if not rowwise or flt != self._shown_filter:
            return False
        gone = [*change.annotations_removed, *(a.id for a in change.annotations_updated)]
        new = [a.id for a in (*change.annotations_added, *change.annotations_updated)]
        if gone and self.model.remove_ids(gone) < len(gone) and not self.model.complete:
            return False  # a removed row may be on a page not read yet: its count is unknown
        try:
            rows = list_segments(self.session.store, flt, None, annotation_ids=new) if new else []
        except InvalidInputError:
            return False
        for row in rows:
            if self.model.covers(row):
                self.model.insert_row(row)
        # Every row removed or added was loaded (or the list is complete): the count follows.
        if self.model.complete:
            self.total = self.model.rowCount()
        elif self.total is None:
            self._count_stale = True  # the count under way may have missed this action
        else:
            self.total = self.total - len(gone) + len(rows)
        self._show_status()
        return True

    def schedule_refresh(self) -> None:
        self._timer.start()

    def refresh_now(self) -> None:
        self._timer.stop()
        flt = self.current_filter()
        self._shown_filter = flt
        self._count_generation += 1  # a count still running is for an older list
        try:
            rows = [] if flt.document_ids == (0,) else list_segments(self.session.store, flt, LIMIT)
        except InvalidInputError as exc:
            self._shown_filter = None
            self.model.set_rows([])
            self.status.setText(str(exc))
            return
        if len(rows) < LIMIT:
            self._show_rows(rows, len(rows))
            return
        self._show_rows(rows, None)
        self._count(flt)

    def _count(self, flt: SegmentFilter) -> None:
        """Count the rows matching ``flt`` off the GUI thread; the label shows the count when done."""
        self._count_generation += 1
        generation = self._count_generation
        self._count_stale = False
        store = self.session.store
        run_in_background(
            lambda _worker: count_segments(store, flt),
            lambda total: self._counted(generation, flt, total),
            lambda message: self._count_failed(generation, message),
            owner=self,
        )

    def _counted(self, generation: int, flt: SegmentFilter, total: int) -> None:
        if generation != self._count_generation:
            return  # the list was read again since
        if self._count_stale:
            self._count(flt)
            return
        self.total = max(total, self.model.rowCount())
        self._show_status()

    def _count_failed(self, generation: int, message: str) -> None:
        if generation == self._count_generation:
            self.status.setText(f"{self.model.rowCount():,}+ segments (could not count them all: {message})")

    def _next_page(self, after: SegmentKey | None) -> tuple[list[SegmentRow], bool]:
        """The page after ``after`` (the model asks as the table reaches its last row)."""
        if self._shown_filter is None:
            return [], False
        try:
            rows = list_segments(self.session.store, self._shown_filter, LIMIT, after=after)
        except InvalidInputError:
            return [], False
        return rows, len(rows) >= LIMIT

    def _show_rows(self, rows: list[SegmentRow], total: int | None) -> None:
        self.total = total
        self.model.set_rows(rows, more=len(rows) < total if total is not None else len(rows) >= LIMIT)
        self._show_status()

    def _show_status(self) -> None:
        total, shown = self.total, self.model.rowCount()
        if total is None:
            self.status.setText(f"{shown:,}+ segments (counting…; scroll down for more)")
            return
        counted = f"{total} segment{'s' if total != 1 else ''}"
        self.status.setText(
            counted if shown >= total else f"{counted} (scroll down for more; export writes all)"
        )

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.segmentActivated.emit(row)

    def rows(self) -> list[SegmentRow]:
        return self.model.rows()
