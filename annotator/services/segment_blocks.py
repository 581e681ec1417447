"""Cutting a segments export into blocks of rows in file order, for two processes to share.

A block is the rows between two keys ``(document id, start)``: the rows of the file are ordered by
document, start, end and id, so consecutive blocks hold consecutive stretches of the file. The
cuts are planned from a per-document count, so a block's size is an estimate; the blocks hold
every row once whatever the counts (the first and last are open-ended).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session

from annotator.services.segment_query import SegmentScope
from annotator.store.fast_reads import utf8_rows_sql
from annotator.store.models import Annotation

_BLOCKS = 32  # blocks per export: enough for the two processes to finish close together
_BLOCK_ROWS = (5_000, 50_000)  # but each at least and at most this many rows (memory: ~700 B a row)

Key = tuple[int, int]
"""(document id, start): rows are cut into blocks between two keys."""
DocumentCounts = list[tuple[int, int, int]]
"""(document id, rows, last start) of each document with rows, in id order."""


def document_counts(session: Session, scope: SegmentScope) -> DocumentCounts:
    """The :data:`DocumentCounts` of the rows in ``scope``, for :func:`row_blocks`.

    Only the document filter applies, so the counts come from the document index alone (~0.1 s
    for a million rows, where a code or coder filter would read every row); a count is then at
    least the rows exported, which is all :func:`row_blocks` needs.
    """
    query = select(Annotation.document_id, func.count(), func.max(Annotation.start))
    if scope.document_ids is not None:
        query = query.where(Annotation.document_id.in_(scope.document_ids))
    rows = session.execute(query.group_by(Annotation.document_id).order_by(Annotation.document_id))
    return [(did, count, last_start) for did, count, last_start in rows]


def row_blocks(counts: DocumentCounts, block_rows: int | None = None) -> list[Key]:
    """Where to cut rows counted by :func:`document_counts` into blocks of about ``block_rows``
    (default: an export's share of :data:`_BLOCKS`, within :data:`_BLOCK_ROWS`).

    The cuts are keys in row order: a block holds the rows from one cut (inclusive) to the next,
    the first block everything before the first cut and the last everything after the last, so
    the blocks hold every row once whatever the counts. A document bigger than a block is cut at
    evenly spaced starts. The sizes are estimates, which only affects how evenly work is shared.
    """
    low, high = _BLOCK_ROWS
    size = block_rows or min(max(sum(count for _, count, _ in counts) // _BLOCKS, low), high)
    cuts: list[Key] = []
    filled = 0
    for document_id, count, last_start in counts:
        pieces = count // size
        if filled >= size or (pieces >= 2 and filled):
            cuts.append((document_id, 0))
            filled = 0
        if pieces >= 2:
            starts = sorted({last_start * k // pieces for k in range(1, pieces)} - {0})
            cuts.extend((document_id, start) for start in starts)
            filled = count // pieces
        else:
            filled += count
    return cuts


def block_conditions(cuts: list[Key]) -> list[list[ColumnElement[bool]]]:
    """For each block between consecutive ``cuts``, the conditions its rows meet."""
    key = tuple_(Annotation.document_id, Annotation.start)
    return [
        [*([] if low is None else [key >= tuple_(*low)]), *([] if high is None else [key < tuple_(*high)])]
        for low, high in zip([None, *cuts], [*cuts, None], strict=True)
    ]


def block_queries(session: Session, query: Any, cuts: list[Key]) -> list[str]:
    """Each block's rows of ``query`` (a :func:`~annotator.services.segment_query.rows_query`), as
    SQL for :func:`~annotator.store.raw_rows.utf8_batches`."""
    return [utf8_rows_sql(session, query.where(*conditions)) for conditions in block_conditions(cuts)]
