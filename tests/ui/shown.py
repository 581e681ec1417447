"""What a piece of Qt markup shows on screen, and whether it would load an image, for tests."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextDocument

_IMG_TAG = re.compile(r"<\s*img\b", re.IGNORECASE)


def _document(markup: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setHtml(markup)  # an <img> is a format here; its file is only read when laid out or painted
    return doc


def shown_text(markup: str) -> str:
    """The text Qt's rich-text engine shows for ``markup`` (as in a tooltip or a rich label)."""
    return _document(markup).toPlainText()


def has_image(markup: str) -> bool:
    """True if rendering ``markup`` would load an image: an <img> tag, or a fragment in an image format.

    The tag is looked for before Qt parses the markup, so a regression fails this test rather than
    having Qt open the file a payload names.
    """
    if _IMG_TAG.search(markup):
        return True
    doc = _document(markup)
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().isImageFormat():
                return True
            it += 1
        block = block.next()
    return "<img" in doc.toHtml()
