"""Co-occurrence: which codes meet which, as applied (a group is not rolled up over its sub-codes).

Two segments co-occur when they are in the same work, by the same coder (co-occurrence is about
one reading), with different codes, and are near by the chosen :class:`Proximity`:

- ``overlap``: they share at least one character;
- ``distance``: at most ``distance`` characters lie between them (overlapping ones included);
- ``paragraph``: they touch a common paragraph (a line of the text);
- ``chapter``: they touch a common chapter (text before the first chapter counts as one, and
  text after a chapter, its end notes, belongs to it until the next one starts).

For a pair of codes A, B: ``pairs`` counts co-occurring segment pairs; ``jaccard`` is the share
of the segments of A or B that co-occur with a segment of the other code, i.e. the Jaccard index
of "segments near an A" and "segments near a B" over the segments of A and B (1: every segment
of either meets the other code; 0: none does).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from annotator.core.reports.data import Ints, ReportData, Segment, Table
from annotator.core.validation import InvalidInputError

MODES = ("overlap", "distance", "paragraph", "chapter")
PAIRS_AT_ONCE = 2_000_000


@dataclass(frozen=True)
class Proximity:
    mode: str = "overlap"
    distance: int = 0  # characters, for mode "distance"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InvalidInputError(f"unknown proximity {self.mode!r}; choose one of: {', '.join(MODES)}")
        if self.distance < 0:
            raise InvalidInputError("the distance is a number of characters, 0 or more")

    def describe(self) -> str:
        if self.mode == "distance":
            return f"within {self.distance} characters"
        return {"overlap": "overlapping", "paragraph": "in the same paragraph"}.get(
            self.mode, "in the same chapter"
        )


@dataclass(frozen=True)
class CooccurrenceCell:
    code_a: str
    code_b: str
    pairs: int
    segments_a: int  # segments of A that co-occur with a B
    segments_b: int
    jaccard: float | None  # None when neither code has a segment


@dataclass(frozen=True)
class CooccurrenceReport:
    proximity: Proximity
    codes: tuple[str, ...]
    segments: tuple[int, ...]  # segments of each code
    cells: tuple[CooccurrenceCell, ...]  # each unordered pair once, code_a before code_b
    notes: tuple[str, ...] = ()

    def cell(self, code_a: str, code_b: str) -> CooccurrenceCell:
        for cell in self.cells:
            if {cell.code_a, cell.code_b} == {code_a, code_b} and code_a != code_b:
                return cell
        raise KeyError((code_a, code_b))

    def tidy(self) -> Table:
        rows: list[tuple[object, ...]] = []
        for cell in self.cells:
            for a, b in ((cell.code_a, cell.code_b), (cell.code_b, cell.code_a)):
                rows += [(a, b, "pairs", cell.pairs), (a, b, "jaccard", cell.jaccard)]
        return Table(("code_a", "code_b", "measure", "value"), tuple(rows))


def _units(data: ReportData, proximity: Proximity) -> tuple[Ints, Ints]:
    """The closed range ``[lo, hi]`` each segment occupies on the proximity's scale."""
    segs = data.segments
    last = np.maximum(segs.start, segs.end - 1)
    if proximity.mode == "overlap":
        return segs.start, segs.end - 1
    if proximity.mode == "distance":
        return segs.start, segs.end + proximity.distance
    lo, hi = np.zeros(len(segs), np.int64), np.zeros(len(segs), np.int64)
    order = np.argsort(segs.document_id, kind="stable")
    ids, first = np.unique(segs.document_id[order], return_index=True)
    bounds = [*first.tolist(), len(order)]
    for i, doc_id in enumerate(ids.tolist()):
        work = data.works.get(doc_id)
        rows = order[bounds[i] : bounds[i + 1]]
        if work is None:
            continue
        if proximity.mode == "paragraph":
            # A paragraph is a line: its index is the number of line breaks before the offset.
            breaks = np.asarray(work.line_breaks or (), dtype=np.int64)
            lo[rows] = np.searchsorted(breaks, segs.start[rows], "left")
            hi[rows] = np.searchsorted(breaks, last[rows], "left")
        else:
            starts = np.asarray([start for _, start, _ in work.chapters], dtype=np.int64)
            lo[rows] = np.searchsorted(starts, segs.start[rows], "right")
            hi[rows] = np.searchsorted(starts, last[rows], "right")
    return lo, hi


