"""Mouse handling for the viewer: clicking highlights, dragging the selected one's handles.

The viewer forwards its mouse events here; a method returns True when it consumed the event
(Qt's own text selection then does not see it). The controller sees the viewer only through
``MouseTarget``, the few things it asks of it.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, Qt, SignalInstance
from PySide6.QtGui import QHelpEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from annotator.ui.viewer.highlight import Highlight
from annotator.ui.viewer.interaction import ClickCycler, HandleDrag


class MouseTarget(Protocol):
    """What the mouse controller needs of the viewer (``DocumentViewer`` provides it)."""

    @property
    def annotationClicked(self) -> SignalInstance: ...

    @property
    def spanEditRequested(self) -> SignalInstance: ...

    @property
    def selected_annotation_id(self) -> int | None: ...

    def set_selected_annotation(self, annotation_id: int | None) -> None: ...

    def viewport(self) -> QWidget: ...

    def handle_rects(self) -> tuple[QRectF, QRectF] | None: ...

    def highlight(self, annotation_id: int) -> Highlight | None: ...

    def highlights_at(self, point: QPointF) -> list[Highlight]: ...

    def position_at(self, point: QPointF) -> int: ...

    def tooltip_text_at(self, point: QPointF) -> str: ...


class MouseController:
    def __init__(self, viewer: MouseTarget) -> None:
        self._viewer = viewer
        self._cycler = ClickCycler()
        self._press_at: QPointF | None = None
        self.drag: HandleDrag | None = None  # the viewer paints its preview span

    def handle_at(self, point: QPointF) -> bool | None:
        """True/False if ``point`` grabs the start/end handle of the selected annotation."""
        rects = self._viewer.handle_rects()
        if rects is None:
            return None
        if rects[0].contains(point):
            return True
        return False if rects[1].contains(point) else None

    def press(self, event: QMouseEvent) -> bool:
        viewer = self._viewer
        point = event.position()
        handle = self.handle_at(point) if event.button() == Qt.MouseButton.LeftButton else None
        selected_id = viewer.selected_annotation_id
        selected = None if selected_id is None else viewer.highlight(selected_id)
        if handle is not None and selected is not None:
            self.drag = HandleDrag(selected.annotation_id, selected.start, selected.end, handle)
            return True
        self._press_at = point
        return False

    def move(self, event: QMouseEvent) -> bool:
        viewer = self._viewer
        if self.drag is not None:
            self.drag.move_to(viewer.position_at(event.position()))
            viewer.viewport().update()
            return True
        over_handle = self.handle_at(event.position()) is not None
        shape = Qt.CursorShape.SizeHorCursor if over_handle else Qt.CursorShape.IBeamCursor
        viewer.viewport().setCursor(shape)
        return False

    def release(self, event: QMouseEvent) -> bool:
        """Finish a handle drag; True if there was one (the event is then consumed)."""
        drag, self.drag = self.drag, None
        if drag is not None:
            self._finish_drag(drag)
            return True
        return False

    def after_release(self, event: QMouseEvent) -> None:
        """Called after Qt handled a release: a click (no drag) selects a highlight."""
        press, self._press_at = self._press_at, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if (event.position() - press).manhattanLength() < QApplication.startDragDistance():
            self._click(event.position())

    def show_tooltip(self, event: QHelpEvent) -> None:
        """Name the annotations under the pointer (or hide the tip off them)."""
        viewer = self._viewer
        text = viewer.tooltip_text_at(QPointF(event.pos()))
        if text:
            QToolTip.showText(event.globalPos(), text, viewer.viewport())
        else:
            QToolTip.hideText()
            event.ignore()

    def _finish_drag(self, drag: HandleDrag) -> None:
        viewer = self._viewer
        viewer.viewport().update()
        original = viewer.highlight(drag.annotation_id)
        start, end = drag.span()
        if start < end and original is not None and (start, end) != (original.start, original.end):
            viewer.spanEditRequested.emit(drag.annotation_id, start, end)

    def _click(self, point: QPointF) -> None:
        viewer = self._viewer
        chosen = self._cycler.pick(viewer.highlights_at(point))
        viewer.set_selected_annotation(chosen.annotation_id if chosen else None)
        if chosen is not None:
            viewer.annotationClicked.emit(chosen.annotation_id)
