"""What report files and charts need beyond the figures: code colours and a coded work to read.

The figures themselves come from :mod:`annotator.services.reports`; this adds the codes' colours
(the strips and highlights use them, so a code looks the same as in the viewer) and, for the
``document`` report, the work's text with its spans, annotation memos and document memos.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from annotator.core.codebook import CodeNode, code_paths
from annotator.core.reports.attributes import (
    PUBLISHED_YEAR,
    WORD_BANDS,
    WORDS_BAND,
    attribute_name,
    value_order,
    values_of,
)
from annotator.core.reports.data import NO_VALUE
from annotator.core.reports.reading import CodedSpan, CodedWork
from annotator.services.errors import NotFoundError
from annotator.services.reports_data import ReportFilter, load_report_data
from annotator.store.fast_reads import read_one_snapshot
from annotator.store.models import Annotation, Code, Coder, Document, DocumentAttribute, DocumentMemo
from annotator.store.project import ProjectStore


def code_colours(store: ProjectStore) -> dict[str, str]:
    """Each code's path and colour, as the codebook shows them."""
    with store.reading() as session:
        rows = session.execute(select(Code.id, Code.parent_id, Code.name, Code.position, Code.colour)).all()
    paths = code_paths(CodeNode(*row[:4]) for row in rows)
    return {paths[row[0]]: row[4] for row in rows}


def coded_work(
    store: ProjectStore, document_id: int, flt: ReportFilter | None = None, notes: list[str] | None = None
) -> CodedWork:
    """Work ``document_id`` with the spans the filter keeps (its coders, codes and zones); spans
    waiting for review after an update are left out, and ``notes`` (if given) get how many."""
    flt = flt or ReportFilter()
    narrowed = ReportFilter(flt.coders, flt.code_paths, (document_id,), (), flt.zones, flt.part)
    data = load_report_data(store, narrowed)
    if notes is not None:
        notes.extend(note for note in data.notes if note not in notes)
    if document_id not in data.works:
        raise NotFoundError(f"no document with id {document_id}")
    segments = sorted(data.segments.rows(), key=lambda seg: (seg.start, seg.end, seg.id))
    colours = code_colours(store)
    with store.reading() as session:
        read_one_snapshot(session)
        text = session.scalar(select(Document.text).where(Document.id == document_id)) or ""
        memo_rows = session.execute(
            select(Annotation.id, Annotation.memo).where(
                Annotation.document_id == document_id, Annotation.memo != ""
            )
        )
        memos = {aid: memo for aid, memo in memo_rows}
        coders = set(data.coders) if flt.coders else None
        document_memos = tuple(
            (name, memo)
            for coder_id, name, memo in session.execute(
                select(DocumentMemo.coder_id, Coder.name, DocumentMemo.text)
                .join(Coder, Coder.id == DocumentMemo.coder_id)
                .where(DocumentMemo.document_id == document_id, DocumentMemo.text != "")
                .order_by(Coder.name)
            )
            if coders is None or coder_id in coders
        )
    spans = tuple(
        CodedSpan(
            data.code(seg.code_id).path,
            data.coders.get(seg.coder_id, ""),
            seg.start,
            seg.end,
            memos.get(seg.id, ""),
            seg.id,
        )
        for seg in segments
    )
    work = data.works[document_id]
    used = {span.code: colours.get(span.code, "#888888") for span in spans}
    return CodedWork(document_id, work.title, text, spans, used, work.attributes, document_memos)


def attribute_names(store: ProjectStore) -> list[str]:
    """The attributes a crosstab can use: those works have, then the words band and year."""
    with store.reading() as session:
        names = sorted({name for (name,) in session.execute(select(DocumentAttribute.name).distinct())})
    return [*names, WORDS_BAND, PUBLISHED_YEAR]


def attribute_values(store: ProjectStore, name: str) -> list[str]:
    """The values works have for attribute ``name`` (as a report filter takes them), in the
    crosstab's column order: bands and years ascending, others by works (most first)."""
    key = attribute_name(name)
    if key == WORDS_BAND:
        return [label for _, label in WORD_BANDS]
    stored = "published" if key == PUBLISHED_YEAR else key
    works: Counter[str] = Counter()
    with store.reading() as session:
        rows = session.execute(
            select(DocumentAttribute.document_id, DocumentAttribute.value)
            .where(func.lower(DocumentAttribute.name) == stored.casefold())
            .distinct()
        )
        for _, value in rows:
            works.update(values_of({stored: [value]}, key, 0))
    works.pop(NO_VALUE, None)
    return value_order(key, works)
