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


# The viewer's base colours (``app.make_palette``), when a caller names no other.
LIGHT_BASE, DARK_BASE = "#ffffff", "#1c1d20"
STROKE_CONTRAST = 3.0  # WCAG's minimum for graphics: an underline must be seen, not guessed


def luminance(c: QColor) -> float:
    """WCAG relative luminance."""

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@lru_cache(maxsize=2048)
def stroke(colour: str, dimmed: bool, dark: bool, base: str = "") -> QColor:
    """Opaque-ish colour for underlines, margin bars and outlines, readable on the base.

    A code colour too close to the base (yellow, light green on white; navy on black) is moved
    towards black (light palette) or white (dark) just until it has ``STROKE_CONTRAST`` against
    the base, keeping its hue; one that has it already is left as it is.
    """
    c = QColor(_base(colour))
    background = QColor(base or (DARK_BASE if dark else LIGHT_BASE))
    target = QColor("#ffffff" if dark else "#000000")
    original = QColor(c)
    step = 0
    while contrast(c, background) < STROKE_CONTRAST and step < 20:
        step += 1
        c = _towards(original, target, step * 0.05)
    c.setAlphaF(0.55 if dimmed else 1.0)
    return c


def _towards(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def find_fill(dark: bool) -> QColor:
    c = QColor(FIND_FILL)
    c.setAlphaF(0.42 if dark else 0.55)
    return c


def find_outline() -> QColor:
    return QColor(FIND_CURRENT)
