"""How the Documents panel shares its width: counts fit, metadata gives way, the title stays readable."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from annotator.ui.models.documents_model import (
    COL_CODINGS,
    COL_FANDOMS,
    COL_RATING,
    COL_TITLE,
    COL_WORDS,
)
from annotator.ui.panels.documents_columns import (
    FLEXIBLE_MAX,
    FLEXIBLE_MIN,
    TITLE_FLOOR,
    TITLE_MIN,
    ColumnChoice,
    fit_widths,
)

NATURAL = {COL_WORDS: 50, COL_CODINGS: 60, COL_RATING: 70, COL_FANDOMS: 400}
METADATA = (COL_RATING, COL_FANDOMS)


def test_with_room_for_all_the_title_takes_what_the_others_leave() -> None:
    widths = fit_widths(900, NATURAL, METADATA)
    assert widths[COL_WORDS] == 50 and widths[COL_CODINGS] == 60 and widths[COL_RATING] == 70
    assert widths[COL_FANDOMS] == FLEXIBLE_MAX  # a long fandom list is elided, not given the table
    assert sum(widths.values()) == 900


def test_when_narrow_metadata_gives_way_before_the_title() -> None:
    widths = fit_widths(400, NATURAL, METADATA)
    assert widths[COL_TITLE] == TITLE_MIN
    assert widths[COL_RATING] == 70  # the narrow one keeps its width, the wide one gives way
    assert widths[COL_FANDOMS] == 400 - TITLE_MIN - 110 - 70
    assert sum(widths.values()) == 400  # nothing scrolls


def test_when_too_narrow_for_everything_the_counts_stay_and_the_metadata_scrolls() -> None:
    widths = fit_widths(220, NATURAL, METADATA)
    assert widths[COL_WORDS] == 50 and widths[COL_CODINGS] == 60
    assert widths[COL_TITLE] == 110 and widths[COL_TITLE] >= TITLE_FLOOR  # counts in view: 110 + 110
    assert widths[COL_RATING] == widths[COL_FANDOMS] == FLEXIBLE_MIN  # beyond the edge, scrolled to
    assert fit_widths(100, NATURAL, METADATA)[COL_TITLE] == TITLE_FLOOR


def test_the_chosen_columns_are_remembered_and_the_title_cannot_be_hidden(tmp_path: object) -> None:
    path = f"{tmp_path}/columns.ini"
    choice = ColumnChoice(QSettings(path, QSettings.Format.IniFormat))
    assert choice.shown == {"title", "words", "codings"}
    choice.set_shown("rating", True)
    choice.set_shown("words", False)
    choice.set_shown("title", False)
    again = ColumnChoice(QSettings(path, QSettings.Format.IniFormat))
    assert again.shown == {"title", "rating", "codings"}
    assert again.visible(COL_TITLE, False) and again.visible(COL_CODINGS, False)
    assert again.visible(COL_RATING, True) and not again.visible(COL_RATING, False)  # no work has one
    assert not again.visible(COL_WORDS, True)
