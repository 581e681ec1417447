"""A document's zones carried through a ``.qdpx``: a marked, machine-readable line in a Description.

REFI-QDA has no place for the parts of a work annotator tells apart (an AO3 work's summary, notes,
end notes, chapter headings and chapters: ``document_zones``). They travel as one line at the end
of the ``TextSource``'s ``Description``, which the standard leaves as free text::

    annotator-zones: {"text": "<SHA-256 of the text>", "zones": [["summary", 0, 120, "Summary", null], …]}

Offsets are annotator's stored ones (code points of the NFC text with ``\\n`` line ends), whatever
convention the file's selections use, and the JSON is ASCII so no XML cleaning can alter it. Other
programs show the line or drop it. Annotator reads it back only when the hash matches the source's
text, so a text edited elsewhere loses its zones rather than getting them in the wrong places.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from annotator.core.text import text_hash
from annotator.core.types import ZoneSpec

MARKER = "annotator-zones: "
MAX_KIND_LENGTH = 40  # document_zones.kind


def with_zones(description: str, text: str, zones: Sequence[ZoneSpec]) -> str:
    """``description`` with the zones of ``text`` appended as the marked line (unchanged if none)."""
    if not zones:
        return description
    block = MARKER + json.dumps(
        {"text": text_hash(text), "zones": [[z.kind, z.start, z.end, z.label, z.chapter] for z in zones]},
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return f"{description}\n\n{block}" if description else block


def split_zones(description: str, text: str) -> tuple[str, list[ZoneSpec], str]:
    """(the description without the marked line, the zones it gives for ``text``, a problem or "").

    No marked line: no zones and no problem. A line for another text or one that cannot be read
    gives no zones and says why; one unusable zone drops only itself.
    """
    at = description.rfind(MARKER)
    if at < 0 or (at > 0 and description[at - 1] != "\n"):
        return description, [], ""
    rest, line = description[:at].rstrip("\n"), description[at + len(MARKER) :].strip()
    try:
        block = json.loads(line)
        written_for, rows = block["text"], block["zones"]
    except (ValueError, TypeError, KeyError, RecursionError):
        written_for, rows = None, None
    if not isinstance(rows, list):
        return rest, [], "its zones could not be read"
    if written_for != text_hash(text):
        return rest, [], "its zones were written for another text; they were left out"
    zones = [zone for row in rows if (zone := _zone(row, len(text))) is not None]
    dropped = len(rows) - len(zones)
    return rest, zones, f"{dropped} zone(s) could not be used" if dropped else ""


def _zone(row: object, length: int) -> ZoneSpec | None:
    if not (isinstance(row, list) and len(row) == 5):
        return None
    kind, start, end, label, chapter = row
    if not (isinstance(kind, str) and 0 < len(kind) <= MAX_KIND_LENGTH and isinstance(label, str)):
        return None
    if not all(type(value) is int for value in (start, end)) or not 0 <= start < end <= length:
        return None
    if chapter is not None and type(chapter) is not int:
        return None
    return ZoneSpec(kind, start, end, label, chapter)
