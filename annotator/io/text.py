"""Import a plain-text file: detect its encoding, normalise it, and find AO3 structure in it."""

from __future__ import annotations

from annotator.core.text import normalise_text
from annotator.core.types import ImportedDocument
from annotator.io.decoding import decode
from annotator.io.errors import import_guard
from annotator.io.flat_ao3 import find_flat_ao3_zones
from annotator.io.layout import check_zones
from annotator.io.values import stem_title


@import_guard("text")
def read_text(data: bytes, source_name: str) -> ImportedDocument:
    """A ``.txt`` file as one document titled by its file name."""
    decoded = decode(data, source_name)
    text = normalise_text(decoded.text)
    zones = find_flat_ao3_zones(text)
    check_zones(text, zones)
    return ImportedDocument(
        title=stem_title(source_name),
        source_format="text",
        text=text,
        zones=zones,
        source_name=source_name,
        notes=decoded.notes,
    )
