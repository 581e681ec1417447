"""Zones in a TextSource's Description: written as one marked line, read back only for their text."""

from __future__ import annotations

from annotator.core.types import ZoneSpec
from annotator.io.refi_qda.zones import MARKER, split_zones, with_zones

TEXT = "Summary 😀\nChapter 1\nStory e\u0301"
ZONES = [
    ZoneSpec("summary", 0, 9, "Summary <b>&amp;"),
    ZoneSpec("chapter", 10, len(TEXT), "Chapter 1: \u0001é", 1),
    ZoneSpec("story", 20, len(TEXT), "", 1),
]


def test_zones_come_back_exactly_and_the_description_people_wrote_stays_theirs() -> None:
    written = with_zones("Coded twice.\nSee memo.", TEXT, ZONES)
    assert written.startswith("Coded twice.\nSee memo.\n\n" + MARKER)
    assert split_zones(written, TEXT) == ("Coded twice.\nSee memo.", ZONES, "")
    assert split_zones(with_zones("", TEXT, ZONES), TEXT) == ("", ZONES, "")


def test_the_line_is_ascii_so_xml_cleaning_cannot_change_it() -> None:
    line = with_zones("", TEXT, ZONES)
    assert line.isascii() and "\n" not in line and "\x01" not in line


def test_no_zones_write_nothing_and_other_vendors_descriptions_read_as_no_zones() -> None:
    assert with_zones("plain", TEXT, []) == "plain"
    assert split_zones("Interview with A., annotator-zones: none", TEXT) == (
        "Interview with A., annotator-zones: none",
        [],
        "",
    )


def test_zones_for_another_text_are_left_out_with_a_reason() -> None:
    written = with_zones("", TEXT, ZONES)
    rest, zones, problem = split_zones(written, TEXT + " edited in NVivo")
    assert (rest, zones) == ("", []) and "another text" in problem


def test_a_damaged_line_or_bad_zones_are_reported_not_stored() -> None:
    assert split_zones(MARKER + "{not json", TEXT)[1:] == ([], "its zones could not be read")
    assert split_zones(MARKER + '{"text": "x", "zones": {}}', TEXT)[1:] == ([], "its zones could not be read")
    bad = [
        ZoneSpec("k" * 41, 0, 1),  # longer than the column
        ZoneSpec("summary", 5, 5),  # empty
        ZoneSpec("summary", 0, len(TEXT) + 1),  # past the end
    ]
    _rest, zones, problem = split_zones(with_zones("", TEXT, [*bad, ZONES[0]]), TEXT)
    assert zones == [ZONES[0]] and problem == "3 zone(s) could not be used"
