"""The app's first screen: the work it is about to show, painted before the data layer is imported.

Importing SQLAlchemy, numpy, the services and the workspace takes about a second, and opening a
project and reading what the window shows takes more. When the app starts on a project file, it
reads the first work's title and start with the standard library (:mod:`annotator.ui.first_work`)
and shows them at once in this window, laid out as the main window will be: its place and size,
menu bar, docks, document header, the viewer's font and text column, status bar. Then the main
window is built and opens the project; once it has, it is shown in the same place and this window
closes (:func:`annotator.ui.app.run_gui`).

What differs from the viewer: no highlights, zone styles or return marks yet, and lines at the
plain editor's spacing. Everything here is read-only and plain text (the title in plain labels,
the text with ``setPlainText``); the menus and the coder box are disabled, so nothing typed or
clicked here can change the project.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QPlainTextEdit, QVBoxLayout, QWidget

from annotator.core.types import CoderInfo, DocumentView
from annotator.ui.document_header import DocumentHeader, meta_line
from annotator.ui.first_work import FirstWork, read_first_work
from annotator.ui.plain import plain_tooltip, window_title
from annotator.ui.screen_fit import fitted_geometry
from annotator.ui.settings import AppSettings
from annotator.ui.status_bar import CoderSwitcher, HiddenCount

Area = Qt.DockWidgetArea

# As the main window's menu bar (annotator.ui.menus, annotator.ui.team.menu) and the workspace's
# docks (annotator.ui.workspace): tests/ui/test_first_screen.py compares them.
MENU_TITLES = ("&File", "&Edit", "&Coding", "Co&des", "&View", "&Team", "&Help")
DOCKS = (
    ("Documents", "documents", Area.LeftDockWidgetArea),
    ("Codebook", "codebook", Area.RightDockWidgetArea),
    ("Annotation", "annotation", Area.RightDockWidgetArea),
    ("Segments", "segments", Area.BottomDockWidgetArea),
)
# The viewer's column (annotator.ui.viewer.layout.Column.for_font with margin.GUTTER): that
# package imports numpy, which this screen is here to come before.
MEASURE_CH = 80
GUTTER = 43.0
# A window that is never exposed (minimised, on another desktop) is never painted: hand over anyway.
READY_WITHOUT_PAINT_MS = 1000
CLOSE_WITHOUT_PAINT_MS = 1000


def viewer_font() -> QFont:
    """The viewer's font (``annotator.ui.viewer.zones.story_font``)."""
    font = QFont("Serif")
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(max(12.0, QGuiApplication.font().pointSizeF() + 2))
    return font


def column_of(font: QFont, viewport_width: float) -> tuple[float, float]:
    """Left edge and width of the viewer's text column in a viewport ``viewport_width`` wide."""
    measure = QFontMetricsF(font).horizontalAdvance("0") * MEASURE_CH
    width = max(80.0, min(measure, viewport_width - GUTTER - 12.0))
    return max(GUTTER, (viewport_width - width) / 2.0), width


