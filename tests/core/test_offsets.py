"""OffsetMap against Python's own UTF-16 encoding, with the characters that break naive code."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.offsets import OffsetMap, may_have_astral

FAMILY = "👩\u200d👩\u200d👧"  # ZWJ sequence: 5 code points, 8 UTF-16 units
FLAG = "🇫🇷"  # two regional indicators
E_ACUTE = "e\u0301"  # combining mark kept unnormalised
PIECES = ["a", " ", "é", "\n", "😀", FAMILY, FLAG, E_ACUTE, "中", "𝔸", "\u0301", "ß"]


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.text(max_size=80),
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_to_utf16_matches_encoding(text: str) -> None:
    omap = OffsetMap(text)
    assert omap.utf16_length == utf16_len(text)
    for i in range(len(text) + 1):
        u = omap.to_utf16(i)
        assert u == utf16_len(text[:i])
        assert omap.to_code_point(u) == i


@settings(max_examples=300, deadline=None)
@given(texts)
def test_to_code_point_snaps_inside_surrogate_pairs(text: str) -> None:
    omap = OffsetMap(text)
    boundaries = {utf16_len(text[:i]): i for i in range(len(text) + 1)}
    for u in range(omap.utf16_length + 1):
        cp = omap.to_code_point(u)
        if u in boundaries:
            assert cp == boundaries[u]
        else:  # between the halves of an astral character: back to its start
            assert ord(text[cp]) > 0xFFFF
            assert omap.to_utf16(cp) == u - 1


def test_known_sequences() -> None:
    text = f"x{FAMILY}y{FLAG}{E_ACUTE}z"
    assert unicodedata.normalize("NFC", E_ACUTE) != E_ACUTE or True  # kept as given
    omap = OffsetMap(text)
    assert omap.to_utf16(1) == 1
    assert omap.to_utf16(1 + len(FAMILY)) == 1 + 8
    y = text.index("y")
    assert omap.to_utf16(y + 1 + len(FLAG)) == 1 + 8 + 1 + 4
    e = text.index("e")
    assert omap.to_utf16(e + 2) - omap.to_utf16(e) == 2  # combining mark: one unit each
    assert omap.to_code_point(2) == 1  # inside the first 👩 → its start
    assert omap.to_code_point(omap.utf16_length) == len(text)


def test_ascii_fast_path() -> None:
    omap = OffsetMap("plain ascii")
    assert omap.to_utf16(5) == 5 and omap.to_code_point(5) == 5 and omap.utf16_length == 11


def test_long_texts_without_astral_characters_skip_the_scan_and_map_one_to_one() -> None:
    cjk = "漢字。" * 2_000
    latin = "é" * 6_000
    for text in (cjk, latin):
        assert not may_have_astral(text)
        offsets = OffsetMap(text)
        assert offsets.utf16_length == len(text) == offsets.to_utf16(len(text))
    for text in (cjk + "😀", "😀" + latin, "a😀"):  # one emoji anywhere, in a long or a short text
        assert may_have_astral(text)
        offsets = OffsetMap(text)
        assert offsets.utf16_length == len(text) + 1 == len(text.encode("utf-16-le")) // 2
