"""The zones and chapters of every document, for ``annotator info --json`` and scripts.

Offsets are ``[start, end)`` in code points of the stored text, as everywhere. A chapter is a
``chapter`` zone: its number, its title (the heading the importer found, or "Chapter N"), and
the range from its heading to the end of its end notes.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.types import ZONE_CHAPTER, ZoneSpec
from annotator.store.models import DocumentZone


def zones_by_document(session: Session) -> dict[int, list[ZoneSpec]]:
    """Each document's zones in text order (outer zones before the zones they contain)."""
    query = select(
        DocumentZone.document_id,
        DocumentZone.kind,
        DocumentZone.start,
        DocumentZone.end,
        DocumentZone.label,
        DocumentZone.chapter,
    ).order_by(DocumentZone.document_id, DocumentZone.start, DocumentZone.end.desc(), DocumentZone.id)
    zones: dict[int, list[ZoneSpec]] = defaultdict(list)
    for document_id, kind, start, end, label, chapter in session.execute(query):
        zones[document_id].append(ZoneSpec(kind=kind, start=start, end=end, label=label, chapter=chapter))
    return dict(zones)


def zones_json(zones: list[ZoneSpec]) -> list[dict[str, object]]:
    return [
        {"kind": z.kind, "start": z.start, "end": z.end, "label": z.label, "chapter": z.chapter}
        for z in zones
    ]


def chapters_json(zones: list[ZoneSpec]) -> list[dict[str, object]]:
    chapters = sorted((z for z in zones if z.kind == ZONE_CHAPTER), key=lambda z: (z.start, z.chapter or 0))
    return [{"number": z.chapter, "title": z.label, "start": z.start, "end": z.end} for z in chapters]
