"""Export a project (or the part a filter picks) as a REFI-QDA project (``.qdpx``) or codebook (``.qdc``).

One ``store.reading()`` snapshot becomes plain values (``io.refi_qda.model``) that the writer
turns into XML. A document's attributes become Variables (on the source and its Case); its zones
(an AO3 work's summary, notes, chapters) a marked line in the source's Description
(``io.refi_qda.zones``) that other programs ignore and annotator's import reads back. GUIDs are
derived from the rows' ids, so exporting the same project twice gives the same GUIDs. Positions
are code points of the text written (the standard), or, with ``nvivo_positions``, UTF-16 units
of a CRLF text after a byte-order mark, as NVivo writes them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator import __version__
from annotator.io.csv_segments import format_timestamp
from annotator.io.refi_qda.descriptions import join_description
from annotator.io.refi_qda.model import (
    QdaCase,
    QdaCode,
    QdaCoding,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaTextSource,
    QdaUser,
    QdaVariable,
)
from annotator.io.refi_qda.positions import export_offsets
from annotator.io.refi_qda.writer import codebook_xml, write_qdpx
from annotator.io.refi_qda.zones import with_zones
from annotator.services.documents import attributes_by_document, zones_of
from annotator.services.segment_query import SegmentFilter, resolve_scope, scoped
from annotator.store.models import Annotation, Code, Coder, Document, DocumentMemo
from annotator.store.project import ProjectStore

ORIGIN = f"annotator {__version__}"
_ANNOTATION = "annotation "  # selections are named after their annotation, so ids come back in order
_NAMESPACE = uuid.UUID("5b0f7a52-3f0e-4a39-9a59-1d2f1c0e7a10")


def _guid(kind: str, row_id: int | str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{row_id}"))


def _when(value: datetime | None) -> str:
    return format_timestamp(value)


@dataclass(frozen=True)
class QdpxExportSummary:
    documents: int
    annotations: int
    codes: int
    memos: int


def _code_tree(session: Session) -> list[QdaCode]:
    rows = session.execute(select(Code).order_by(Code.position, Code.id)).scalars().all()
    children: dict[int | None, list[Code]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def build(parent: int | None) -> tuple[QdaCode, ...]:
        return tuple(
            QdaCode(
                guid=_guid("code", row.id),
                name=row.name,
                colour=row.colour.lower() if len(row.colour) == 7 else row.colour[:7].lower(),
                description=join_description(
                    {
                        "definition": row.definition,
                        "short_name": row.short_name,
                        "inclusion": row.inclusion,
                        "exclusion": row.exclusion,
                        "example": row.example,
                    }
                ),
                children=build(row.id),
            )
            for row in children.get(parent, [])
        )

    return list(build(None))


def export_qdc(store: ProjectStore, out: BinaryIO) -> int:
    """Write the codebook as a ``.qdc`` file; return how many codes it holds."""
    with store.reading() as session:
        codes = _code_tree(session)
    out.write(codebook_xml(codes, ORIGIN))
    return _count(codes)


def _count(codes: list[QdaCode] | tuple[QdaCode, ...]) -> int:
    return sum(1 + _count(code.children) for code in codes)


def export_qdpx(
    store: ProjectStore,
    out: BinaryIO,
    flt: SegmentFilter | None = None,
    *,
    nvivo_positions: bool = False,
    name: str = "annotator project",
) -> QdpxExportSummary:
    """Write the project (its documents, codebook, coders, the annotations ``flt`` picks, memos and
    document attributes) as a ``.qdpx`` to ``out``."""
    with store.reading() as session:
        scope = resolve_scope(session, flt or SegmentFilter())
        codes = _code_tree(session)
        coders = {row.id: row.name for row in session.execute(select(Coder.id, Coder.name))}
        query = select(Document.id, Document.title, Document.text).order_by(Document.id)
        if scope.document_ids is not None:
            query = query.where(Document.id.in_(scope.document_ids))
        documents = [] if scope.empty else session.execute(query).all()
        wanted = [d.id for d in documents]
        annotation_query = scoped(select(Annotation).order_by(Annotation.id), scope)
        annotations = [
            a
            for a in session.scalars(annotation_query.where(Annotation.document_id.in_(wanted)))
            if not scope.needle or scope.needle in a.quote.casefold() or scope.needle in a.memo.casefold()
        ]
        memos = session.scalars(
            select(DocumentMemo).where(DocumentMemo.document_id.in_(wanted)).order_by(DocumentMemo.id)
        ).all()
        attributes = attributes_by_document(session, wanted)
        descriptions = {d.id: with_zones("", d.text, zones_of(session, d.id)) for d in documents}
        project = _project(
            name, codes, coders, documents, annotations, memos, attributes, descriptions, nvivo_positions
        )
    write_qdpx(project, out, bom=nvivo_positions)
    return QdpxExportSummary(len(project.sources), len(annotations), _count(codes), len(project.notes))


def _project(
    name: str,
    codes: list[QdaCode],
    coders: dict[int, str],
    documents: Sequence[Any],
    annotations: list[Annotation],
    memos: Sequence[DocumentMemo],
    attributes: dict[int, dict[str, list[str]]],
    descriptions: dict[int, str],
    nvivo_positions: bool,
) -> QdaProject:
    notes: list[QdaNote] = []
    by_document: dict[int, list[QdaSelection]] = {}
    texts = {d.id: d.text for d in documents}
    tables: dict[int, list[int]] = {}
    for a in annotations:
        table = tables.get(a.document_id)
        if table is None:
            table = tables[a.document_id] = export_offsets(
                texts[a.document_id], utf16=nvivo_positions, crlf=nvivo_positions
            )
        note_guids: tuple[str, ...] = ()
        if a.memo:
            note = QdaNote(
                _guid("memo", a.id),
                f"Memo on annotation {a.id}",
                a.memo,
                _guid("coder", a.coder_id),
                _when(a.created_at),
                _when(a.updated_at),
            )
            notes.append(note)
            note_guids = (note.guid,)
        user = _guid("coder", a.coder_id)
        by_document.setdefault(a.document_id, []).append(
            QdaSelection(
                guid=_guid("selection", a.id),
                start=table[a.start],
                end=table[a.end],
                user_guid=user,
                created=_when(a.created_at),
                modified=_when(a.updated_at),
                codings=(
                    QdaCoding(_guid("coding", a.id), _guid("code", a.code_id), user, _when(a.created_at)),
                ),
                note_guids=note_guids,
                name=f"{_ANNOTATION}{a.id}",
            )
        )
    document_notes: dict[int, list[str]] = {}
    for memo in memos:
        note = QdaNote(
            _guid("document memo", memo.id),
            "Document memo",
            memo.text,
            _guid("coder", memo.coder_id),
            _when(memo.updated_at),
            _when(memo.updated_at),
        )
        notes.append(note)
        document_notes.setdefault(memo.document_id, []).append(note.guid)
    variable_names = sorted({n for attrs in attributes.values() for n in attrs})
    variables = tuple(QdaVariable(_guid("variable", n), n) for n in variable_names)
    sources: list[QdaTextSource] = []
    cases: list[QdaCase] = []
    for d in documents:
        values = tuple(
            (_guid("variable", n), value) for n, vs in attributes.get(d.id, {}).items() for value in vs
        )
        guid = _guid("document", d.id)
        sources.append(
            QdaTextSource(
                guid=guid,
                name=d.title,
                raw=d.text.replace("\n", "\r\n") if nvivo_positions else d.text,
                selections=tuple(by_document.get(d.id, ())),
                note_guids=tuple(document_notes.get(d.id, ())),
                values=values,
                description=descriptions.get(d.id, ""),
            )
        )
        if values:
            cases.append(QdaCase(_guid("case", d.id), d.title, values, (guid,)))
    used = {a.coder_id for a in annotations} | {m.coder_id for m in memos}
    users = tuple(QdaUser(_guid("coder", cid), coders[cid]) for cid in sorted(used))
    return QdaProject(
        name=name,
        origin=ORIGIN,
        users=users,
        codes=tuple(codes),
        variables=variables,
        cases=tuple(cases),
        sources=tuple(sources),
        notes=tuple(notes),
    )
