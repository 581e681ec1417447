"""Code × attribute: how often each code appears in the works of each value of an attribute.

Rows are codes (groups rolled up over their sub-codes), columns the values of one attribute
(rating, fandom, words band …). For each cell: the works with that value, those of them with the
code (and their percentage), the code's segments in them, and its rate per 10,000 words — its
segments over those works' words, times 10,000 — so long and short works compare fairly.

A work with several values (three fandoms) counts under each of them, so a column's works do
not add up to the corpus; a work with none counts under ``(none)``. Segments of every coder in
scope are counted (choose one coder to count one reading).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from annotator.core.reports.attributes import value_order, values_of
from annotator.core.reports.data import ReportData, Table

PER_WORDS = 10_000


@dataclass(frozen=True)
class CrosstabCell:
    code: str
    value: str
    works: int  # works in scope with this value
    documents: int  # of those, works with at least one segment of the code
    percent_documents: float | None  # documents / works × 100
    segments: int
    words: int  # words of the works with this value
    rate_per_10k_words: float | None  # segments / words × 10,000


@dataclass(frozen=True)
class CrosstabReport:
    attribute: str
    values: tuple[str, ...]  # column order
    codes: tuple[str, ...]  # row order
    cells: tuple[CrosstabCell, ...]  # row by row
    multi_valued: bool  # some work has several values: columns overlap
    notes: tuple[str, ...] = ()

    MEASURES = ("works", "documents", "percent_documents", "segments", "words", "rate_per_10k_words")

    def cell(self, code: str, value: str) -> CrosstabCell:
        return self.cells[self.codes.index(code) * len(self.values) + self.values.index(value)]

    def tidy(self) -> Table:
        rows = tuple(
            (cell.code, self.attribute, cell.value, measure, getattr(cell, measure))
            for cell in self.cells
            for measure in self.MEASURES
        )
        return Table(("code", "attribute", "value", "measure", "value_of_measure"), rows)


def code_crosstab(data: ReportData, attribute: str) -> CrosstabReport:
    """The crosstab of the codes in ``data`` by ``attribute`` (a key, see ``attributes.attribute_name``)."""
    work_ids = [int(w) for w in data.work_ids]
    values = [values_of(data.works[w].attributes, attribute, data.works[w].words) for w in work_ids]
    works: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for wid, work_values in zip(work_ids, values, strict=True):
        for value in work_values:
            works[value] += 1
            words[value] += data.works[wid].words
    order = value_order(attribute, works)
    column = {value: i for i, value in enumerate(order)}
    n_codes, n_values, n_works = len(data.codes), len(order), max(len(work_ids), 1)
    # Each work's values as one flat array, the work's run of it starting at ``first[work]``.
    per_work = np.array([len(v) for v in values], dtype=np.int64)
    flat = np.array([column[v] for vs in values for v in vs], dtype=np.int64)
    first = np.concatenate(([0], np.cumsum(per_work)[:-1])).astype(np.int64)
    index, code = data.rolled()
    work = data.work_index(data.segments.document_id[index])
    units, segments_in = np.unique(code * n_works + work, return_counts=True)  # (code, work) pairs
    unit_code, unit_work = units // n_works, units % n_works
    repeats = per_work[unit_work] if len(per_work) else np.zeros(0, np.int64)
    total = int(repeats.sum())
    # Each (code, work) pair once under each of the work's values.
    step = np.arange(total) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    picked = flat[np.repeat(first[unit_work], repeats) + step] if total else np.zeros(0, np.int64)
    cell = np.repeat(unit_code, repeats) * n_values + picked
    documents = np.bincount(cell, minlength=n_codes * n_values)
    segments = np.bincount(cell, weights=np.repeat(segments_in, repeats), minlength=n_codes * n_values)
    cells = []
    for c, info in enumerate(data.codes):
        for v, name in enumerate(order):
            n_docs, n_segs = int(documents[c * n_values + v]), round(float(segments[c * n_values + v]))
            n_works_v, n_words = works[name], words[name]
            cells.append(
                CrosstabCell(
                    info.path,
                    name,
                    n_works_v,
                    n_docs,
                    100 * n_docs / n_works_v if n_works_v else None,
                    n_segs,
                    n_words,
                    PER_WORDS * n_segs / n_words if n_words else None,
                )
            )
    multi = any(len(v) > 1 for v in values)
    notes = list(data.notes)
    if multi:
        notes.append(
            f"'{attribute}' has several values in some works: a work counts under each of its values, "
            "so the columns overlap and do not add up to the corpus"
        )
    return CrosstabReport(
        attribute, tuple(order), tuple(c.path for c in data.codes), tuple(cells), multi, tuple(notes)
    )
