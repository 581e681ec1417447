"""The start page shown when no project is open: recent projects, new, open, server URL, demo.

While a project opens (in the background) the page says so with a busy bar and a Cancel button,
and its own buttons wait, so a second click does not start a second open.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.plain import plain_label, plain_tooltip

LOCATION_ROLE = Qt.ItemDataRole.UserRole + 1


def describe_location(location: str) -> tuple[str, str]:
    """(name, detail) for a recent project: a file's name and folder, or a server URL."""
    if "://" in location:
        return location.rsplit("/", 1)[-1] or location, location
    path = Path(location)
    detail = str(path.parent) + ("" if path.exists() else "  (missing)")
    return path.name, detail


class StartPage(QWidget):
    newRequested = Signal()
    openRequested = Signal()
    urlRequested = Signal()
    demoRequested = Signal()
    recentRequested = Signal(str)
    cancelRequested = Signal()  # stop opening the project being opened

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Annotator")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel("Code fan fiction: mark spans with codes, write memos, compare coders, export CSV.")
        subtitle.setWordWrap(True)
        style = self.style()
        buttons = QVBoxLayout()
        buttons.setSpacing(8)
        self._buttons: list[QPushButton] = []
        for text, icon, signal in (
            ("New project…", QStyle.StandardPixmap.SP_FileIcon, self.newRequested),
            ("Open project…", QStyle.StandardPixmap.SP_DialogOpenButton, self.openRequested),
            ("Open server URL…", QStyle.StandardPixmap.SP_DriveNetIcon, self.urlRequested),
            ("Open the demo project", QStyle.StandardPixmap.SP_DirHomeIcon, self.demoRequested),
        ):
            button = QPushButton(style.standardIcon(icon), text)
            button.setMinimumHeight(34)
            button.setMinimumWidth(230)
            button.setStyleSheet("text-align: left; padding-left: 10px;")
            button.clicked.connect(signal.emit)
            buttons.addWidget(button)
            self._buttons.append(button)
        buttons.addStretch(1)
        self.recent = QListWidget()
        self.recent.setAlternatingRowColors(True)
        self.recent.setStyleSheet("QListWidget::item { padding: 5px 4px; }")
        self.recent.itemActivated.connect(
            lambda item: self.recentRequested.emit(str(item.data(LOCATION_ROLE)))
        )
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no steps to count: it moves while the open goes on
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(10)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self.cancelRequested.emit)
        opening = QHBoxLayout()
        opening.addWidget(self.busy, 1)
        opening.addWidget(self.cancel)
        self.busy.hide()
        self.cancel.hide()
        recent_box = QVBoxLayout()
        recent_box.addWidget(QLabel("<b>Recent projects</b>"))
        recent_box.addWidget(self.recent, 1)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(buttons, 0)
        columns.addLayout(recent_box, 1)
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(900)
        card.setMaximumHeight(560)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.addWidget(title)
        inner.addWidget(subtitle)
        inner.addSpacing(16)
        inner.addLayout(columns, 1)
        inner.addWidget(self.status)
        inner.addLayout(opening)
        # Stretches, not a minimum width: this page shares the window's stack with the workspace,
        # and a wide minimum here would squeeze the docks of an open project.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 6)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        outer.addLayout(row, 3)
        outer.addStretch(1)

    def set_recent(self, locations: list[str]) -> None:
        self.recent.clear()
        for location in locations:
            name, detail = describe_location(location)
            item = QListWidgetItem(f"{name}\n{detail}")
            item.setData(LOCATION_ROLE, location)
            item.setToolTip(plain_tooltip(location))
            self.recent.addItem(item)
        if not locations:
            placeholder = QListWidgetItem("No recent projects yet — try the demo project.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def set_opening(self, message: str | None) -> None:
        """Show that a project is opening (``message``), or that nothing is (``None``)."""
        opening = message is not None
        if message is not None:
            self.status.setText(message)
        for widget in (*self._buttons, self.recent):
            widget.setEnabled(not opening)
        self.busy.setVisible(opening)
        self.cancel.setVisible(opening)
        if opening and self.isVisible():
            self.cancel.setFocus()  # Enter or Space cancels; the disabled list had the focus
