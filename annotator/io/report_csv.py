"""Report tables as CSV files that R (``read.csv``) and pandas (``read_csv``) read as is.

Counting reports are written long (tidy): one row per code × value × measure, the figure in the
last column; lists (retrieval, memos) one row per segment or memo. Files are UTF-8 with a
byte-order mark and ``\\r\\n`` line ends like the other exports; text cells go through
:func:`~annotator.io.csv_safety.guard_cell`, numbers are written as Python prints them (a ratio
to full precision) and a missing figure (a rate over no words) as an empty cell, which both read
as NA/NaN.
"""

from __future__ import annotations

import csv
from typing import TextIO

from annotator.core.reports.data import Table
from annotator.io.csv_safety import guard_cell


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return guard_cell(str(value))


def write_report_csv(table: Table, out: TextIO) -> int:
    """Write ``table`` (header first) to ``out``; return the number of data rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([guard_cell(name) for name in table.header])
    writer.writerows([_cell(value) for value in row] for row in table.rows)
    return len(table.rows)
