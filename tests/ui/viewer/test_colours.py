"""Highlight colours against the app's light and dark palettes: text stays readable, strokes stand out."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtGui import QColor, QPalette

from annotator.paths import resources_dir
from annotator.ui.app import make_palette
from annotator.ui.viewer import colours

with (resources_dir() / "codebooks" / "fandom.csv").open(encoding="utf-8-sig") as _file:
    CODEBOOK_COLOURS = sorted({row["colour"] for row in csv.DictReader(_file)})


RED_CODE = "#c92a2a"


def luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(top: QColor, bottom: QColor) -> QColor:
    """``top`` (translucent) composited over opaque ``bottom``."""
    a = top.alphaF()
    return QColor.fromRgbF(
        top.redF() * a + bottom.redF() * (1 - a),
        top.greenF() * a + bottom.greenF() * (1 - a),
        top.blueF() * a + bottom.blueF() * (1 - a),
    )


def roles(dark: bool) -> tuple[QColor, QColor]:
    palette = make_palette(dark)
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_text_on_any_codebook_highlight_keeps_normal_text_contrast(qapp: object, dark: bool) -> None:
    base, text = roles(dark)
    for colour in CODEBOOK_COLOURS:
        background = over(colours.fill(colour, False, dark), base)
        assert contrast(text, background) >= 4.5, colour
        assert background != base  # the highlight shows


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_strokes_never_lose_contrast_and_move_away_from_the_base(qapp: object, dark: bool) -> None:
    base, _ = roles(dark)
    for colour in CODEBOOK_COLOURS:
        stroke = colours.stroke(colour, False, dark)
        assert stroke.alphaF() == 1.0
        assert contrast(stroke, base) >= contrast(QColor(colour), base) - 0.01, colour
    # A colour close to the base is pushed away from it; one far from it is left alone.
    near, far = ("#000080", "#fffac8") if dark else ("#fffac8", "#000080")
    assert contrast(colours.stroke(near, False, dark), base) > 1.4 * contrast(QColor(near), base)
    assert colours.stroke(far, False, dark).rgb() == QColor(far).rgb()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_codebook_stroke_stands_out_from_the_base_at_three_to_one(qapp: object, dark: bool) -> None:
    base, _ = roles(dark)
    for colour in [*CODEBOOK_COLOURS, "#ffd400", "#e8d44d", "#94d82d", "#000080", "#3b5bdb"]:
        stroke = colours.stroke(colour, False, dark, base.name())
        assert contrast(stroke, base) >= 3.0, colour
        hue = QColor(colour).hsvHueF()
        if QColor(colour).hsvSaturationF() > 0.3:  # still the code's colour, only darker or lighter
            assert abs(stroke.hsvHueF() - hue) < 0.03 or abs(abs(stroke.hsvHueF() - hue) - 1) < 0.03, colour
    # Against a custom base (a sepia theme), the same rule.
    sepia = QColor("#f4ecd8")
    assert contrast(colours.stroke("#fcc419", False, False, sepia.name()), sepia) >= 3.0


def test_overlapping_fills_blend_darker_on_the_light_palette(qapp: object) -> None:
    base, _ = roles(False)
    for a in CODEBOOK_COLOURS:
        alone = over(colours.fill(a, False, False), base)
        for b in ("#ff0000", "#339af0", "#fcc419"):
            both = over(colours.fill(b, False, False), alone)
            assert luminance(both) < luminance(alone), (a, b)
            assert luminance(both) < luminance(over(colours.fill(b, False, False), base)), (a, b)


def test_another_coders_highlight_is_fainter_and_a_bad_colour_falls_back_to_grey() -> None:
    for dark in (False, True):
        assert colours.fill(RED_CODE, True, dark).alphaF() < colours.fill(RED_CODE, False, dark).alphaF()
        assert colours.stroke(RED_CODE, True, dark).alphaF() < colours.stroke(RED_CODE, False, dark).alphaF()
        grey = colours.stroke("#888888", False, dark)
        assert colours.stroke("not a colour", False, dark).rgb() == grey.rgb()
        assert colours.fill("", False, dark) == colours.fill("#888888", False, dark)
