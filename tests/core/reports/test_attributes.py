"""Attribute names as people type them, the derived facets, and the column order."""

from __future__ import annotations

from annotator.core.reports.attributes import (
    PUBLISHED_YEAR,
    WORDS_BAND,
    attribute_name,
    stated_words,
    value_order,
    values_of,
    words_band,
)
from annotator.core.reports.data import NO_VALUE


def test_names_as_ao3_shows_them_map_to_stored_keys() -> None:
    assert attribute_name("Fandom") == "fandoms"
    assert attribute_name(" freeform  tag ") == "additional_tags"
    assert attribute_name("Words band") == WORDS_BAND
    assert attribute_name("series") == "series"


def test_words_bands_have_exclusive_upper_bounds() -> None:
    assert [words_band(n) for n in (0, 999, 1000, 4999, 5000, 99_999, 100_000)] == [
        "<1k",
        "<1k",
        "1k-5k",
        "1k-5k",
        "5k-10k",
        "50k-100k",
        "100k+",
    ]


def test_values_of_a_work() -> None:
    attrs = {"Fandoms": ["Bleach", " Bleach", "Good Omens"], "published": ["2019-05-01"], "words": ["12,345"]}
    assert values_of(attrs, "fandoms", 0) == ["Bleach", "Good Omens"]
    assert values_of(attrs, PUBLISHED_YEAR, 0) == ["2019"]
    assert values_of(attrs, WORDS_BAND, 12_345) == ["10k-20k"]
    assert values_of(attrs, "rating", 0) == [NO_VALUE]
    assert values_of({}, PUBLISHED_YEAR, 0) == [NO_VALUE]
    assert stated_words(attrs) == 12_345
    assert stated_words({"words": ["about ten"]}) is None


def test_columns_in_reading_order() -> None:
    assert value_order("fandoms", {"B": 2, NO_VALUE: 5, "A": 2, "C": 9}) == ["C", "A", "B", NO_VALUE]
    assert value_order(WORDS_BAND, {"100k+": 1, "<1k": 1, "5k-10k": 1}) == ["<1k", "5k-10k", "100k+"]
    assert value_order(PUBLISHED_YEAR, {"2020": 1, "2012": 3}) == ["2012", "2020"]
