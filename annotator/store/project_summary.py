"""What ``annotator info`` shows of a project, read with plain SQL through a DBAPI connection.

The same few queries serve every backend: :func:`annotator.services.projects.project_info` runs
them on the connection under an open project's session (SQLite or PostgreSQL), and
:mod:`annotator.store.quick_info` on a bare ``sqlite3`` connection, so that ``annotator info`` on
a project file answers without importing SQLAlchemy (≈ 0.4 s of every call). Nothing here
imports SQLAlchemy; ``tests/cli/test_startup_imports.py`` keeps it so.

Zones and chapters: offsets are ``[start, end)`` in code points of the stored text, as
everywhere. A chapter is a ``chapter`` zone: its number, its title (the heading the importer
found, or "Chapter N"), and the range from its heading to the end of its end notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.core.codebook import CodeNode, code_paths, tree_order
from annotator.core.types import ZONE_CHAPTER, CodeInfo, CoderInfo, DocumentSummary, ZoneSpec


class Cursor(Protocol):
    def execute(self, sql: str, /) -> Any: ...

    def fetchall(self) -> Sequence[Any]: ...


@dataclass(frozen=True)
class ProjectInfo:
    location: str
    documents: list[DocumentSummary]
    codes: list[CodeInfo]
    coders: list[CoderInfo]
    annotation_count: int
    zones: dict[int, list[ZoneSpec]] = field(default_factory=dict)  # by document id

    def to_json_dict(self) -> dict[str, object]:
        return {
            "project": self.location,
            "annotations": self.annotation_count,
            "documents": [
                {
                    "id": d.id,
                    "title": d.title,
                    "format": d.source_format,
                    "length": d.length,
                    "annotations": d.annotation_count,
                    "attributes": d.attributes,
                    "zones": zones_json(self.zones.get(d.id, [])),
                    "chapters": chapters_json(self.zones.get(d.id, [])),
                }
                for d in self.documents
            ],
            "codes": [
                {"id": c.id, "path": c.path, "colour": c.colour, "annotations": c.count} for c in self.codes
            ],
            "coders": [
                {"id": c.id, "name": c.name, "role": c.role, "annotations": c.count} for c in self.coders
            ],
        }


def zones_json(zones: list[ZoneSpec]) -> list[dict[str, object]]:
    return [
        {"kind": z.kind, "start": z.start, "end": z.end, "label": z.label, "chapter": z.chapter}
        for z in zones
    ]


def chapters_json(zones: list[ZoneSpec]) -> list[dict[str, object]]:
    chapters = sorted((z for z in zones if z.kind == ZONE_CHAPTER), key=lambda z: (z.start, z.chapter or 0))
    return [{"number": z.chapter, "title": z.label, "start": z.start, "end": z.end} for z in chapters]


def _rows(cursor: Cursor, sql: str) -> Sequence[Any]:
    cursor.execute(sql)
    return cursor.fetchall()


def _counts(cursor: Cursor, column: str) -> dict[int, int]:
    """Annotations per value of ``column`` (document, code or coder)."""
    rows = _rows(cursor, f"SELECT {column}, count(*) FROM annotations GROUP BY {column}")
    return {key: int(n) for key, n in rows}


def read_project_info(cursor: Cursor, location: str) -> ProjectInfo:
    """Documents (no text) with attributes and annotation counts, codes in codebook order with
    their paths, coders by name, every document's zones in text order (outer zones before the
    zones they contain), and the number of annotations. Run it inside one read transaction."""
    attributes: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for document_id, name, value in _rows(
        cursor, "SELECT document_id, name, value FROM document_attributes ORDER BY document_id, position"
    ):
        attributes[document_id].setdefault(name, []).append(value)
    per_document = _counts(cursor, "document_id")
    documents = [
        DocumentSummary(
            id=i,
            title=title,
            source_format=source_format,
            length=length,
            attributes=attributes.get(i, {}),
            annotation_count=per_document.get(i, 0),
        )
        for i, title, source_format, length in _rows(
            cursor, "SELECT id, title, source_format, length FROM documents ORDER BY id"
        )
    ]
    codes = {
        row[0]: row
        for row in _rows(
            cursor,
            "SELECT id, parent_id, name, position, colour, short_name, definition, inclusion, exclusion, "
            "example FROM codes",
        )
    }
    nodes = [CodeNode(i, parent, name, position) for i, parent, name, position, *_ in codes.values()]
    paths = code_paths(nodes)
    per_code = _counts(cursor, "code_id")
    code_infos = []
    for node in tree_order(nodes):
        i, parent, name, position, colour, short, definition, inclusion, exclusion, example = codes[node.id]
        code_infos.append(
            CodeInfo(
                id=i,
                parent_id=parent,
                name=name,
                path=paths[i],
                colour=colour,
                short_name=short,
                definition=definition,
                inclusion=inclusion,
                exclusion=exclusion,
                example=example,
                position=position,
                count=per_code.get(i, 0),
            )
        )
    per_coder = _counts(cursor, "coder_id")
    coders = [
        CoderInfo(id=i, name=name, colour=colour, count=per_coder.get(i, 0), role=role)
        for i, name, colour, role in _rows(cursor, "SELECT id, name, colour, role FROM coders ORDER BY name")
    ]
    zones: dict[int, list[ZoneSpec]] = defaultdict(list)
    for document_id, kind, start, end, label, chapter in _rows(
        cursor,
        'SELECT document_id, kind, start, "end", label, chapter FROM document_zones '
        'ORDER BY document_id, start, "end" DESC, id',
    ):
        zones[document_id].append(ZoneSpec(kind=kind, start=start, end=end, label=label, chapter=chapter))
    return ProjectInfo(
        location=location,
        documents=documents,
        codes=code_infos,
        coders=coders,
        annotation_count=sum(per_document.values()),
        zones=dict(zones),
    )
