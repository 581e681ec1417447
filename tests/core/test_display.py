"""Display blocks: bounded for any text, cut where a reader would, never inside a character.

The blocks must cover the stored text exactly (a space shown as a line end, or a line end
inserted), the ``DisplayMap`` must round-trip every offset, no block may exceed ``1.5 × target``
(unless one grapheme cluster does), and no cut may fall inside a grapheme cluster — checked
against the ``regex`` library's ``\\X`` (UAX #29 extended grapheme clusters).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.display import (
    DEFAULT_TARGET,
    DisplayMap,
    display_breaks,
    display_breaks_between,
    display_text,
    hard_cut,
    inserted,
)
from annotator.core.types import ZoneSpec

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # 👩‍👩‍👧: one cluster of five code points
FLAGS = "\U0001f1eb\U0001f1f7\U0001f1e9\U0001f1ea"  # 🇫🇷🇩🇪: two clusters of two
HAN = "".join(chr(0x4E00 + i * 37) for i in range(50))


def clusters(text: str) -> set[int]:
    """Offsets where a grapheme cluster starts, and the end."""
    return {m.start() for m in regex.finditer(r"\X", text)} | {len(text)}


def stored_blocks(text: str, breaks: list[int]) -> list[tuple[int, int]]:
    """Each display block as the stored span it shows (a space shown as a line end excluded)."""
    out: list[tuple[int, int]] = []
    start = 0
    cuts = sorted({*breaks, *(i + 1 for i, ch in enumerate(text) if ch == "\n")})
    for b in cuts:
        out.append((start, b - 1 if text[b - 1] in " \n" else b))
        start = b
    out.append((start, len(text)))
    return out


def check_invariants(text: str, breaks: list[int], target: int = DEFAULT_TARGET) -> list[tuple[int, int]]:
    """Everything that holds for any text; returns the blocks as stored spans."""
    assert breaks == sorted(set(breaks))
    assert all(0 < b < len(text) and text[b - 1] != "\n" for b in breaks)
    shown = display_text(text, breaks)
    omap = DisplayMap(text, inserted(text, breaks))
    inserts = inserted(text, breaks)
    assert (
        len(shown)
        == len(text) + len(inserts)
        == omap.utf16_length - len(regex.findall(r"[^\u0000-\uffff]", text))
    )
    # Every stored character is shown where the map says, as itself or (a broken space) as "\n";
    # the only other characters shown are the inserted line ends.
    u16 = shown.encode("utf-16-le")
    hit = set()
    for cp, ch in enumerate(text):
        at = omap.to_utf16(cp)
        width = 2 if ord(ch) > 0xFFFF else 1
        hit.update(range(at, at + width))
        got = u16[2 * at : 2 * (at + width)].decode("utf-16-le")
        assert got == ch or (ch == " " and got == "\n" and cp + 1 in breaks), (cp, ch, got)
    extra = [u for u in range(omap.utf16_length) if u not in hit]
    assert extra == [omap.to_utf16(b) - 1 for b in inserts]
    assert all(omap.is_inserted(u) and u16[2 * u : 2 * u + 2] == b"\n\x00" for u in extra)
    # The map round-trips every offset and keeps their order.
    shown_offsets = [omap.to_utf16(cp) for cp in range(len(text) + 1)]
    assert shown_offsets == sorted(set(shown_offsets))
    assert all(omap.to_code_point(u) == cp for cp, u in enumerate(shown_offsets))
    # Bounded blocks, and cuts only between grapheme clusters.
    starts = clusters(text)
    assert all(b in starts for b in breaks), [b for b in breaks if b not in starts]
    for start, end in stored_blocks(text, breaks):
        longest_cluster = max((len(m) for m in regex.findall(r"\X", text[start:end])), default=0)
        assert end - start <= max(target * 3 // 2, longest_cluster), (start, end)
    return stored_blocks(text, breaks)


def lengths(blocks: list[tuple[int, int]]) -> list[int]:
    return [end - start for start, end in blocks]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_is_broken_into_readable_blocks_at_sentence_ends(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    breaks = display_breaks(text, [])
    sizes = lengths(check_invariants(text, breaks))
    assert len(sizes) > 5 and max(sizes) <= 900
    sentence_like = sum(1 for b in breaks if text[b - 2] in ".!?…\"'”’)")
    assert sentence_like >= 0.8 * len(breaks)
    assert inserted(text, breaks) == []  # English prose: every break is a space


def test_sentence_end_with_closing_quote() -> None:
    text = "“Go away.” She left. " * 100
    breaks = display_breaks(text, [], target=60)
    check_invariants(text, breaks, 60)
    assert all(text[b - 2] in ".”" and text[b - 1] == " " for b in breaks)


def test_latin_line_without_punctuation_breaks_at_spaces() -> None:
    text = " ".join(["word", "another", "longer"] * 5000)
    breaks = display_breaks(text, [], target=100)
    sizes = lengths(check_invariants(text, breaks, 100))
    assert len(breaks) > 100 and inserted(text, breaks) == []
    assert min(sizes[:-1]) >= 80  # near the target, not at the first space


def test_a_decimal_point_is_not_a_sentence_end() -> None:
    text = "the value 3.14 and " * 40
    breaks = display_breaks(text, [], target=100)
    check_invariants(text, breaks, 100)
    assert all(text[b - 1] == " " for b in breaks)


def test_one_long_word_is_cut_hard_at_the_target() -> None:
    text = "x" * 5000
    breaks = display_breaks(text, [], target=100)
    assert breaks == list(range(100, 5000, 100))
    assert display_text(text, breaks) == "\n".join(["x" * 100] * 50)
    check_invariants(text, breaks, 100)


def test_cjk_breaks_after_sentence_marks_and_closing_brackets() -> None:
    sentence = HAN[:30] + "。" + HAN[:10] + "，" + HAN[:20] + "！」"
    text = sentence * 60
    breaks = display_breaks(text, [], target=100)
    check_invariants(text, breaks, 100)
    assert breaks and all(text[b - 1] in "。」" for b in breaks)
    assert len(display_text(text, breaks)) == len(text) + len(breaks)  # all inserted


def test_cjk_with_only_commas_breaks_after_them() -> None:
    text = (HAN[:45] + "，") * 60
    breaks = display_breaks(text, [], target=100)
    check_invariants(text, breaks, 100)
    assert breaks and all(text[b - 1] == "，" for b in breaks)


def test_cjk_without_punctuation_is_cut_hard() -> None:
    text = HAN * 200
    breaks = display_breaks(text, [], target=100)
    assert lengths(check_invariants(text, breaks, 100))[:-1] == [100] * (len(text) // 100 - 1)


def test_punctuation_prefers_sentence_over_clause_over_space() -> None:
    clause = "a b c d e f, g h i j k l m n o p q r s t u v w x y z"
    text = (clause + ". ") * 30
    breaks = display_breaks(text, [], target=60)
    check_invariants(text, breaks, 60)
    assert all(text[b - 2] == "." for b in breaks)
    text = (clause + " ") * 30
    breaks = display_breaks(text, [], target=60)
    check_invariants(text, breaks, 60)
    assert all(text[b - 2] == "," for b in breaks)


@pytest.mark.parametrize(
    "unit",
    [FAMILY, FLAGS, "e\u0301", "\u0915\u094d\u0937", "\r\n", "\u1100\u1161\u11a8"],
    ids=["zwj-family", "flags", "combining-acute", "devanagari-conjunct", "crlf", "hangul-jamo"],
)
def test_hard_cuts_never_split_a_grapheme_cluster(unit: str) -> None:
    for offset in range(len(unit)):  # every alignment of the clusters against the target
        text = "y" * offset + unit * 400
        breaks = display_breaks(text, [], target=50)
        check_invariants(text, breaks, 50)
        assert breaks or "\n" in unit  # CR LF ends each (short) line: nothing to cut


def test_a_space_carrying_a_combining_mark_is_not_broken() -> None:
    text = ("word \u0301" * 200).replace("\u0301", "\u0301", 1)
    breaks = display_breaks(text, [], target=50)
    check_invariants(text, breaks, 50)


def test_a_cluster_longer_than_the_bound_stays_whole() -> None:
    text = "a" + "\u0301" * 300 + "b" * 30
    breaks = display_breaks(text, [], target=50)
    check_invariants(text, breaks, 50)
    assert breaks == [301]
    assert hard_cut(text, 0, 50) == 301


def test_real_newlines_stay_and_short_lines_are_untouched() -> None:
    text = "One. Two.\nThree. Four.\n"
    assert display_breaks(text, []) == []
    assert display_text(text, []) == text


def test_zone_boundaries_start_new_blocks() -> None:
    title = "A Title"
    summary = "Summary text here."
    story = "Story begins. " * 10 + "End."
    text = f"{title} {summary} {story}"
    s1 = len(title) + 1
    s2 = s1 + len(summary) + 1
    zones = [
        ZoneSpec("title", 0, len(title)),
        ZoneSpec("summary", s1, s1 + len(summary)),
        ZoneSpec("story", s2, len(text)),
    ]
    breaks = display_breaks(text, zones)
    assert s1 in breaks and s2 in breaks
    check_invariants(text, breaks)
    assert display_text(text, breaks).split("\n")[:2] == [title, summary]


def test_display_text_rejects_a_break_at_a_line_end_or_out_of_order() -> None:
    with pytest.raises(ValueError):
        display_text("ab\ncd", [3])
    with pytest.raises(ValueError):
        display_text("ab cd ef", [6, 3])


def test_target_must_be_sensible() -> None:
    with pytest.raises(ValueError):
        display_breaks("a b", [], target=1)


def test_display_map_counts_inserted_line_ends_and_surrogates() -> None:
    text = "ab😀cd"
    omap = DisplayMap(text, [2, 4])  # shown: "ab\n😀c\nd" → a b ⏎ 😀😀 c ⏎ d
    assert [omap.to_utf16(cp) for cp in range(6)] == [0, 1, 3, 5, 7, 8]
    assert omap.utf16_length == 8
    assert [omap.to_code_point(u) for u in range(9)] == [0, 1, 2, 2, 2, 3, 4, 4, 5]
    assert [u for u in range(8) if omap.is_inserted(u)] == [2, 6]
    with pytest.raises(ValueError):
        omap.add_inserts([3])


PIECES = [
    "word",
    "é",
    "e\u0301",
    FAMILY,
    FLAGS[:2],
    "\U0001f600",
    " ",
    " ",
    ". ",
    "!",
    "”",
    ",",
    "\n",
    "\r\n",
    "。",
    "，",
    "」",
    "\u3000",
    HAN[:7],
    "\u0915\u094d",
    "\u200d",
    "\u0301",
]
texts = st.lists(st.sampled_from(PIECES), max_size=250).map("".join)


@settings(derandomize=True, max_examples=250, deadline=None)
@given(texts, st.integers(min_value=8, max_value=120))
def test_any_text_gets_bounded_blocks_that_cover_it_and_map_back(text: str, target: int) -> None:
    zones = []
    if len(text) > 10:
        zones = [ZoneSpec("notes", 0, len(text) // 3), ZoneSpec("story", len(text) // 3, len(text))]
    check_invariants(text, display_breaks(text, zones, target=target), target)


def chained(text: str, zones: list[ZoneSpec], sizes: list[int], target: int) -> list[int]:
    """``display_breaks_between`` called chunk after chunk from 0 to the end."""
    breaks: list[int] = []
    start, k = 0, 0
    while start < len(text):
        chunk, after = display_breaks_between(text, zones, start, start + sizes[k % len(sizes)], target)
        assert after >= min(start + sizes[k % len(sizes)], len(text))
        assert all(start < b <= after for b in chunk)
        if after < len(text):
            assert text[after - 1] == "\n" or after in chunk  # chunks end where a display block ends
        breaks += chunk
        start, k = after, k + 1
    return breaks


@pytest.mark.parametrize("seed", SEEDS[:2], ids=lambda p: p.name)
def test_breaks_in_chunks_equal_breaks_of_the_whole(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    zones = [ZoneSpec("summary", 0, 400), ZoneSpec("story", 401, len(text))]
    assert chained(text, zones, [1000, 37, 5000], DEFAULT_TARGET) == display_breaks(text, zones)


def test_chunk_start_must_be_in_the_text() -> None:
    with pytest.raises(ValueError):
        display_breaks_between("abc", [], -1, 10)
    with pytest.raises(ValueError):
        display_breaks_between("abc", [], 4, 10)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(
    texts,
    st.integers(min_value=8, max_value=120),
    st.lists(st.integers(min_value=1, max_value=700), min_size=1, max_size=5),
)
def test_chunked_breaks_equal_whole_on_any_text(text: str, target: int, sizes: list[int]) -> None:
    zones = []
    if len(text) > 10:
        zones = [ZoneSpec("notes", 0, len(text) // 3), ZoneSpec("story", len(text) // 3, len(text))]
    assert chained(text, zones, sizes, target) == display_breaks(text, zones, target=target)
