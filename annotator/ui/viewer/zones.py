"""How zones look: block and character formats per zone kind, and palette-derived colours.

Zones are styled once, on load, through block formats (margins, line height, alignment) that
``layout.lay_out_block`` honours, and through character formats for headings and paratext. Each
block also records its zone kind in ``userState`` so painting never searches the zone list.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from annotator.core import types as t
from annotator.core.offsets import OffsetMap

_KIND_CODES = {kind: i + 1 for i, kind in enumerate(t.ZONE_KINDS)}
_KIND_OF_CODE = {code: kind for kind, code in _KIND_CODES.items()}

LABELS = {
    t.ZONE_SUMMARY: "Summary",
    t.ZONE_NOTES: "Author's notes",
    t.ZONE_END_NOTES: "End notes",
    t.ZONE_CHAPTER_SUMMARY: "Chapter summary",
    t.ZONE_CHAPTER_NOTES: "Chapter notes",
    t.ZONE_CHAPTER_END_NOTES: "Chapter end notes",
}
_UNSTYLED = {t.ZONE_STORY, t.ZONE_CHAPTER}


@dataclass(frozen=True, slots=True)
class ZoneStyle:
    top_em: float  # space above the zone's first block (beyond the underline room), in em
    size: float = 1.0  # font size factor
    bold: bool = False
    italic: bool = False
    inset_em: float = 0.0  # left and right margin
    centred: bool = False
    line_height: int = 0  # percent; 0 keeps the viewer's default


def style_for(kind: str) -> ZoneStyle | None:
    if kind in _UNSTYLED:
        return None
    if kind == t.ZONE_TITLE:
        return ZoneStyle(top_em=0.3, size=1.6, bold=True, centred=True, line_height=130)
    if kind == t.ZONE_CHAPTER_HEADING:
        return ZoneStyle(top_em=1.6, size=1.3, bold=True, line_height=130)
    if kind == t.ZONE_HEADING:
        return ZoneStyle(top_em=0.5, size=0.9, bold=True, line_height=130)
    if kind in t.PARATEXT_ZONES:
        return ZoneStyle(top_em=1.5, size=0.95, italic=True, inset_em=1.6, line_height=145)
    return None


def zone_state(kind: str, first: bool) -> int:
    """The ``userState`` a block of zone ``kind`` gets (-1, Qt's default, means story)."""
    return _KIND_CODES[kind] * 2 + (1 if first else 0)


def zone_of_state(state: int) -> tuple[str | None, bool]:
    """The zone kind and is-first-block flag stored by ``zone_state``."""
    if state < 2:
        return None, False
    return _KIND_OF_CODE.get(state // 2), bool(state & 1)


def zone_label(zone: t.ZoneSpec) -> str:
    label = LABELS.get(zone.kind, "")
    if zone.chapter is not None and zone.kind.startswith("chapter_") and label:
        return f"Chapter {zone.chapter} " + label.removeprefix("Chapter ").lower()
    return label


def heading_ends_of(zones: Sequence[t.ZoneSpec]) -> set[int]:
    """Where headings the importer wrote into the text end (their zone needs no painted label)."""
    return {z.end for z in zones if z.kind == t.ZONE_HEADING}


def apply_zone_styles(
    document: QTextDocument,
    zones: Sequence[t.ZoneSpec],
    offsets: OffsetMap,
    em: float,
    lo: int = 0,
    hi: int | None = None,
    heading_ends: set[int] | None = None,
) -> dict[int, str]:
    """Format the blocks of each styled zone; return zone labels by first block number.

    With ``lo``/``hi`` (code points) only the part of each zone in ``[lo, hi)`` is styled: the
    viewer styles a long text chunk by chunk as it arrives, ``lo`` being where a chunk's first
    block starts. Styling every chunk in turn gives the same result as styling the whole text.
    Such a caller passes only the zones that reach into the chunk, and ``heading_ends`` (of
    every zone: ``heading_ends_of``), found once.
    """
    labels: dict[int, str] = {}
    # The importer may have written a heading ("Summary") into the text: then no painted label.
    if heading_ends is None:
        heading_ends = heading_ends_of(zones)
    top = sys.maxsize if hi is None else hi
    # One edit block for every zone: outside one, each cursor move lays out the block it lands
    # on (~0.1 ms a move in a long work, 3,500 zones a second); inside, no layout is needed.
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    try:
        _style_zones(document, cursor, zones, offsets, em, lo, top, heading_ends, labels)
    finally:
        cursor.endEditBlock()
    return labels


def _style_zones(
    document: QTextDocument,
    cursor: QTextCursor,
    zones: Sequence[t.ZoneSpec],
    offsets: OffsetMap,
    em: float,
    lo: int,
    top: int,
    heading_ends: set[int],
    labels: dict[int, str],
) -> None:
    base_size = document.defaultFont().pointSizeF()
    end_u16 = document.characterCount() - 1
    for zone in sorted(zones, key=lambda z: (z.start, -z.end)):  # outer zones first
        style = style_for(zone.kind)
        if style is None or zone.end <= zone.start or zone.end <= lo or zone.start >= top:
            continue
        starts_here = zone.start >= lo
        start = min(offsets.to_utf16(max(zone.start, lo)), end_u16)
        end = min(offsets.to_utf16(min(zone.end, top)), end_u16)
        # The line end before this chunk arrived with it: it takes the zone's characters too.
        char_start = start if starts_here else min(offsets.to_utf16(lo) - 1, end_u16)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeBlockFormat(_block_format(style, em))
        cursor.setPosition(char_start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(_char_format(style, base_size))  # once per zone, never per annotation
        first = document.findBlock(start)
        if starts_here:
            first_format = QTextBlockFormat()
            first_format.setTopMargin(style.top_em * em)
            cursor.setPosition(first.position())
            cursor.mergeBlockFormat(first_format)
        block = first
        while block.isValid() and (block.position() < end or block == first):
            block.setUserState(zone_state(zone.kind, starts_here and block == first))
            block = block.next()
        label = zone_label(zone)
        if starts_here and label and not heading_ends & {zone.start, zone.start - 1, zone.start - 2}:
            labels[first.blockNumber()] = label


def _block_format(style: ZoneStyle, em: float) -> QTextBlockFormat:
    block_format = QTextBlockFormat()
    block_format.setTopMargin(0.35 * em)
    block_format.setLeftMargin(style.inset_em * em)
    block_format.setRightMargin(style.inset_em * em)
    if style.centred:
        block_format.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    if style.line_height:
        block_format.setLineHeight(
            style.line_height, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
    return block_format


def _char_format(style: ZoneStyle, base_size: float) -> QTextCharFormat:
    char_format = QTextCharFormat()
    if style.size != 1.0:
        char_format.setFontPointSize(base_size * style.size)
    if style.bold:
        char_format.setFontWeight(QFont.Weight.Bold)
    if style.italic:
        char_format.setFontItalic(True)
    return char_format


def story_font() -> QFont:
    """A readable serif a little larger than the interface font."""
    font = QFont("Serif")
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(max(12.0, QGuiApplication.font().pointSizeF() + 2))
    return font


def label_font(story: QFont) -> QFont:
    """Small spaced capitals for zone labels, in the interface font."""
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(story.pointSizeF() * 0.68)
    font.setWeight(QFont.Weight.DemiBold)
    font.setCapitalization(QFont.Capitalization.AllUppercase)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
    return font


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def paratext_tint(palette: QPalette) -> QColor:
    base = palette.color(QPalette.ColorRole.Base)
    accent = palette.color(QPalette.ColorRole.Highlight)
    return mix(mix(base, accent, 0.10), palette.color(QPalette.ColorRole.Text), 0.02)


def muted_text(palette: QPalette) -> QColor:
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.4)
