"""Small hand-made report data for the core report tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from annotator.core.reports.data import ReportData, Segment, SegmentColumns, Work, rolled_codes

# Codes: 1 Trope, 2 Trope/Slow burn, 3 Trope/Fluff, 4 Angst.
NODES = ((1, None), (2, 1), (3, 1), (4, None))
PATHS = {1: "Trope", 2: "Trope/Slow burn", 3: "Trope/Fluff", 4: "Angst"}
CODERS = {10: "ana", 11: "ben"}


def work(
    doc_id: int,
    length: int = 100,
    *,
    words: int = 1_000,
    attributes: Mapping[str, Sequence[str]] | None = None,
    chapters: tuple[tuple[int, int, int], ...] = (),
    line_breaks: tuple[int, ...] | None = None,
    in_scope: int | None = None,
) -> Work:
    return Work(
        doc_id,
        f"Work {doc_id}",
        length,
        length if in_scope is None else in_scope,
        words,
        attributes or {},
        chapters,
        line_breaks,
    )


def data(
    segments: Sequence[tuple[int, int, int, int, int]],
    works: Sequence[Work],
    *,
    codes: Sequence[int] = (1, 2, 3, 4),
    chapters: Sequence[int | None] | None = None,
) -> ReportData:
    """``segments`` as (document, code, coder, start, end); ids are their positions + 1."""
    rows = [
        Segment(i + 1, d, c, k, s, e, None if chapters is None else chapters[i])
        for i, (d, c, k, s, e) in enumerate(segments)
    ]
    return ReportData(
        rolled_codes(NODES, PATHS, list(codes)),
        CODERS,
        {w.id: w for w in works},
        SegmentColumns.of(rows),
    )
