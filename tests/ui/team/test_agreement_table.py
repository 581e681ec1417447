"""The agreement table: one block of rows per code with a row per coder pair, κ and αU coloured by
reliability band, an undefined value shown as "—" with the reason, and the counts behind a value
on hover."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from annotator.services.agreement import TeamFilter, measure_agreement
from annotator.store.project import ProjectStore
from annotator.ui.team.agreement_table import (
    ALPHA,
    CODE,
    DASH,
    KAPPA,
    NOTES,
    PAIR,
    PERCENT,
    AgreementTable,
    code_heading,
    format_percent,
    format_statistic,
)
from annotator.ui.team.bands import AMBER, RED, YELLOW_GREEN
from tests.team_support import ALICE, BOB, code_as

CAROL = [(0, "Trope/Slow burn", 0, 100)]


def _table(qtbot: QtBot) -> AgreementTable:
    table = AgreementTable()
    qtbot.addWidget(table)
    return table


def _three_coders(store: ProjectStore) -> None:
    code_as(store, "alice", ALICE)
    code_as(store, "bob", BOB)
    code_as(store, "carol", CAROL)


def test_each_code_is_a_block_of_pair_rows_with_coloured_kappa_and_alpha(
    qtbot: QtBot, seeded_project: ProjectStore
) -> None:
    _three_coders(seeded_project)
    table = _table(qtbot)
    table.show_result(measure_agreement(seeded_project))
    codes = ["Trope › Slow burn", "Trope › Pining", "Power dynamic › Physical", "All codes (*)"]
    assert table.rowCount() == 3 * len(codes)
    for block, code in enumerate(codes):
        first = 3 * block
        assert table.item(first, CODE).text() == code  # type: ignore[union-attr]
        assert table.rowSpan(first, CODE) == 3 and table.rowSpan(first, ALPHA) == 3
        pairs = [table.item(first + n, PAIR).text() for n in range(3)]  # type: ignore[union-attr]
        assert pairs == ["alice | bob", "alice | carol", "bob | carol"]
    assert table.cell_text("Trope/Slow burn", "alice | bob", KAPPA) == "0.749"
    assert table.cell_text("Trope/Slow burn", "alice | carol", PERCENT) == "99.85%"
    assert table.item(0, ALPHA).text() == "0.748"  # type: ignore[union-attr]
    assert table.item(0, KAPPA).background().color() == QColor(YELLOW_GREEN)  # type: ignore[union-attr]
    assert table.item(1, KAPPA).background().color() == QColor(AMBER)  # type: ignore[union-attr]
    assert table.item(0, ALPHA).background().color() == QColor(YELLOW_GREEN)  # type: ignore[union-attr]
    assert table.item(3, ALPHA).background().color() == QColor(RED)  # type: ignore[union-attr]


def test_an_undefined_value_is_a_dash_with_the_reason_and_counts_show_on_hover(
    qtbot: QtBot, seeded_project: ProjectStore
) -> None:
    _three_coders(seeded_project)
    table = _table(qtbot)
    table.show_result(measure_agreement(seeded_project))
    row = 5  # Pining's block, third pair: neither bob nor carol used Pining
    assert table.item(row, PAIR).text() == "bob | carol"  # type: ignore[union-attr]
    assert table.cell_text("Trope/Pining", "bob | carol", KAPPA) == DASH
    undefined = table.item(row, KAPPA)
    assert undefined is not None
    assert undefined.background().style() == Qt.BrushStyle.NoBrush  # not coloured as if it were a value
    assert "neither coder used this code" in table.item(row, NOTES).text()  # type: ignore[union-attr]
    kappa = table.item(0, KAPPA)
    assert kappa is not None
    tip = kappa.toolTip()
    assert "both coded 150" in tip and "only alice" in tip and "Krippendorff" in tip


def test_one_coder_gets_a_note_instead_of_pairs_and_a_new_result_replaces_the_old(
    qtbot: QtBot, seeded_project: ProjectStore
) -> None:
    _three_coders(seeded_project)
    table = _table(qtbot)
    table.show_result(measure_agreement(seeded_project))
    table.show_result(measure_agreement(seeded_project, TeamFilter(coders=("alice",))))
    assert table.rowCount() == 4  # one row per code, no spans left over from before
    assert table.rowSpan(0, CODE) == 1
    assert table.item(0, PAIR).text() == "(fewer than two coders)"  # type: ignore[union-attr]
    table.show_result(None)
    assert table.rowCount() == 0
    with pytest.raises(KeyError):
        table.cell_text("Trope/Slow burn", "alice | bob", KAPPA)


def test_values_are_formatted_so_they_never_mislead() -> None:
    assert [format_statistic(v) for v in (None, -0.0000075, -0.0, 0.7494, -0.25)] == [
        DASH,
        "0.000",
        "0.000",
        "0.749",
        "-0.250",
    ]
    assert [format_percent(v) for v in (None, 1.0, 0.99996, 0.99985, 0.00004, 0.0)] == [
        DASH,
        "100.00%",
        "> 99.99%",
        "99.98%",
        "< 0.01%",
        "0.00%",
    ]


def test_code_headings_read_as_paths_not_as_the_csv_escapes_them() -> None:
    assert code_heading("Trope/Captor\\/captive") == "Trope › Captor/captive"
    assert code_heading("Power dynamic/Captor\\/captive") == "Power dynamic › Captor/captive"
    assert code_heading("Trope/*") == "Trope › all sub-codes, pooled"
    assert code_heading("*") == "All codes (*)"
