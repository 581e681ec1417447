"""Code frequencies: per code (groups rolled up over their sub-codes) and per coder side by side.

For each code and coder: segments, works with at least one segment, coded characters (each
character once however many segments cover it) and share of text (coded characters over the
characters of the works in scope). The pooled column, :data:`ALL_CODERS`, counts every coder's
segments, and characters any of them coded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotator.core.reports.data import ALL_CODERS, ReportData, Table, covered_per_group


@dataclass(frozen=True)
class FrequencyRow:
    code: str
    depth: int
    coder: str
    segments: int
    documents: int
    characters: int
    share: float | None  # None when no text is in scope


@dataclass(frozen=True)
class FrequencyReport:
    coders: tuple[str, ...]  # the coders' names, then ALL_CODERS
    rows: tuple[FrequencyRow, ...]  # code by code (codebook order), each with every coder
    works: int
    characters_in_scope: int
    notes: tuple[str, ...] = ()

    MEASURES = ("segments", "documents", "characters", "share")

    def tidy(self) -> Table:
        rows = tuple(
            (row.code, row.coder, measure, getattr(row, measure))
            for row in self.rows
            for measure in self.MEASURES
        )
        return Table(("code", "coder", "measure", "value"), rows)


def code_frequencies(data: ReportData) -> FrequencyReport:
    segments = data.segments
    index, code = data.rolled()
    coder_ids = np.array(list(data.coders), dtype=np.int64)
    lookup = np.full(int(max(coder_ids.max(initial=0), segments.coder_id.max(initial=0))) + 1, -1, np.int64)
    lookup[coder_ids] = np.arange(len(coder_ids))
    columns = len(coder_ids) + 1  # each coder, then all coders pooled
    coder = lookup[segments.coder_id[index]]
    # Every rolled segment twice: under its coder and under "all coders".
    group = np.concatenate((code * columns + coder, code * columns + columns - 1))
    doubled = np.concatenate((index, index))
    work = data.work_index(segments.document_id[doubled])
    groups, works = len(data.codes) * columns, max(len(data.works), 1)
    counts = np.bincount(group, minlength=groups)
    dense, within = np.unique(group * works + work, return_inverse=True)  # (group, work) units
    documents = np.bincount(dense // works, minlength=groups)
    chars_per_unit = covered_per_group(
        within.astype(np.int64), segments.start[doubled], segments.end[doubled], len(dense)
    )
    characters = (
        np.bincount(dense // works, weights=chars_per_unit, minlength=groups).round().astype(np.int64)
    )
    in_scope = sum(work.in_scope for work in data.works.values())
    names = [*data.coders.values(), ALL_CODERS]
    rows = []
    for c, info in enumerate(data.codes):
        for k, name in enumerate(names):
            g = c * columns + k
            share = int(characters[g]) / in_scope if in_scope else None
            rows.append(
                FrequencyRow(
                    info.path, info.depth, name, int(counts[g]), int(documents[g]), int(characters[g]), share
                )
            )
    return FrequencyReport(tuple(names), tuple(rows), len(data.works), in_scope, data.notes)
