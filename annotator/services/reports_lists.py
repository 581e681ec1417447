"""Reports that list segments rather than count them: retrieval, co-occurrence cells, memos.

Each starts from the same :func:`~annotator.services.reports.load_report_data` as the counting
reports, so a list always holds exactly the segments behind a figure; it then reads the quotes,
memos and texts of just those segments and works. Annotations waiting for review after an update
are left out of lists as of figures; given a ``notes`` list, each function adds the data's notes
to it (how many were left out), for the front end to show with the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.reports.cooccurrence import Proximity, cooccurring_segments
from annotator.core.reports.data import NO_VALUE, ReportData, Segment
from annotator.core.reports.positions import PARTS, part_of
from annotator.core.reports.retrieval import (
    MemoRow,
    Retrieved,
    context_around,
    grouped,
    matching_memos,
    select_segments,
)
from annotator.core.validation import InvalidInputError
from annotator.services.codebook import find_code_by_path
from annotator.services.errors import NotFoundError
from annotator.services.reports_data import ReportFilter, load_report_data
from annotator.store.fast_reads import fetch_rows, read_one_snapshot
from annotator.store.models import Annotation, Coder, Document, DocumentMemo
from annotator.store.project import ProjectStore

DEFAULT_CONTEXT = 80  # characters either side of a retrieved segment
_IDS_AT_ONCE = 5_000
_TEXTS_AT_ONCE = 50


def _code_id(session: Session, data: ReportData, path: str) -> int:
    code_id = find_code_by_path(session, path).id
    if code_id not in data.codes_by_id:
        raise NotFoundError(f"the code {path!r} is outside the codes chosen for this report")
    return code_id


def _retrieved(
    session: Session, data: ReportData, segments: Sequence[Segment], context: int
) -> list[Retrieved]:
    ids = sorted({seg.id for seg in segments})
    texts: dict[int, str] = {}
    if context > 0:
        doc_ids = sorted({seg.document_id for seg in segments})
        for lo in range(0, len(doc_ids), _TEXTS_AT_ONCE):
            batch = doc_ids[lo : lo + _TEXTS_AT_ONCE]
            found = fetch_rows(session, select(Document.id, Document.text).where(Document.id.in_(batch)))
            texts.update({doc_id: text for doc_id, text in found})
    # With the texts at hand a quote is their slice (texts never change once coded): only the
    # memos, few and short, need reading (asked by work: a few hundred parameters, not thousands
    # of ids); otherwise the stored quotes are read with them.
    cells: dict[int, tuple[str, ...]] = {}
    if texts:
        wanted = set(ids)
        doc_ids = sorted(texts)
        for lo in range(0, len(doc_ids), _IDS_AT_ONCE):
            query = select(Annotation.id, Annotation.memo).where(
                Annotation.document_id.in_(doc_ids[lo : lo + _IDS_AT_ONCE]), Annotation.memo != ""
            )
            cells.update({aid: (memo,) for aid, memo in fetch_rows(session, query) if aid in wanted})
    else:
        for lo in range(0, len(ids), _IDS_AT_ONCE):
            by_ids = select(Annotation.id, Annotation.memo, Annotation.quote).where(
                Annotation.id.in_(ids[lo : lo + _IDS_AT_ONCE])
            )
            cells.update({row[0]: tuple(row[1:]) for row in fetch_rows(session, by_ids)})
    hits = []
    for seg in segments:
        text = texts.get(seg.document_id)
        memo, *stored = cells.get(seg.id, ("", ""))
        quote = text[seg.start : seg.end] if text is not None else stored[0]
        before, after = context_around(text or "", seg.start, seg.end, context)
        work = data.works[seg.document_id]
        hits.append(
            Retrieved(
                data.code(seg.code_id).path,
                data.coders.get(seg.coder_id, ""),
                seg.document_id,
                work.title,
                seg.chapter,
                seg.start,
                seg.end,
                before,
                quote,
                after,
                memo,
                work.attributes,
                seg.id,
            )
        )
    return hits


def retrieve_segments(
    store: ProjectStore,
    code: str,
    *,
    within: str = "",
    without: str = "",
    context: int = DEFAULT_CONTEXT,
    group_by: str = "code",
    flt: ReportFilter | None = None,
    notes: list[str] | None = None,
) -> list[tuple[str, list[Retrieved]]]:
    """The segments of ``code`` (or ``code`` within / not ``within``/``without``), grouped.

    The query's codes replace the filter's code choice; its coders, works and zones apply.
    """
    if context < 0:
        raise InvalidInputError("the context is a number of characters, 0 or more")
    if within and without:
        raise InvalidInputError("choose either --within or --not, not both")
    # Only the query's codes (with their sub-codes) are read: a third of the segments or fewer.
    flt = replace(
        flt or ReportFilter(), code_paths=tuple(dict.fromkeys(p for p in (code, within, without) if p))
    )
    data = load_report_data(store, flt)
    _noted(data, notes)
    with store.reading() as session:
        read_one_snapshot(session)
        code_id = _code_id(session, data, code)
        inside = _code_id(session, data, within) if within else None
        outside = _code_id(session, data, without) if without else None
        found = select_segments(data, code_id, within=inside, without=outside)
        hits = _retrieved(session, data, found, context)
    return grouped(hits, group_by, [code.path for code in data.codes])


def cooccurrence_cell(
    store: ProjectStore,
    code_a: str,
    code_b: str,
    proximity: Proximity | None = None,
    flt: ReportFilter | None = None,
    *,
    context: int = DEFAULT_CONTEXT,
    notes: list[str] | None = None,
) -> list[tuple[Retrieved, Retrieved]]:
    """The segment pairs behind one cell of the co-occurrence report: (segment of A, segment of B)."""
    proximity = proximity or Proximity()
    mode = proximity.mode
    data = load_report_data(store, flt, need_text=mode == "paragraph", need_zones=mode == "chapter")
    _noted(data, notes)
    with store.reading() as session:
        read_one_snapshot(session)
        a, b = _code_id(session, data, code_a), _code_id(session, data, code_b)
        pairs = cooccurring_segments(data, proximity, a, b)
        hits = _retrieved(session, data, [seg for pair in pairs for seg in pair], context)
    by_id = {hit.annotation_id: hit for hit in hits}
    return [(by_id[first.id], by_id[second.id]) for first, second in pairs]


def position_cell(
    store: ProjectStore,
    code: str,
    position: str,
    where: str,
    flt: ReportFilter | None = None,
    *,
    context: int = DEFAULT_CONTEXT,
    notes: list[str] | None = None,
) -> list[Retrieved]:
    """The segments behind one cell of the positions report: those of ``code`` (with its sub-codes)
    starting in the ``where`` third of their work (``position`` "part": start, middle, end) or in
    chapter ``where`` (``position`` "chapter": a number, or ``(none)`` outside chapters)."""
    if position == "part" and where not in PARTS:
        raise InvalidInputError(f"a part is one of: {', '.join(PARTS)}")
    if position == "chapter" and not (where.isdigit() or where == NO_VALUE):
        raise InvalidInputError(f"a chapter is a number or {NO_VALUE}")
    if position not in ("part", "chapter"):
        raise InvalidInputError("a position is a part (start, middle, end) or a chapter")
    data = load_report_data(store, flt)
    _noted(data, notes)
    chapter = int(where) if where.isdigit() else None
    with store.reading() as session:
        read_one_snapshot(session)
        found = [
            seg
            for seg in select_segments(data, _code_id(session, data, code))
            if (
                part_of(seg.start, data.works[seg.document_id].length) == where
                if position == "part"
                else seg.chapter == chapter
            )
        ]
        return _retrieved(session, data, found, context)


def list_memos(
    store: ProjectStore, search: str = "", flt: ReportFilter | None = None, notes: list[str] | None = None
) -> list[MemoRow]:
    """Every annotation memo (of the segments in scope) and document memo (of the works and coders
    in scope) holding ``search``; by work, its document memos first, then by position."""
    data = load_report_data(store, flt, need_zones=False)  # memos show no chapter
    _noted(data, notes)
    ids = data.segments.id
    by_id = np.argsort(ids)
    rows: list[MemoRow] = []
    with store.reading() as session:
        read_one_snapshot(session)
        query = select(Annotation.id, Annotation.quote, Annotation.memo).where(Annotation.memo != "")
        memos = fetch_rows(session, query)
        wanted = np.array([aid for aid, _, _ in memos], dtype=np.int64)
        at = (
            by_id[np.minimum(np.searchsorted(ids[by_id], wanted), max(len(ids) - 1, 0))]
            if len(ids)
            else wanted
        )
        for (aid, quote, memo), i in zip(memos, at.tolist(), strict=True):
            if not len(ids) or ids[i] != aid:
                continue  # a segment outside the report's scope
            seg = data.segments.row(i)
            code = data.code(seg.code_id).path
            title = data.works[seg.document_id].title
            coder = data.coders.get(seg.coder_id, "")
            rows.append(
                MemoRow(
                    "annotation", seg.document_id, title, coder, memo, code, seg.start, seg.end, quote, aid
                )
            )
        coders = set(data.coders) if (flt and flt.coders) else None
        memo_query = select(DocumentMemo.document_id, DocumentMemo.coder_id, DocumentMemo.text)
        names = _coder_names(session)
        for doc_id, coder_id, text in session.execute(memo_query.where(DocumentMemo.text != "")):
            if doc_id in data.works and (coders is None or coder_id in coders):
                rows.append(
                    MemoRow("document", doc_id, data.works[doc_id].title, names.get(coder_id, ""), text)
                )
    return matching_memos(rows, search)


def _noted(data: ReportData, notes: list[str] | None) -> None:
    if notes is not None:
        notes.extend(note for note in data.notes if note not in notes)


def _coder_names(session: Session) -> dict[int, str]:
    return {cid: name for cid, name in session.execute(select(Coder.id, Coder.name))}