def near_pairs(data: ReportData, proximity: Proximity) -> Iterator[tuple[Ints, Ints]]:
    """Every co-occurring pair of segments with codes in scope, each once, as chunks of two arrays
    of segment indexes (the first segment's range starts no later than the second's).

    Chunks hold about :data:`PAIRS_AT_ONCE` pairs, so a work coded densely in one chapter (the
    pairs grow with the square of its segments) takes time, not all the memory.
    """
    segs = data.segments
    lo, hi = _units(data, proximity)
    code = data.code_index(segs.code_id)
    kept = np.nonzero((code >= 0) & (lo <= hi))[0]
    if not len(kept):
        return
    _, group = np.unique(
        segs.document_id[kept] * (int(segs.coder_id.max()) + 1) + segs.coder_id[kept], return_inverse=True
    )
    # Groups (work, coder) laid end to end on one axis, each past the previous one's reach.
    low = int(lo[kept].min())
    shift = group.astype(np.int64) * (int(hi[kept].max()) - low + 2)
    order = np.lexsort((hi[kept], lo[kept], group))
    rows = kept[order]
    lo_s, hi_s = lo[rows] - low + shift[order], hi[rows] - low + shift[order]
    # Sorted by lo, so the segments after i near it are exactly those starting up to its hi.
    count = np.searchsorted(lo_s, hi_s, "right") - np.arange(len(rows)) - 1
    ends = np.cumsum(count)
    begin = 0
    while begin < len(rows):
        stop = max(
            begin + 1, int(np.searchsorted(ends, (ends[begin] - count[begin]) + PAIRS_AT_ONCE, "right"))
        )
        counts = count[begin:stop]
        total = int(counts.sum())
        first = np.repeat(np.arange(begin, stop), counts)
        second = first + 1 + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))
        a, b = rows[first], rows[second]
        differ = code[a] != code[b]
        yield a[differ], b[differ]
        begin = stop


def code_cooccurrence(data: ReportData, proximity: Proximity) -> CooccurrenceReport:
    n = len(data.codes)
    code = data.code_index(data.segments.code_id)
    pairs = np.zeros(n * n, dtype=np.int64)
    # Which codes each segment meets (once however often), then per code the segments meeting each.
    met = np.zeros((len(code), n), dtype=bool)
    for a, b in near_pairs(data, proximity):
        ca, cb = code[a], code[b]
        pairs += np.bincount(np.minimum(ca, cb) * n + np.maximum(ca, cb), minlength=n * n)
        met[a, cb] = True
        met[b, ca] = True
    table = np.zeros((n, n), dtype=np.int64)
    has_code = code >= 0
    for other in range(n):
        table[:, other] = np.bincount(code[has_code & met[:, other]], minlength=n)
    meeting = table.reshape(-1)
    counts = np.bincount(code[code >= 0], minlength=n)
    cells = []
    for x, first in enumerate(data.codes):
        for y in range(x + 1, n):
            near_x, near_y = int(meeting[x * n + y]), int(meeting[y * n + x])
            total = int(counts[x] + counts[y])
            jaccard = (near_x + near_y) / total if total else None
            cells.append(
                CooccurrenceCell(
                    first.path, data.codes[y].path, int(pairs[x * n + y]), near_x, near_y, jaccard
                )
            )
    return CooccurrenceReport(
        proximity,
        tuple(c.path for c in data.codes),
        tuple(int(c) for c in counts),
        tuple(cells),
        data.notes,
    )


def cooccurring_segments(
    data: ReportData, proximity: Proximity, code_a: int, code_b: int
) -> list[tuple[Segment, Segment]]:
    """The segment pairs behind one cell: each a segment of ``code_a`` with one of ``code_b``."""
    codes = data.segments.code_id
    found: list[tuple[Segment, Segment]] = []
    for a, b in near_pairs(data, proximity):
        forward = (codes[a] == code_a) & (codes[b] == code_b)
        backward = (codes[a] == code_b) & (codes[b] == code_a)
        firsts = np.concatenate((a[forward], b[backward]))
        seconds = np.concatenate((b[forward], a[backward]))
        found += zip(data.segments.rows(firsts), data.segments.rows(seconds), strict=True)
    found.sort(key=lambda pair: (pair[0].document_id, pair[0].start, pair[1].start, pair[0].id, pair[1].id))
    return found