class FirstScreenViewer(QPlainTextEdit):
    """The start of the first work, read-only plain text in the viewer's font and column.

    ``_FirstTextPaint`` (annotator.ui.app) counts this viewer's paint as the app's first paint.
    """

    firstPainted = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setCursorWidth(0)
        self.setCenterOnScroll(True)
        self.document().setUndoRedoEnabled(False)
        self.document().setDocumentMargin(0)
        self.setFont(viewer_font())
        # The margins beside the column show the text's background, as in the viewer.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Base))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setPlainText(text)
        self._painted = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        margins = self.viewportMargins()
        full = self.viewport().width() + margins.left() + margins.right()
        left, width = column_of(self.font(), full)
        right = max(0, full - round(left) - round(width))
        if (margins.left(), margins.right()) != (round(left), right):
            self.setViewportMargins(round(left), 0, right, 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.firstPainted.emit()


class FirstScreen(QMainWindow):
    """A stand-in for the main window showing ``work``, until the main window has opened it."""

    ready = Signal()  # painted (or not exposed for a while): time to build the main window
    closedByUser = Signal()  # closed before the main window took over

    def __init__(self, work: FirstWork, coder_name: str, settings: AppSettings | None = None) -> None:
        super().__init__()
        self.work = work
        self.successor: QMainWindow | None = None
        self._handed_over = False
        self._ready_sent = False
        settings = settings or AppSettings()
        self.setWindowTitle(window_title(f"{work.path.name} — Annotator"))
        for title in MENU_TITLES:
            self.menuBar().addMenu(title).setEnabled(False)
        self.header = DocumentHeader()
        view = DocumentView(work.document_id, work.title, work.text, "", [], work.attributes)
        # Set as DocumentHeader.set_document does, less the word count (of the whole text, which
        # the main window counts) and the coder's memo (not read here).
        self.header.title.setText(work.title)
        self.header.title.setToolTip(plain_tooltip(work.title))
        self.header.meta.setText(meta_line(view))
        self.viewer = FirstScreenViewer(work.text)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(line)
        layout.addWidget(self.viewer, 1)
        self.setCentralWidget(pane)
        coder = CoderSwitcher()
        coder.set_coders([], CoderInfo(0, coder_name, ""))
        coder.setEnabled(False)
        self.statusBar().addPermanentWidget(HiddenCount())
        self.statusBar().addPermanentWidget(coder)
        self.statusBar().showMessage(f"Opening {work.path.name}…")
        if not settings.restore_geometry(self):
            self.setGeometry(fitted_geometry(self.screen().availableGeometry()))
        self.docks = [self._dock(title, name, area) for title, name, area in DOCKS]
        self._lay_out_docks(settings)
        self.viewer.firstPainted.connect(lambda: QTimer.singleShot(0, self._send_ready))
        QTimer.singleShot(READY_WITHOUT_PAINT_MS, self._send_ready)

    def _dock(self, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")  # as the workspace's: restoreState finds them by name
        dock.setWidget(QWidget())
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.addDockWidget(area, dock)
        return dock

    def _lay_out_docks(self, settings: AppSettings) -> None:
        """As ``Workspace.apply_default_layout``, then the layout the researcher left, if saved."""
        self.setCorner(Qt.Corner.BottomRightCorner, Area.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Area.BottomDockWidgetArea)
        width, height = self.width(), self.height()
        docks = self.docks
        self.resizeDocks(docks[:1], [min(300, width * 22 // 100)], Qt.Orientation.Horizontal)
        self.resizeDocks(docks[1:2], [min(390, width * 30 // 100)], Qt.Orientation.Horizontal)
        self.resizeDocks([docks[1], docks[2]], [600, 260], Qt.Orientation.Vertical)
        self.resizeDocks(docks[3:], [min(230, height * 25 // 100)], Qt.Orientation.Vertical)
        settings.restore_dock_state(self)

    def _send_ready(self) -> None:
        if not self._ready_sent and not self._handed_over and self.isVisible():
            self._ready_sent = True
            self.ready.emit()

    def hand_to(self, window: QMainWindow) -> None:
        """Show ``window`` in this one's place; close this one once ``window`` has painted."""
        if self._handed_over or not self.isVisible():  # closed meanwhile: the app is quitting
            return
        self._handed_over = True
        window.show()
        window.raise_()
        window.activateWindow()
        closer = _CloseOnPaint(window, self)
        window.installEventFilter(closer)
        QTimer.singleShot(CLOSE_WITHOUT_PAINT_MS, self.close)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._handed_over:
            self.closedByUser.emit()
        super().closeEvent(event)


class _CloseOnPaint(QObject):
    """Closes ``screen`` after ``window`` has painted (or is closed first)."""

    def __init__(self, window: QMainWindow, screen: FirstScreen) -> None:
        super().__init__(screen)
        self._window = window
        self._screen = screen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Paint, QEvent.Type.Close, QEvent.Type.Hide):
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._screen.close)
        return False


def show_first_screen(location: str, settings: AppSettings | None = None) -> FirstScreen | None:
    """Show the first screen of the project file ``location``; None when the usual way must open it.

    None before a coder is chosen (the main window asks first), and whenever
    :func:`~annotator.ui.first_work.read_first_work` cannot read the project quickly.
    """
    settings = settings or AppSettings()
    coder_name = settings.chosen_coder_name()
    if not coder_name:
        return None
    work = read_first_work(location)
    if work is None:
        return None
    screen = FirstScreen(work, coder_name, settings)
    screen.show()
    return screen
