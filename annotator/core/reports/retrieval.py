"""Retrieval: the segments of a code, or of a query on two codes, with what surrounds them.

``code A`` gives every segment of A (a group: of its sub-codes too). ``A within B`` keeps those
lying wholly inside a segment of B, ``A not B`` those overlapping no segment of B; both compare
segments of the same work by the same coder. Each hit carries its context, memo, coder and the
work's title and attributes (:class:`Retrieved`); :func:`grouped` orders them by code or by work.
Memos (:class:`MemoRow`) are every annotation memo and every document memo, searchable together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from annotator.core.reports.data import ReportData, Segment, Table
from annotator.core.validation import InvalidInputError

GROUPINGS = ("code", "work")


def _of_code(data: ReportData, code_id: int) -> list[Segment]:
    """The segments of ``code_id`` and its sub-codes in scope, in the data's order (by work, start)."""
    under = [code.id for code in data.codes if code_id in code.rolls_into]
    return data.segments.rows(np.nonzero(np.isin(data.segments.code_id, under))[0])


def select_segments(
    data: ReportData, code_id: int, *, within: int | None = None, without: int | None = None
) -> list[Segment]:
    """The segments of ``code_id`` (see the module's text), by work, start, end."""
    if within is not None and without is not None:
        raise InvalidInputError("choose either 'within' or 'not', not both")
    hits = _of_code(data, code_id)
    other = within if within is not None else without
    if other is None:
        return hits
    others: dict[tuple[int, int], list[Segment]] = defaultdict(list)
    for seg in _of_code(data, other):
        others[(seg.document_id, seg.coder_id)].append(seg)
    kept = []
    for seg in hits:
        near = [o for o in others.get((seg.document_id, seg.coder_id), ()) if o.id != seg.id]
        if within is not None:
            if any(o.start <= seg.start and seg.end <= o.end for o in near):
                kept.append(seg)
        elif not any(o.start < seg.end and seg.start < o.end for o in near):
            kept.append(seg)
    return kept


def context_around(text: str, start: int, end: int, chars: int) -> tuple[str, str]:
    """Up to ``chars`` characters before and after ``[start, end)`` of ``text``."""
    return text[max(0, start - chars) : start], text[end : end + chars]


@dataclass(frozen=True)
class Retrieved:
    code: str
    coder: str
    document_id: int
    title: str
    chapter: int | None
    start: int
    end: int
    before: str
    text: str
    after: str
    memo: str
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    annotation_id: int = 0


def grouped(
    hits: Iterable[Retrieved], by: str, code_order: Sequence[str] = ()
) -> list[tuple[str, list[Retrieved]]]:
    """``hits`` in groups: by code (in ``code_order``, the codebook's) or by work (by id), text
    order inside."""
    if by not in GROUPINGS:
        raise InvalidInputError(f"group by one of: {', '.join(GROUPINGS)}")
    groups: dict[str, list[Retrieved]] = {}
    for hit in hits:
        key = hit.code if by == "code" else f"{hit.document_id}: {hit.title}"
        groups.setdefault(key, []).append(hit)
    for items in groups.values():
        items.sort(key=lambda h: (h.document_id, h.start, h.end, h.annotation_id))
    if by == "work":
        return sorted(groups.items(), key=lambda item: item[1][0].document_id)
    rank = {path: i for i, path in enumerate(code_order)}
    return sorted(groups.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))


def retrieved_table(groups: Sequence[tuple[str, Sequence[Retrieved]]], attributes: Sequence[str]) -> Table:
    """One row per hit, the work's attributes (several values joined by "; ") as columns."""
    header: tuple[str, ...] = (
        "group",
        "annotation_id",
        "code",
        "coder",
        "document_id",
        "document",
        "chapter",
    )
    header += ("start", "end", "before", "text", "after", "memo", *attributes)
    rows = tuple(
        (
            key,
            h.annotation_id,
            h.code,
            h.coder,
            h.document_id,
            h.title,
            h.chapter,
            h.start,
            h.end,
            h.before,
            h.text,
            h.after,
            h.memo,
            *("; ".join(h.attributes.get(name, ())) for name in attributes),
        )
        for key, hits in groups
        for h in hits
    )
    return Table(header, rows)


@dataclass(frozen=True)
class MemoRow:
    kind: str  # "annotation" or "document"
    document_id: int
    title: str
    coder: str
    memo: str
    code: str = ""  # annotation memos only
    start: int | None = None
    end: int | None = None
    quote: str = ""
    annotation_id: int | None = None


def matching_memos(rows: Iterable[MemoRow], search: str) -> list[MemoRow]:
    """Memos holding ``search`` (any case) in the memo, quote, title, code or coder; all if empty."""
    needle = search.casefold().strip()
    kept = [
        row
        for row in rows
        if row.memo.strip()
        and (
            not needle
            or any(
                needle in part.casefold() for part in (row.memo, row.quote, row.title, row.code, row.coder)
            )
        )
    ]
    return sorted(
        kept, key=lambda r: (r.document_id, r.kind != "document", r.start or 0, r.coder, r.annotation_id or 0)
    )


def memo_table(rows: Sequence[MemoRow]) -> Table:
    header = (
        "kind",
        "document_id",
        "document",
        "coder",
        "code",
        "start",
        "end",
        "quote",
        "memo",
        "annotation_id",
    )
    return Table(
        header,
        tuple(
            (
                r.kind,
                r.document_id,
                r.title,
                r.coder,
                r.code,
                r.start,
                r.end,
                r.quote,
                r.memo,
                r.annotation_id,
            )
            for r in rows
        ),
    )
