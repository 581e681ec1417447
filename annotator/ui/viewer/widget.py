"""``DocumentViewer``: a read-only view of one document with annotation highlights.

Built on ``QPlainTextEdit`` (lays out only visible blocks) fed with display blocks (run-on lines
broken into blocks of bounded length, ``core.display``, offsets mapped by its ``DisplayMap``;
shown as continuing lines with a faint return mark, never as paragraphs, and copied as the work
has them: ``soft_breaks``), loaded progressively:
``set_document`` shows the first chunk and the rest follows from a zero-timer
(``is_fully_loaded``, ``fullyLoaded``); anything that needs a later position loads up to it
first. Highlights are painted per paint for the
visible range only; nothing here does work proportional to the document or the number of
annotations per paint or per click. Offsets in the API are code points of the stored text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFontMetricsF,
    QGuiApplication,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.core.display import DisplayMap
from annotator.core.types import ZoneSpec
from annotator.ui.viewer.find import FindMatches, find_all
from annotator.ui.viewer.geometry import VisibleLines
from annotator.ui.viewer.highlight import Highlight, HighlightSet
from annotator.ui.viewer.interaction import tooltip_html
from annotator.ui.viewer.layout import Column, lay_out_block, needs_layout
from annotator.ui.viewer.loading import IdleSteps, ProgressiveLoader, needs_whole_text
from annotator.ui.viewer.margin import GUTTER, paint_lane_bars
from annotator.ui.viewer.mouse import MouseController
from annotator.ui.viewer.painter import PaintPlan, handle_rects, paint_over, paint_under
from annotator.ui.viewer.plan import place_highlights, place_matches, visible_lines
from annotator.ui.viewer.scrolling import centring_line
from annotator.ui.viewer.selection import copying_menu, snapped, snaps, span_of
from annotator.ui.viewer.soft_breaks import (
    display_break_lines,
    explanation_at,
    joins_previous,
    mark_rect,
    paint_display_breaks,
)
from annotator.ui.viewer.zones import label_font, story_font


class DocumentViewer(QPlainTextEdit):
    """Shows a document's text, zones, highlights and find matches; emits what the user does."""

    annotationClicked = Signal(int)
    selectedAnnotationChanged = Signal(object)  # int | None; the viewer is the selection's one owner
    spanEditRequested = Signal(int, int, int)
    selectionSpanChanged = Signal(int, int)
    currentMatchChanged = Signal(int, int)
    fullyLoaded = Signal()  # the whole text is in the document (also during a quick set_document)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setMouseTracking(True)
        self.setCursorWidth(0)  # a viewer: no caret
        # Lets the last lines scroll up to mid-viewport, and keeps the scroll range simple
        # (line count) while block heights are still being learnt lazily.
        self.setCenterOnScroll(True)
        self.document().setUndoRedoEnabled(False)
        self.document().setDocumentMargin(0)
        self.setFont(story_font())
        self._label_font = label_font(self.font())
        self._text = ""
        self._offsets = DisplayMap("")
        self._labels: dict[int, str] = {}
        self._highlights = HighlightSet()
        self._find = FindMatches()
        self._selected_id: int | None = None
        self._mouse = MouseController(self)
        self._last_selection = (0, 0)
        self.snap_to_words = True  # a mouse selection grows to whole words (Alt: as dragged)
        self._plan: PaintPlan | None = None
        self._column = Column.for_font(self.font(), self.viewport().width(), GUTTER)
        self._loader = ProgressiveLoader(self)
        self._loader.finished.connect(self.fullyLoaded)
        self._idle = IdleSteps(self)
        self.selectionChanged.connect(self._on_selection_changed)

    # --- document -------------------------------------------------------------------------
    def set_document(self, text: str, zones: Sequence[ZoneSpec] = ()) -> None:
        """Show ``text`` (stored form) styled by ``zones``; clears highlights and matches.

        Only the start is in the document on return; the rest loads in the background.
        """
        self._text = text
        self._offsets = DisplayMap(text)
        self._highlights = HighlightSet()
        self._idle.run([])
        self._find.set([])
        self._set_selected(None)
        self._mouse.drag = None
        self._plan = None
        em = QFontMetricsF(self.font()).height()
        self._labels = self._loader.start(text, zones, self._offsets, em)

    def is_fully_loaded(self) -> bool:
        """True once the whole text is in the document (``fullyLoaded`` was emitted)."""
        return self._loader.is_done()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_text()
            event.accept()
            return
        if needs_whole_text(event):
            self._loader.load_all()
        super().keyPressEvent(event)

    def text(self) -> str:
        return self._text

    @property
    def display_map(self) -> DisplayMap:
        """Stored offsets to shown ones (and which shown line ends the viewer inserted)."""
        return self._offsets

    # --- highlights -----------------------------------------------------------------------
    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self._highlights = HighlightSet(highlights)
        if self._selected_id is not None and self._highlights.get(self._selected_id) is None:
            self._set_selected(None)
        self.viewport().update()
        # Sorting and the id map while idle, one piece per event, so the first paint is early.
        self._idle.run(self._highlights.warm_up_steps())

    def add_highlight(self, highlight: Highlight) -> None:
        self._highlights.add(highlight)
        self.viewport().update()

    def update_highlight(self, highlight: Highlight) -> None:
        self.add_highlight(highlight)

    def remove_highlight(self, annotation_id: int) -> None:
        if self._highlights.remove(annotation_id) is not None:
            if self._selected_id == annotation_id:
                self._set_selected(None)
            self.viewport().update()

    def highlight(self, annotation_id: int) -> Highlight | None:
        return self._highlights.get(annotation_id)

    # --- selected annotation --------------------------------------------------------------
    @property
    def selected_annotation_id(self) -> int | None:
        """The annotation whose highlight is selected (handles shown), if any."""
        return self._selected_id

    def set_selected_annotation(self, annotation_id: int | None) -> None:
        """Select a shown highlight's annotation; ``None`` or one not shown clears the selection."""
        if annotation_id is not None and self._highlights.get(annotation_id) is None:
            annotation_id = None
        self._set_selected(annotation_id)

    def _set_selected(self, annotation_id: int | None) -> None:
        if annotation_id != self._selected_id:
            self._selected_id = annotation_id
            self.viewport().update()
            self.selectedAnnotationChanged.emit(annotation_id)

    # --- selection ------------------------------------------------------------------------
    def selected_span(self) -> tuple[int, int] | None:
        """The text selection in code points; never splits a surrogate pair."""
        return span_of(self.textCursor(), self._offsets)

    def selected_text(self) -> str:
        span = self.selected_span()
        return self._text[span[0] : span[1]] if span else ""

    def copy_text(self) -> None:
        """Copy the selection as the work has it: a display break goes back to being its space.

        Through ``QClipboard.setText``, whose data Qt makes and frees; mime data made in Python
        and left in the clipboard is freed again after Python has gone (a crash on quitting).
        """
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = copying_menu(self.createStandardContextMenu(event.pos()), self.copy_text)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def select_span(self, start: int, end: int) -> None:
        self._loader.ensure(max(start, end))
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_utf16(start))
        cursor.setPosition(self._offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def scroll_to_span(self, start: int, end: int) -> None:
        """Scroll so that the start of ``[start, end)`` is centred vertically."""
        self._loader.ensure(max(start, end))
        position = self._offsets.to_utf16(min(start, len(self._text)))
        self.verticalScrollBar().setValue(centring_line(self, position, self._ensure_layout))

    def _on_selection_changed(self) -> None:
        caret = self._offsets.to_code_point(self.textCursor().position())
        span = self.selected_span() or (caret, caret)
        if span != self._last_selection:
            self._last_selection = span
            self.selectionSpanChanged.emit(*span)

    # --- find -----------------------------------------------------------------------------
    def find_all(self, query: str, case_sensitive: bool = False) -> list[tuple[int, int]]:
        return find_all(self._text, query, case_sensitive)

    def set_find_matches(self, matches: Sequence[tuple[int, int]]) -> None:
        self._find.set(list(matches))
        self.viewport().update()

    def find_next(self) -> tuple[int, int] | None:
        return self._step_match(True)

    def find_previous(self) -> tuple[int, int] | None:
        return self._step_match(False)

    def current_match(self) -> tuple[int, int] | None:
        return self._find.current_span()

    def _step_match(self, forward: bool) -> tuple[int, int] | None:
        span = self._find.step(forward)
        if span is not None:
            self.scroll_to_span(*span)
            self.currentMatchChanged.emit(self._find.current, len(self._find.spans))
            self.viewport().update()
        return span

    # --- layout and painting --------------------------------------------------------------
    def _ensure_layout(self, block: QTextBlock) -> None:
        if not needs_layout(block.layout()):
            return
        joined = joins_previous(block, self._text, self._offsets)
        if lay_out_block(block, self._column, joined):
            # As QPlainTextDocumentLayout does when a block's line count changes.
            layout = self.document().documentLayout()
            layout.documentSizeChanged.emit(layout.documentSize())

    def _visible_lines(self) -> VisibleLines:
        return visible_lines(self, self._ensure_layout)

    def _make_plan(self, visible: VisibleLines) -> PaintPlan:
        plan = PaintPlan(
            visible,
            self.palette(),
            self._column.left,
            self._column.left + self._column.width,
            labels=self._labels,
            label_font=self._label_font,
        )
        drag = self._mouse.drag
        place_highlights(plan, self._offsets, self._highlights, self._selected_id, drag)
        place_matches(plan, self._offsets, self._find)
        plan.display_breaks = display_break_lines(visible, self._text, self._offsets)
        return plan

    def span_rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles covering the visible part of code-point span ``[start, end)``."""
        self._loader.ensure(end)
        omap = self._offsets
        return self._visible_lines().rects(omap.to_utf16(start), omap.to_utf16(end))

    def paintEvent(self, event: QPaintEvent) -> None:
        plan = self._make_plan(self._visible_lines())
        self._plan = plan
        painter = QPainter(self.viewport())
        paint_under(painter, plan)
        painter.end()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_lane_bars(painter, plan)
        paint_display_breaks(painter, plan.display_breaks, plan.palette)
        paint_over(painter, plan)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        column = Column.for_font(self.font(), self.viewport().width(), GUTTER)
        if column != self._column:
            self._column = column
            self.document().markContentsDirty(0, self.document().characterCount())

    # --- mouse ----------------------------------------------------------------------------
    def display_break_marks(self) -> list[QRectF]:
        """Where the return marks of the visible display breaks were last painted."""
        plan = self._plan
        return [] if plan is None else [mark_rect(box) for box in plan.display_breaks]

    def handle_rects(self) -> tuple[QRectF, QRectF] | None:
        """Grab areas of the selected annotation's handles, as last painted."""
        plan = self._plan
        return None if plan is None or plan.selected is None else handle_rects(plan.selected)

    def position_at(self, point: QPointF) -> int:
        """Code-point cursor position (between characters) nearest viewport ``point``."""
        return self._offsets.to_code_point(self.cursorForPosition(point.toPoint()).position())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._mouse.press(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._mouse.move(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._mouse.release(event):
            super().mouseReleaseEvent(event)
            self._mouse.after_release(event)
            whole_words = snapped(self.textCursor(), self._text, self._offsets)
            if whole_words is not None and snaps(event, self.snap_to_words):
                self.setTextCursor(whole_words)

    def highlights_at(self, point: QPointF) -> list[Highlight]:
        """Highlights under viewport ``point``, innermost first."""
        plan = self._plan
        position = plan.visible.character_at(point) if plan is not None else None
        if position is None:
            return []
        return self._highlights.at(self._offsets.to_code_point(position))

    def tooltip_text_at(self, point: QPointF) -> str:
        """Rich text naming code, coder and memo of each highlight under ``point``.

        On the return mark of a display break, what the mark means.
        """
        plan = self._plan
        explanation = explanation_at(plan.display_breaks, point) if plan is not None else ""
        return explanation or tooltip_html(self.highlights_at(point))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._mouse.show_tooltip(event)
            return True
        return super().viewportEvent(event)
