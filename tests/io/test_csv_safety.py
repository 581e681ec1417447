"""Spreadsheet-safe cells: no cell starts a formula, and reading gives back exactly what was written."""

from __future__ import annotations

import csv
import io

from hypothesis import example, given
from hypothesis import strategies as st

from annotator.io.csv_safety import TRIGGERS, guard_cell, unguard_cell

# Text weighted towards the characters that matter here: triggers and apostrophes up front.
tricky = st.text(
    alphabet=st.sampled_from([*sorted(TRIGGERS), "'", "a", " ", "1", "é", "\n", '"']), max_size=8
)
cells = st.one_of(st.text(), tricky, st.builds(lambda a, b: a + b, tricky, st.text()))


@given(cells)
@example("=SUM(1)")
@example("'=SUM(1)")
@example("''+1")
@example("'")
@example("")
def test_unguard_undoes_guard(value: str) -> None:
    assert unguard_cell(guard_cell(value)) == value


@given(cells)
def test_a_guarded_cell_never_starts_a_formula(value: str) -> None:
    guarded = guard_cell(value)
    assert not guarded or guarded[0] not in TRIGGERS


@given(st.text().filter(lambda v: not v.lstrip("'") or v.lstrip("'")[0] not in TRIGGERS))
def test_harmless_cells_are_written_as_they_are(value: str) -> None:
    assert guard_cell(value) == value


def test_examples_a_researcher_would_meet() -> None:
    assert guard_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert guard_cell("-- a dash opens the note") == "'-- a dash opens the note"
    assert guard_cell("@author said") == "'@author said"
    assert guard_cell("it's fine") == "it's fine"


@given(st.lists(cells, min_size=1, max_size=5))
def test_round_trip_through_a_real_csv_file(row: list[str]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow([guard_cell(v) for v in row])
    [read] = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert [unguard_cell(v) for v in read] == row
