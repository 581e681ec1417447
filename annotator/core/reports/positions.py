"""Where codes fall: along one work (a strip per code, chapters marked) and across the corpus.

Across the corpus a segment counts by where it starts: in the first, middle or last third of its
work's text (``3 × start < length``: start; ``< 2 × length``: middle; else end), and in the
chapter its start lies in (``(none)`` outside chapters: summaries, notes, unchaptered works).
Groups are rolled up over their sub-codes; segments of every coder in scope count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotator.core.reports.data import NO_CHAPTER, NO_VALUE, ReportData, Table

PARTS = ("start", "middle", "end")


def part_of(start: int, length: int) -> str:
    if 3 * start < length:
        return PARTS[0]
    return PARTS[1] if 3 * start < 2 * length else PARTS[2]


@dataclass(frozen=True)
class PositionReport:
    codes: tuple[str, ...]
    chapters: tuple[str, ...]  # "1", "2" … then "(none)" if any segment lies outside chapters
    by_part: tuple[tuple[int, ...], ...]  # per code: segments in the start, middle, end
    by_chapter: tuple[tuple[int, ...], ...]  # per code: segments per chapter, as ``chapters``
    notes: tuple[str, ...] = ()

    def tidy(self) -> Table:
        rows: list[tuple[object, ...]] = []
        for code, parts, chapters in zip(self.codes, self.by_part, self.by_chapter, strict=True):
            rows += [(code, "part", part, "segments", n) for part, n in zip(PARTS, parts, strict=True)]
            rows += [
                (code, "chapter", ch, "segments", n) for ch, n in zip(self.chapters, chapters, strict=True)
            ]
        return Table(("code", "position", "where", "measure", "value"), tuple(rows))


def code_positions(data: ReportData) -> PositionReport:
    segs = data.segments
    index, code = data.rolled()
    lengths = np.array([data.works[int(w)].length for w in data.work_ids], dtype=np.int64)
    length = lengths[data.work_index(segs.document_id[index])] if len(index) else np.zeros(0, np.int64)
    start = segs.start[index]
    part = (3 * start >= length).astype(np.int64) + (3 * start >= 2 * length)
    n_codes = len(data.codes)
    by_part = np.bincount(code * 3 + part, minlength=n_codes * 3).reshape(n_codes, 3)
    numbers = np.unique(segs.chapter[index])
    chapters = [int(n) for n in numbers if n != NO_CHAPTER]
    labels = tuple(str(n) for n in chapters) + ((NO_VALUE,) if NO_CHAPTER in numbers else ())
    # Columns in chapter order, "(none)" last.
    column = np.searchsorted(numbers, segs.chapter[index])
    rank = np.argsort(np.argsort(np.where(numbers == NO_CHAPTER, np.iinfo(np.int64).max, numbers)))
    width = len(numbers)
    by_chapter = np.bincount(code * width + rank[column], minlength=n_codes * width).reshape(n_codes, width)
    return PositionReport(
        tuple(c.path for c in data.codes),
        labels,
        tuple(tuple(int(n) for n in row) for row in by_part),
        tuple(tuple(int(n) for n in row) for row in by_chapter),
        data.notes,
    )


@dataclass(frozen=True)
class StripSpan:
    code: str
    coder: str
    start: int
    end: int


@dataclass(frozen=True)
class DocumentStrip:
    """One work's codes along its text: a chart draws one strip per code, chapters marked."""

    document_id: int
    title: str
    length: int
    chapters: tuple[tuple[int, int, int], ...]  # (number, start, end)
    codes: tuple[str, ...]  # the strips, in codebook order (codes used in this work)
    spans: tuple[StripSpan, ...]  # by code (strip order), then start

    def tidy(self) -> Table:
        rows = tuple(
            (
                self.document_id,
                span.code,
                span.coder,
                span.start,
                span.end,
                span.start / self.length if self.length else 0.0,
            )
            for span in self.spans
        )
        return Table(("document_id", "code", "coder", "start", "end", "relative_start"), rows)


def document_strip(data: ReportData, document_id: int) -> DocumentStrip:
    """The strips of work ``document_id`` (which must be in ``data.works``); codes as applied."""
    work = data.works[document_id]
    order = {code.id: i for i, code in enumerate(data.codes)}
    mine = data.segments.rows(np.nonzero(data.segments.document_id == document_id)[0])
    mine = sorted(
        (seg for seg in mine if seg.code_id in order),
        key=lambda seg: (order[seg.code_id], seg.start, seg.end, seg.id),
    )
    used = tuple(dict.fromkeys(data.code(seg.code_id).path for seg in mine))
    spans = tuple(
        StripSpan(data.code(seg.code_id).path, data.coders.get(seg.coder_id, ""), seg.start, seg.end)
        for seg in mine
    )
    return DocumentStrip(work.id, work.title, work.length, work.chapters, used, spans)
