"""Columnar (numpy) form of coded spans: the engine behind κ, character α and αU.

Every (code, document) pair gets its own *line* on one global axis, so that a single sort and a
few ``searchsorted``/``bincount`` calls answer questions about all codes and documents at once.
Position ``p`` of document ``d`` for code ``k`` sits at ``k * T + doc_start[d] + p``, where ``T``
is the summed length of all documents. Lines are laid out in the order ``k * D + d``.

Per coder, the table holds that coder's *units*: spans of one code with overlaps merged (a
coder cannot disagree with themselves; αU requires non-overlapping units), then clipped to the
included ranges (*zones*). Touching spans stay separate units, because αU is about where
units begin and end (Krippendorff 1995's example B depends on it). Excluded text belongs to no
continuum: a span crossing an excluded range becomes two units, and no gap spans it either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from annotator.core.agreement_types import CodedSpan, Continuum

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

MAX_CODERS = 62  # coverage states are int64 bit masks, one bit per coder


@dataclass(frozen=True, eq=False)
class SpanTable:
    """Units of every coder on the global line layout described in the module docstring."""

    coders: tuple[str, ...]
    codes: tuple[str, ...]
    document_ids: tuple[int, ...]
    doc_start: IntArray  # (D,) where each document starts on a code's stretch of the axis
    total_length: int  # T: summed document lengths
    included_length: IntArray  # (D,) characters in scope per document
    zone_start: IntArray  # included ranges, global coordinates, for every line, sorted
    zone_end: IntArray
    unit_start: tuple[IntArray, ...]  # per coder: sorted, pairwise non-overlapping units
    unit_end: tuple[IntArray, ...]

    @property
    def n_lines(self) -> int:
        return len(self.codes) * len(self.document_ids)

    @property
    def line_start(self) -> IntArray:
        """Global start of every line, in line order ``k * D + d`` (non-decreasing)."""
        k = np.arange(len(self.codes), dtype=np.int64)[:, None]
        return (k * self.total_length + self.doc_start[None, :]).ravel()

    def line_of(self, positions: IntArray) -> IntArray:
        """Line index of global positions that lie inside some line (not at its very end)."""
        return np.searchsorted(self.line_start, positions, side="right").astype(np.int64) - 1


def normalise_ranges(ranges: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Clip ``[start, end)`` ranges to ``[0, length)``, sort them, merge overlapping/touching."""
    clipped = sorted((max(0, s), min(length, e)) for s, e in ranges)
    merged: list[tuple[int, int]] = []
    for s, e in clipped:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _merge_overlaps(starts: IntArray, ends: IntArray) -> tuple[IntArray, IntArray]:
    """Union overlapping intervals of one sorted-by-start array; touching ones stay apart."""
    if starts.size == 0:
        return starts, ends
    reach = np.maximum.accumulate(ends)
    new_run = np.ones(starts.size, dtype=bool)
    new_run[1:] = starts[1:] >= reach[:-1]
    first = np.flatnonzero(new_run)
    last = np.append(first[1:] - 1, starts.size - 1)
    return starts[first], reach[last]


