"""Colours for highlights, derived from the code colour and the palette (light or dark)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor

FIND_FILL = "#ffd400"
FIND_CURRENT = "#ff8c00"


@lru_cache(maxsize=512)
def _base(colour: str) -> QColor:
    parsed = QColor(colour)
    return parsed if parsed.isValid() else QColor("#888888")


@lru_cache(maxsize=2048)
def fill(colour: str, dimmed: bool, dark: bool) -> QColor:
    """Translucent background: overlapping spans blend into a visibly darker mix."""
    c = QColor(_base(colour))
    if dark:
        c = c.lighter(115)
    alpha = 0.36 if dark else 0.30
    c.setAlphaF(alpha * (0.45 if dimmed else 1.0))
    return c


@lru_cache(maxsize=2048)
def stroke(colour: str, dimmed: bool, dark: bool) -> QColor:
    """Opaque-ish colour for underlines, margin bars and outlines, readable on the base."""
    c = QColor(_base(colour))
    lightness = c.lightnessF()
    if dark and lightness < 0.55:
        c = c.lighter(100 + int((0.55 - lightness) * 200))
    elif not dark and lightness > 0.6:
        c = c.darker(100 + int((lightness - 0.6) * 150))
    c.setAlphaF(0.55 if dimmed else 1.0)
    return c


def find_fill(dark: bool) -> QColor:
    c = QColor(FIND_FILL)
    c.setAlphaF(0.42 if dark else 0.55)
    return c


def find_outline() -> QColor:
    return QColor(FIND_CURRENT)
