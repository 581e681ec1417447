"""What every report is computed from: the works, codes, coders and coded segments in scope.

The services build a :class:`ReportData` once per report from a project and a filter; the
report functions only read it. Segments are numpy columns (:class:`SegmentColumns`): a report
over 100k segments is a few array operations, not 100k Python steps. Offsets are code points of
the stored text, like everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

ALL_CODERS = "(all coders)"
NO_VALUE = "(none)"
NO_CHAPTER = -1

Ints = npt.NDArray[np.int64]


class Segment(NamedTuple):
    """One coded span: ``[start, end)`` of work ``document_id``, by one coder, with one code;
    ``chapter`` is the number of the chapter its start lies in (None outside chapters)."""

    id: int
    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    chapter: int | None = None


_COLUMNS = ("id", "document_id", "code_id", "coder_id", "start", "end", "chapter")


@dataclass(frozen=True, eq=False)
class SegmentColumns:
    """Segments as parallel int64 arrays (``chapter`` is :data:`NO_CHAPTER` outside chapters)."""

    id: Ints
    document_id: Ints
    code_id: Ints
    coder_id: Ints
    start: Ints
    end: Ints
    chapter: Ints

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[int, int, int, int, int, int, int]] | Ints) -> SegmentColumns:
        """From ``(id, document, code, coder, start, end, chapter)`` rows (or a 7-column array)."""
        table = np.asarray(rows, dtype=np.int64).reshape(-1, len(_COLUMNS))
        return cls(*(np.ascontiguousarray(table[:, i]) for i in range(len(_COLUMNS))))

    @classmethod
    def of(cls, segments: Iterable[Segment]) -> SegmentColumns:
        rows = [(*s[:6], NO_CHAPTER if s.chapter is None else s.chapter) for s in segments]
        return cls.from_rows(rows)

    def __len__(self) -> int:
        return len(self.id)

    def row(self, i: int) -> Segment:
        chapter = int(self.chapter[i])
        return Segment(
            int(self.id[i]),
            int(self.document_id[i]),
            int(self.code_id[i]),
            int(self.coder_id[i]),
            int(self.start[i]),
            int(self.end[i]),
            None if chapter == NO_CHAPTER else chapter,
        )

    def rows(self, indexes: Iterable[int] | None = None) -> list[Segment]:
        return [self.row(int(i)) for i in (range(len(self)) if indexes is None else indexes)]


@dataclass(frozen=True)
class Work:
    """A work in scope. ``length`` is its characters, ``in_scope`` those in the chosen zones
    (the whole text when no zone was chosen); ``words`` AO3's stated count, else counted."""

    id: int
    title: str
    length: int
    in_scope: int
    words: int
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    chapters: tuple[tuple[int, int, int], ...] = ()  # (number, start, end), by start
    line_breaks: tuple[int, ...] | None = None  # offsets of "\n", when a report needs paragraphs


@dataclass(frozen=True)
class ReportCode:
    """A code in scope: its path, depth in the tree, and the ids it rolls up into (itself first,
    then each ancestor that is in scope too)."""

    id: int
    path: str
    depth: int
    rolls_into: tuple[int, ...]
    has_children: bool = False


@dataclass(frozen=True)
class ReportData:
    codes: tuple[ReportCode, ...]  # codebook order
    coders: Mapping[int, str]  # id -> name, in name order
    works: Mapping[int, Work]  # by id
    segments: SegmentColumns
    notes: tuple[str, ...] = ()

    def code(self, code_id: int) -> ReportCode:
        return self.codes_by_id[code_id]

    @cached_property
    def codes_by_id(self) -> dict[int, ReportCode]:
        return {code.id: code for code in self.codes}

    def code_by_path(self, path: str) -> ReportCode | None:
        return next((code for code in self.codes if code.path == path), None)

    @cached_property
    def work_ids(self) -> Ints:
        """The works' ids, ascending: position ``i`` is the work's dense index."""
        return np.array(sorted(self.works), dtype=np.int64)

    def work_index(self, document_ids: Ints) -> Ints:
        return np.searchsorted(self.work_ids, document_ids).astype(np.int64)

    def code_index(self, code_ids: Ints, level: int = 0) -> Ints:
        """Each code's ``level``-th roll-up target as a position in :attr:`codes` (-1: none)."""
        top = max([c.id for c in self.codes] + [int(code_ids.max()) if len(code_ids) else 0]) + 1
        table = np.full(top, -1, dtype=np.int64)
        position = {code.id: i for i, code in enumerate(self.codes)}
        for code in self.codes:
            if level < len(code.rolls_into):
                table[code.id] = position[code.rolls_into[level]]
        return table[code_ids]

    def rolled(self) -> tuple[Ints, Ints]:
        """(segment index, code position) once for each code a segment counts under: its own and
        each ancestor in scope (a group rolled up over its sub-codes)."""
        levels = max((len(c.rolls_into) for c in self.codes), default=0)
        indexes, positions = [], []
        for level in range(levels):
            target = self.code_index(self.segments.code_id, level)
            kept = np.nonzero(target >= 0)[0]
            indexes.append(kept)
            positions.append(target[kept])
        if not indexes:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(indexes).astype(np.int64), np.concatenate(positions).astype(np.int64)


def rolled_codes(
    nodes: Iterable[tuple[int, int | None]], paths: Mapping[int, str], in_scope: Sequence[int]
) -> tuple[ReportCode, ...]:
    """:class:`ReportCode` for each id of ``in_scope`` (codebook order), from ``(id, parent)`` pairs."""
    parent = dict(nodes)
    wanted = set(in_scope)
    children = {p for p in parent.values() if p is not None}
    codes = []
    for code_id in in_scope:
        chain, depth, node = [code_id], 0, parent.get(code_id)
        seen = {code_id}
        while node is not None and node not in seen:  # a cycle must not hang a report
            seen.add(node)
            depth += 1
            if node in wanted:
                chain.append(node)
            node = parent.get(node)
        codes.append(ReportCode(code_id, paths[code_id], depth, tuple(chain), code_id in children))
    return tuple(codes)


@dataclass(frozen=True)
class Table:
    """Rows in long (tidy) form: what the CSV writer writes and R or pandas read as is."""

    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


def covered_per_group(group: Ints, start: Ints, end: Ints, groups: int) -> Ints:
    """Characters covered by the spans of each group ``0 … groups-1`` (overlaps counted once)."""
    if not len(group):
        return np.zeros(groups, np.int64)
    order = np.lexsort((start, group))
    g, s, e = group[order], start[order], end[order]
    # Shift each group past the previous one's reach, so one running maximum serves them all.
    _, rank = np.unique(g, return_inverse=True)
    shift = rank.astype(np.int64) * (int(e.max()) + 1)
    s, e = s + shift, e + shift
    reach = np.maximum.accumulate(e)
    before = np.concatenate(([s[0]], reach[:-1]))
    gained = np.maximum(0, e - np.maximum(s, before))
    return np.bincount(g, weights=gained, minlength=groups).round().astype(np.int64)


def covered(intervals: Iterable[tuple[int, int]]) -> int:
    """Characters covered by at least one of ``intervals`` (overlaps counted once)."""
    spans = list(intervals)
    if not spans:
        return 0
    start, end = (np.array(column, dtype=np.int64) for column in zip(*spans, strict=True))
    return int(covered_per_group(np.zeros(len(spans), np.int64), start, end, 1)[0])
