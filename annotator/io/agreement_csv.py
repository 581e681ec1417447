"""The agreement and disagreements CSV files: one row per statistic, one row per coder's version.

Writers take plain row dicts and a text file object (the caller opens it atomically with the
BOM encoding, see ``annotator.io.atomic``). Text cells are formula-guarded; an undefined
statistic is an empty cell with the reason in ``note``, never ``nan``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from annotator.core.agreement_report import ROW_COLUMNS
from annotator.core.unitizing_2016 import MEASURES
from annotator.io.csv_safety import guard_cell

# The core report's columns, with the document's title next to its id for readers of the CSV.
AGREEMENT_COLUMNS = (*ROW_COLUMNS[:2], "document", *ROW_COLUMNS[2:])
# With bootstrap intervals (pooled rows only): αU's on the all-coders row, κ's on each pair's row.
BOOTSTRAP_COLUMNS = (
    "alpha_u_ci_low",
    "alpha_u_ci_high",
    "alpha_u_p_below_min",
    "kappa_ci_low",
    "kappa_ci_high",
    "kappa_p_below_min",
    # the 2016 family's (``unitizing_2016.MEASURES``) on the all-coders row, where it applies
    *(f"{measure}_{part}" for measure in MEASURES for part in ("ci_low", "ci_high", "p_below_min")),
    "bootstrap_resamples",
    "bootstrap_seed",
    "min_alpha",
)
DISAGREEMENT_COLUMNS = (
    "disagreement",
    "document_id",
    "document",
    "code_path",
    "coder",
    "start",
    "end",
    "text",
    "status",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # full precision; floats here are always finite
    if isinstance(value, int):
        return str(value)
    return guard_cell(str(value))


def _write(columns: tuple[str, ...], rows: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
        count += 1
    return count


def write_agreement_csv(
    rows: Iterable[Mapping[str, Any]], out: TextIO, extra_columns: tuple[str, ...] = ()
) -> int:
    """Write rows with ``AGREEMENT_COLUMNS`` and then ``extra_columns`` (e.g. ``BOOTSTRAP_COLUMNS``;
    missing keys are empty); return the row count."""
    return _write((*AGREEMENT_COLUMNS, *extra_columns), rows, out)


def write_disagreements_csv(rows: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """Write rows with ``DISAGREEMENT_COLUMNS``; return the row count."""
    return _write(DISAGREEMENT_COLUMNS, rows, out)