def expand_overlaps(
    starts: IntArray, ends: IntArray, other_start: IntArray, other_end: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Pairs (i, j) where interval i overlaps ``other`` interval j (sorted, non-overlapping).

    Returns ``(i, j, count)`` with ``count[i]`` the number of ``other`` intervals overlapping
    interval i. Intervals overlap when they share a character; touching ones do not.
    """
    lo = np.searchsorted(other_end, starts, side="right")
    hi = np.searchsorted(other_start, ends, side="left")
    count = np.maximum(hi - lo, 0).astype(np.int64)
    i = np.repeat(np.arange(starts.size, dtype=np.int64), count)
    first_of_i = np.repeat(np.cumsum(count) - count, count)
    j = lo[i] + (np.arange(i.size, dtype=np.int64) - first_of_i)
    return i, j.astype(np.int64), count


@dataclass(frozen=True, eq=False)
class SpanColumns:
    """Coded spans as parallel int64 arrays: the fast form for large projects (no object per span).

    Row i is a span ``[start[i], end[i])`` of document ``document_id[i]`` coded with
    ``codes[code_index[i]]`` by ``coders[coder_index[i]]``; an index of −1 marks a row to ignore.
    Accepted wherever ``compute_agreement`` and the α functions take an iterable of ``CodedSpan``.
    """

    document_id: IntArray
    code_index: IntArray
    coder_index: IntArray
    start: IntArray
    end: IntArray
    codes: tuple[str, ...]
    coders: tuple[str, ...]

    def __post_init__(self) -> None:
        sizes = {np.shape(getattr(self, name)) for name in _COLUMNS}
        if len(sizes) != 1 or len(next(iter(sizes))) != 1:
            raise ValueError("span columns must be one-dimensional arrays of equal length")
        for name in _COLUMNS:  # frozen: coerce through object.__setattr__, as dataclasses do
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=np.int64))
        for index, names in ((self.code_index, self.codes), (self.coder_index, self.coders)):
            if np.any(index >= len(names)) or np.any(index < -1):
                raise ValueError("a span's code or coder index is outside the names given")

    def __len__(self) -> int:
        return int(self.start.size)

    @classmethod
    def from_spans(cls, spans: Iterable[CodedSpan]) -> SpanColumns:
        """Columns of ``spans``, with codes and coders named in sorted order."""
        span_list = list(spans)
        codes = tuple(sorted({s.code for s in span_list}))
        coders = tuple(sorted({s.coder for s in span_list}))
        return cls(*_span_arrays(span_list, codes, coders), codes=codes, coders=coders)

    def relabelled(self, code: str) -> SpanColumns:
        """Every span under the single code ``code`` (e.g. a pooled group: "any code of it")."""
        code_index = np.where(self.code_index >= 0, 0, -1).astype(np.int64)
        return SpanColumns(
            self.document_id, code_index, self.coder_index, self.start, self.end, (code,), self.coders
        )

    def names_used(self, document_ids: Sequence[int]) -> tuple[list[str], list[str]]:
        """Sorted coder and code names that occur on ``document_ids`` (the functions' defaults)."""
        on_docs = np.isin(self.document_id, np.asarray(document_ids, dtype=np.int64))
        used_coders = np.unique(self.coder_index[on_docs & (self.coder_index >= 0)])
        used_codes = np.unique(self.code_index[on_docs & (self.code_index >= 0)])
        return sorted(self.coders[i] for i in used_coders), sorted(self.codes[i] for i in used_codes)


_COLUMNS = ("document_id", "code_index", "coder_index", "start", "end")


def _reindex(index: IntArray, names: Sequence[str], wanted: Sequence[str]) -> IntArray:
    """Indexes into ``names`` turned into indexes into ``wanted`` (−1 where a name is not wanted)."""
    if tuple(names) == tuple(wanted):
        return index
    position = {name: i for i, name in enumerate(wanted)}
    # The trailing −1 makes index −1 ("ignore") map to −1 again.
    lookup = np.array([position.get(name, -1) for name in names] + [-1], dtype=np.int64)
    return lookup[index]


def _span_arrays(
    spans: Sequence[CodedSpan], codes: Sequence[str], coders: Sequence[str]
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray]:
    code_index = {name: i for i, name in enumerate(codes)}
    coder_index = {name: i for i, name in enumerate(coders)}
    n = len(spans)
    return (
        np.fromiter((s.document_id for s in spans), np.int64, n),
        np.fromiter((code_index.get(s.code, -1) for s in spans), np.int64, n),
        np.fromiter((coder_index.get(s.coder, -1) for s in spans), np.int64, n),
        np.fromiter((s.start for s in spans), np.int64, n),
        np.fromiter((s.end for s in spans), np.int64, n),
    )


def build_span_table(
    spans: Iterable[CodedSpan] | SpanColumns,
    continua: Sequence[Continuum],
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
) -> SpanTable:
    """Lay ``spans`` (``CodedSpan`` objects or ``SpanColumns``) out on the global axis.

    Only documents in ``continua`` and (when given) the listed coders and codes count; by default
    coders and codes are those that occur in spans on those documents, sorted. Spans are clipped
    to their document; a span with ``end < start`` is an error.
    """
    document_ids = [c.document_id for c in continua]
    if isinstance(spans, SpanColumns):
        used_coders, used_codes = spans.names_used(document_ids)
        coders = used_coders if coders is None else coders
        codes = used_codes if codes is None else codes
        return span_table_from_arrays(
            spans.document_id,
            _reindex(spans.code_index, spans.codes, codes),
            _reindex(spans.coder_index, spans.coders, coders),
            spans.start,
            spans.end,
            continua,
            codes=codes,
            coders=coders,
        )
    wanted = set(document_ids)
    span_list = [s for s in spans if s.document_id in wanted]
    if coders is None:
        coders = sorted({s.coder for s in span_list})
    if codes is None:
        codes = sorted({s.code for s in span_list})
    arrays = _span_arrays(span_list, codes, coders)
    return span_table_from_arrays(*arrays, continua, codes=codes, coders=coders)


def span_table_from_arrays(
    document_id: IntArray,
    code_index: IntArray,
    coder_index: IntArray,
    start: IntArray,
    end: IntArray,
    continua: Sequence[Continuum],
    *,
    codes: Sequence[str],
    coders: Sequence[str],
) -> SpanTable:
    """Lay spans given as int64 columns out on the global axis (see ``build_span_table``).

    ``code_index``/``coder_index`` refer to ``codes``/``coders``; −1 means "not counted". Spans
    on documents outside ``continua`` are ignored; the rest are clipped to their document.
    """
    document_ids = tuple(c.document_id for c in continua)
    if len(set(document_ids)) != len(document_ids):
        raise ValueError("each document may appear in only one continuum")
    if len(coders) > MAX_CODERS:
        raise ValueError(f"at most {MAX_CODERS} coders are supported")
    lengths = np.array([max(0, c.length) for c in continua], dtype=np.int64)
    doc = _document_index(np.asarray(document_id, dtype=np.int64), document_ids)
    on_docs = doc >= 0
    doc, code, coder = doc[on_docs], code_index[on_docs], coder_index[on_docs]
    start, end = start[on_docs], end[on_docs]
    if np.any(end < start):
        raise ValueError("a span ends before it starts")
    keep = (code >= 0) & (coder >= 0)
    doc, code, coder, start, end = doc[keep], code[keep], coder[keep], start[keep], end[keep]
    start = np.clip(start, 0, lengths[doc])
    end = np.clip(end, 0, lengths[doc])
    keep = end > start
    doc, code, coder, start, end = doc[keep], code[keep], coder[keep], start[keep], end[keep]

    doc_start = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    total = int(lengths.sum())
    offset = code * total + doc_start[doc]
    zone_start, zone_end, included = _zones(continua, lengths, doc_start, total, len(codes))

    axis = max(len(codes) * total, 1)  # global starts lie in [0, axis)
    if len(coders) * axis < 2**62:  # one stable argsort of coder · axis + start: ~30% under lexsort
        order = np.argsort(coder * axis + (offset + start), kind="stable")
    else:
        order = np.lexsort((offset + start, coder))
    g_start, g_end, coder = (offset + start)[order], (offset + end)[order], coder[order]
    bounds = np.searchsorted(coder, np.arange(len(coders) + 1))
    unit_start: list[IntArray] = []
    unit_end: list[IntArray] = []
    for c in range(len(coders)):
        sl = slice(bounds[c], bounds[c + 1])
        s, e = _merge_overlaps(g_start[sl], g_end[sl])
        i, z, _ = expand_overlaps(s, e, zone_start, zone_end)
        unit_start.append(np.maximum(s[i], zone_start[z]))
        unit_end.append(np.minimum(e[i], zone_end[z]))
    return SpanTable(
        coders=tuple(coders),
        codes=tuple(codes),
        document_ids=document_ids,
        doc_start=doc_start,
        total_length=total,
        included_length=included,
        zone_start=zone_start,
        zone_end=zone_end,
        unit_start=tuple(unit_start),
        unit_end=tuple(unit_end),
    )


def _document_index(document_id: IntArray, document_ids: Sequence[int]) -> IntArray:
    """Position of each id in ``document_ids``, −1 for ids not there."""
    ids = np.asarray(document_ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    pos = np.clip(np.searchsorted(sorted_ids, document_id), 0, max(ids.size - 1, 0))
    if ids.size == 0:
        return np.full(document_id.size, -1, dtype=np.int64)
    found = sorted_ids[pos] == document_id
    return np.where(found, order[pos], -1).astype(np.int64)


def _zones(
    continua: Sequence[Continuum], lengths: IntArray, doc_start: IntArray, total: int, n_codes: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Included ranges of every line in global coordinates, and the included length per document."""
    local: list[tuple[int, int, int]] = []  # (document index, start, end)
    included = np.zeros(len(continua), dtype=np.int64)
    for d, continuum in enumerate(continua):
        length = int(lengths[d])
        ranges = [(0, length)] if continuum.included is None else continuum.included
        for s, e in normalise_ranges(ranges, length):
            local.append((d, s, e))
            included[d] += e - s
    arr = np.array(local, dtype=np.int64).reshape(-1, 3)
    base = doc_start[arr[:, 0]]
    k = np.arange(n_codes, dtype=np.int64)[:, None] * total
    zone_start = (k + (base + arr[:, 1])[None, :]).ravel()
    zone_end = (k + (base + arr[:, 2])[None, :]).ravel()
    return zone_start, zone_end, included


@dataclass(frozen=True, eq=False)
class Coverage:
    """Maximal runs of constant coverage: which coders (bit mask) cover each run, per line."""

    line: IntArray
    state: IntArray  # bit c set when coder c covers the run
    length: IntArray


def coverage(table: SpanTable) -> Coverage:
    """Runs covered by at least one coder, via one sort of all unit boundaries.

    Each coder's units are disjoint, so adding ``2**c`` at a unit's start and subtracting it at
    its end makes the running sum the bit mask of coders covering the current position.
    """
    pos_parts: list[IntArray] = []
    delta_parts: list[IntArray] = []
    for c, (s, e) in enumerate(zip(table.unit_start, table.unit_end, strict=True)):
        bit = np.int64(1) << np.int64(c)
        pos_parts += [s, e]
        delta_parts += [np.full(s.size, bit, np.int64), np.full(e.size, -bit, np.int64)]
    if not pos_parts or sum(p.size for p in pos_parts) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Coverage(empty, empty, empty)
    pos = np.concatenate(pos_parts)
    order = np.argsort(pos, kind="stable")
    pos = pos[order]
    state = np.cumsum(np.concatenate(delta_parts)[order])[:-1]
    length = np.diff(pos)
    keep = (state != 0) & (length > 0)
    run_start = pos[:-1][keep]
    return Coverage(table.line_of(run_start), state[keep], length[keep])


def line_sums(table: SpanTable, line: IntArray, weights: npt.ArrayLike) -> FloatArray:
    """Sum ``weights`` per line (float64; exact for integers below 2**53)."""
    sums = np.bincount(line, weights=np.asarray(weights, dtype=np.float64), minlength=table.n_lines)
    return np.asarray(sums, dtype=np.float64)  # bincount's stubs say int; with weights it is float
