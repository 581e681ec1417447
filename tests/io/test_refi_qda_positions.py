"""Position conventions of REFI-QDA files, converted exactly to stored code points (or not at all)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.text import normalise_text
from annotator.io.refi_qda.positions import (
    CODE_POINTS,
    CODE_POINTS_CRLF_AS_ONE,
    UTF16,
    PositionMap,
    detect_convention,
    export_offsets,
)

RAW = "a\r\ne\u0301x\U0001f600y"  # CRLF, e + combining acute (NFC: é), an emoji


def test_each_convention_places_the_same_character_at_the_same_stored_offset() -> None:
    positions = PositionMap(RAW)
    assert positions.text == "a\néx\U0001f600y"
    # "y" starts at stored offset 5; each convention counts its way there differently.
    assert positions.stored(7, CODE_POINTS) == 5  # CRLF two, é two, the emoji one
    assert positions.stored(6, CODE_POINTS_CRLF_AS_ONE) == 5
    assert positions.stored(8, UTF16) == 5  # the emoji is two UTF-16 units


def test_positions_inside_a_line_end_a_surrogate_pair_or_a_composed_character_are_not_placed() -> None:
    positions = PositionMap(RAW)
    assert positions.stored(2, CODE_POINTS) is None  # between \r and \n
    assert positions.stored(4, CODE_POINTS) is None  # between e and its accent
    assert positions.stored(7, UTF16) is None  # between the emoji's halves
    assert positions.stored(99, CODE_POINTS) is None


def test_a_byte_order_mark_is_not_counted() -> None:
    positions = PositionMap("\ufeffab\r\ncd")
    assert positions.stored(4, UTF16) == 3
    assert positions.text[3:5] == "cd"


def test_detection_prefers_the_reading_that_lands_on_word_edges() -> None:
    raw = "".join(f"word{i} \U0001f600 line\r\n" for i in range(20))
    text = normalise_text(raw)
    wanted = [(m, m + 5) for m in range(len(text)) if text.startswith("word", m)]
    utf16 = export_offsets(text, utf16=True, crlf=True)
    spans = [(utf16[a], utf16[b]) for a, b in wanted]
    positions = PositionMap(raw)
    convention, _scores = detect_convention([(positions, spans)], origin="")
    assert convention == UTF16
    assert [text[positions.stored(a, UTF16) or 0 : positions.stored(b, UTF16) or 0] for a, b in spans] == [
        text[a:b] for a, b in wanted
    ]


def test_with_nothing_to_tell_them_apart_the_origin_decides_then_the_standard() -> None:
    positions = PositionMap("plain text")
    assert detect_convention([(positions, [(0, 5)])], "ATLAS.ti 23")[0] == CODE_POINTS_CRLF_AS_ONE
    assert detect_convention([(positions, [(0, 5)])], "QualCoder")[0] == CODE_POINTS


_TEXT = st.lists(
    st.sampled_from(
        [
            *["a", "Z", " ", "\n", "\r\n", "\r", "\u0301", "\U0001f600", "\u200d", "é", "\t", "\u2028"],
            *["\ufeff", "\x01", "\x85", "\u1100", "\u1161", "\u0323"],  # marks, controls, jamo, reordering
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=200, derandomize=True)
@given(_TEXT, st.booleans(), st.booleans())
def test_export_offsets_read_back_to_the_same_stored_offsets(raw: str, utf16: bool, crlf: bool) -> None:
    text = normalise_text(raw)
    written = text.replace("\n", "\r\n") if crlf else text
    table = export_offsets(text, utf16=utf16, crlf=crlf)
    convention = UTF16 if utf16 else CODE_POINTS
    positions = PositionMap(written)
    assert positions.text == text
    assert [positions.stored(unit, convention) for unit in table] == list(range(len(text) + 1))


@settings(max_examples=200, derandomize=True)
@given(_TEXT)
def test_every_placed_position_is_a_boundary_of_the_stored_text(raw: str) -> None:
    positions = PositionMap(raw)
    assert positions.text == normalise_text(raw)
    placed = [positions.stored(i, CODE_POINTS) for i in range(len(raw) + 1)]
    found = [p for p in placed if p is not None]
    assert found == sorted(found)
    assert found[0] == 0 and found[-1] == len(positions.text)
