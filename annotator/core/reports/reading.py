"""Reports made for reading rather than for R: wide tables and a coded work cut into paragraphs.

:func:`wide` turns a long (tidy) report table into one row per item with a column per measure —
what the Reports window and the HTML report show. :class:`CodedWork` is one work with its coded
spans and memos; :func:`paragraphs` cuts its text at line ends and each paragraph at every span
boundary, so a renderer can draw highlights (overlaps included) and a margin bar per code.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotator.core.reports.data import Table


def wide(table: Table) -> Table:
    """A long table (``…, measure, value``) with the measures as columns; other tables as they are."""
    if len(table.header) < 3 or table.header[-2] != "measure":
        return table
    keys: dict[tuple[object, ...], dict[str, object]] = {}
    measures: dict[str, None] = {}
    for row in table.rows:
        *key, measure, value = row
        keys.setdefault(tuple(key), {})[str(measure)] = value
        measures[str(measure)] = None
    header = (*table.header[:-2], *measures)
    rows = tuple((*key, *(values.get(m) for m in measures)) for key, values in keys.items())
    return Table(header, rows)


@dataclass(frozen=True)
class CodedSpan:
    code: str
    coder: str
    start: int
    end: int
    memo: str = ""
    annotation_id: int = 0


@dataclass(frozen=True)
class CodedWork:
    """One work to read: its text, its spans (in scope) and its document memos (coder, memo)."""

    document_id: int
    title: str
    text: str
    spans: tuple[CodedSpan, ...]
    colours: Mapping[str, str] = field(default_factory=dict)  # code path -> "#rrggbb"
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    document_memos: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Piece:
    """A run of text with the same spans over it (indexes into ``CodedWork.spans``)."""

    text: str
    spans: tuple[int, ...]


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    pieces: tuple[Piece, ...]
    spans: tuple[int, ...]  # every span touching the paragraph, by start
    memos_ending: tuple[int, ...]  # spans with a memo that end in this paragraph


def paragraphs(work: CodedWork) -> list[Paragraph]:
    """The work's text by line, each line cut where a span starts or ends."""
    found: list[Paragraph] = []
    position = 0
    by_start = sorted(range(len(work.spans)), key=lambda i: (work.spans[i].start, work.spans[i].end))
    for line in work.text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        touching = tuple(
            i for i in by_start if work.spans[i].start < max(end, start + 1) and work.spans[i].end > start
        )
        cuts = sorted(
            {start, end}
            | {work.spans[i].start for i in touching if start < work.spans[i].start < end}
            | {work.spans[i].end for i in touching if start < work.spans[i].end < end}
        )
        pieces = tuple(
            Piece(
                work.text[a:b],
                tuple(i for i in touching if work.spans[i].start <= a and work.spans[i].end >= b),
            )
            for a, b in itertools.pairwise(cuts)
            if b > a
        )
        # A memo shows beside the line its span ends on (a span ending with the line's "\n" too).
        memos = tuple(i for i in by_start if work.spans[i].memo and start < work.spans[i].end <= end + 1)
        found.append(Paragraph(start, end, pieces, touching, memos))
    return found
