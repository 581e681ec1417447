"""Assemble an imported document's text block by block while recording the zones it is made of.

Importers never compute offsets by hand: they append blocks (each normalised on the way in) and
open/close zones around them, so every ``ZoneSpec`` is in code points of the final text by
construction. Blocks are joined with a blank line ("\\n\\n"), the paragraph break everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.core.text import normalise_text
from annotator.core.types import ZoneSpec

BLOCK_SEPARATOR = "\n\n"


class TextBuilder:
    """Collects paragraphs into one text and zones over them."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._zones: list[ZoneSpec] = []

    @property
    def is_empty(self) -> bool:
        return self._length == 0

    def add_paragraphs(
        self,
        paragraphs: Iterable[str],
        kind: str | None = None,
        *,
        label: str = "",
        chapter: int | None = None,
    ) -> tuple[int, int] | None:
        """Append non-empty paragraphs; zone them as ``kind`` if given. Returns their range."""
        start: int | None = None
        for paragraph in paragraphs:
            # "\n" separators stop NFC from composing across blocks, so normalising each block
            # alone gives the same result as normalising the whole text.
            paragraph = normalise_text(paragraph).strip()
            if not paragraph:
                continue
            if self._length:
                self._parts.append(BLOCK_SEPARATOR)
                self._length += len(BLOCK_SEPARATOR)
            if start is None:
                start = self._length
            self._parts.append(paragraph)
            self._length += len(paragraph)
        if start is None:
            return None
        if kind is not None:
            self.add_zone(kind, start, self._length, label=label, chapter=chapter)
        return start, self._length

    def add_zone(
        self, kind: str, start: int, end: int, *, label: str = "", chapter: int | None = None
    ) -> None:
        if start < end:
            self._zones.append(ZoneSpec(kind, start, end, label, chapter))

    def build(self) -> tuple[str, list[ZoneSpec]]:
        text = "".join(self._parts)
        zones = sorted_zones(self._zones)
        check_zones(text, zones)
        return text, zones


def sorted_zones(zones: Iterable[ZoneSpec]) -> list[ZoneSpec]:
    """Document order; an enclosing zone (a chapter) before the zones it contains."""
    return sorted(zones, key=lambda zone: (zone.start, -zone.end, zone.kind))


def check_zones(text: str, zones: Sequence[ZoneSpec]) -> None:
    """Raise ``ValueError`` unless zones are in bounds, non-empty and same-kind disjoint."""
    last_end: dict[str, int] = {}
    for zone in sorted(zones, key=lambda zone: (zone.kind, zone.start)):
        if not 0 <= zone.start < zone.end <= len(text):
            raise ValueError(f"zone {zone} is out of bounds for a text of {len(text)}")
        if zone.start < last_end.get(zone.kind, 0):
            raise ValueError(f"zone {zone} overlaps another {zone.kind} zone")
        last_end[zone.kind] = zone.end
