"""``CoderLanes``: one horizontal lane per coder showing where along the document each coded.

The whole document is scaled to the widget's width; agreed runs are drawn in one colour and
disputed runs in another (see ``lane_model``), the selected disagreement is outlined, and a
click reports the document offset under the mouse so the text can jump there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from annotator.ui.team.lane_model import LaneRun

AGREED_COLOUR = "#3b8f4f"
DISPUTED_COLOUR = "#d1495b"
LANE_HEIGHT = 18
LANE_GAP = 6
LABEL_WIDTH = 110


class CoderLanes(QWidget):
    positionClicked = Signal(int)  # a document offset (code points)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.length = 0
        self.coders: list[tuple[str, str]] = []  # (name, colour)
        self.runs: dict[str, list[LaneRun]] = {}
        self.marked: tuple[int, int] | None = None
        self._picture: QPixmap | None = None  # the lanes as last drawn, at the widget's size
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setToolTip(
            "Each lane is one coder. Green: coded by every compared coder; red: coded by this coder "
            "but not by all the others. Click to jump to that place in the text."
        )

    def set_lanes(
        self, length: int, coders: Sequence[tuple[str, str]], runs: Mapping[str, list[LaneRun]]
    ) -> None:
        self.length = max(0, length)
        self.coders = list(coders)
        self.runs = dict(runs)
        self._picture = None
        self.updateGeometry()
        self.update()

    def set_marked(self, span: tuple[int, int] | None) -> None:
        self.marked = span
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, max(1, len(self.coders)) * (LANE_HEIGHT + LANE_GAP) + LANE_GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(LABEL_WIDTH + 100, self.sizeHint().height())

    # --- geometry -------------------------------------------------------------------------
    def _bar_width(self) -> float:
        return max(1.0, self.width() - LABEL_WIDTH - 8.0)

    def x_of(self, offset: int) -> float:
        if self.length == 0:
            return float(LABEL_WIDTH)
        return LABEL_WIDTH + self._bar_width() * offset / self.length

    def offset_at(self, x: float) -> int:
        if self.length == 0:
            return 0
        fraction = (x - LABEL_WIDTH) / self._bar_width()
        return max(0, min(self.length - 1, int(fraction * self.length)))

    def _lane_rect(self, index: int, start: int, end: int) -> QRectF:
        top = LANE_GAP + index * (LANE_HEIGHT + LANE_GAP)
        left = self.x_of(start)
        # Short runs in a long document still get a visible pixel.
        return QRectF(left, top, max(1.5, self.x_of(end) - left), LANE_HEIGHT)

    # --- painting and mouse ---------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        # The runs are drawn once into a pixmap (thousands of rectangles in a long document) and
        # reused until they or the size change; moving the outline only repaints over it.
        ratio = self.devicePixelRatioF()
        if self._picture is None or self._picture.size() != self.size() * ratio:
            self._picture = QPixmap(self.size() * ratio)
            self._picture.setDevicePixelRatio(ratio)
            self._paint_runs(QPainter(self._picture))
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture)
        if self.marked is not None and self.coders:
            start, end = self.marked
            left = self.x_of(start)
            box = QRectF(left - 2, 1, max(3.0, self.x_of(end) - left) + 4, self.height() - 2)
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRect(box)
        painter.end()

    def _paint_runs(self, painter: QPainter) -> None:
        painter.fillRect(self.rect(), self.palette().base())
        agreed, disputed = QColor(AGREED_COLOUR), QColor(DISPUTED_COLOUR)
        for index, (name, colour) in enumerate(self.coders):
            top = LANE_GAP + index * (LANE_HEIGHT + LANE_GAP)
            painter.fillRect(QRectF(2, top + 3, 10, LANE_HEIGHT - 6), QColor(colour))
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(16, top, LABEL_WIDTH - 20, LANE_HEIGHT),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                name,
            )
            painter.fillRect(self._lane_rect(index, 0, self.length), self.palette().alternateBase())
            for run in self.runs.get(name, []):
                fill = agreed if run.agreed else disputed
                painter.fillRect(self._lane_rect(index, run.start, run.end), fill)
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # a theme change: redraw in its colours
            self._picture = None
        super().changeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and event.position().x() >= LABEL_WIDTH:
            self.positionClicked.emit(self.offset_at(event.position().x()))
        super().mousePressEvent(event)

    def click_at_offset(self, offset: int) -> QPointF:
        """Where a click lands on ``offset`` (for tests and keyboard helpers)."""
        return QPointF(self.x_of(offset) + 0.5, LANE_GAP + LANE_HEIGHT / 2)
