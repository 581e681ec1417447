"""Fixtures for the viewer's tests: a shown ``DocumentViewer``, rendering it, laying out its blocks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QImage, QTextBlock
from pytestqt.qtbot import QtBot

from annotator.ui.viewer import DocumentViewer
from annotator.ui.viewer.layout import Column, lay_out_block, needs_layout
from annotator.ui.viewer.margin import GUTTER

Render = Callable[[DocumentViewer], QImage]
EnsureLayout = Callable[[QTextBlock], None]


@pytest.fixture
def viewer(qtbot: QtBot) -> DocumentViewer:
    widget = DocumentViewer()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def render() -> Render:
    """Paints the viewer's viewport now and returns the picture, one pixel per device pixel."""

    def paint(viewer: DocumentViewer) -> QImage:
        viewer.viewport().repaint()
        return viewer.viewport().grab().toImage()

    return paint


@pytest.fixture
def ensure_layout(viewer: DocumentViewer) -> EnsureLayout:
    """Lays out a block of ``viewer`` in its text column, as the viewer does before painting it."""

    def ensure(block: QTextBlock) -> None:
        column = Column.for_font(viewer.font(), viewer.viewport().width(), GUTTER)
        if needs_layout(block.layout()) and lay_out_block(block, column):
            layout = viewer.document().documentLayout()
            layout.documentSizeChanged.emit(layout.documentSize())

    return ensure
