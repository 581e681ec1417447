"""Report CSV files: long form, formula-safe, read back by ``csv`` (and so by R and pandas) as written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from annotator.core.reports.data import Table
from annotator.io.csv_safety import CSV_ENCODING, unguard_cell
from annotator.io.report_csv import write_report_csv


def test_cells_round_trip_and_formulas_are_guarded(tmp_path: Path) -> None:
    table = Table(
        ("code", "coder", "measure", "value"),
        (
            ('=HYPERLINK("x")', "@ben", "share", 0.1 + 0.2),
            ('Trope, "slow"\nburn', "-", "segments", 12),
            ("Angst", "ana", "rate", None),
            ("Angst", "ana", "multi", True),
        ),
    )
    path = tmp_path / "report.csv"
    with open(path, "w", encoding=CSV_ENCODING, newline="") as out:
        assert write_report_csv(table, out) == 4
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(path, encoding=CSV_ENCODING, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["code", "coder", "measure", "value"]
    assert rows[1][0].startswith("'=") and rows[1][1] == "'@ben"
    assert unguard_cell(rows[1][0]) == '=HYPERLINK("x")'
    assert float(rows[1][3]) == 0.1 + 0.2  # full precision
    assert unguard_cell(rows[2][0]) == 'Trope, "slow"\nburn' and rows[2][1] == "'-"
    assert rows[3][3] == "" and rows[4][3] == "true"


def test_an_empty_report_is_a_header() -> None:
    out = io.StringIO()
    assert write_report_csv(Table(("code", "value"), ()), out) == 0
    assert out.getvalue() == "code,value\r\n"
