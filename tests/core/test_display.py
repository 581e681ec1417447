"""Display breaks: same length, only spaces replaced, bounded blocks, zone boundaries honoured."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.display import (
    DEFAULT_TARGET,
    display_breaks,
    display_breaks_between,
    display_text,
)
from annotator.core.types import ZoneSpec

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))


def blocks(text: str) -> list[str]:
    return text.split("\n")


def check_invariants(text: str, breaks: list[int]) -> str:
    shown = display_text(text, breaks)
    assert len(shown) == len(text)
    assert breaks == sorted(set(breaks))
    for i, (a, b) in enumerate(zip(text, shown, strict=True)):
        if a != b:
            assert a == " " and b == "\n", (i, a, b)
    assert [i for i, (a, b) in enumerate(zip(text, shown, strict=True)) if a != b] == breaks
    return shown


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_is_broken_into_readable_blocks(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    breaks = display_breaks(text, [])
    shown = check_invariants(text, breaks)
    lengths = [len(b) for b in blocks(shown)]
    assert len(lengths) > 5
    assert max(lengths) <= 900
    # Breaks prefer sentence ends: the character before most breaks ends a sentence.
    sentence_like = sum(1 for b in breaks if text[b - 1] in ".!?…\"'”’)")
    assert sentence_like >= 0.8 * len(breaks)


def test_sentence_end_with_closing_quote() -> None:
    sentence = "“Go away.” She left. "
    text = sentence * 100
    breaks = display_breaks(text, [], target=60)
    check_invariants(text, breaks)
    assert all(text[b - 1] in ".”" for b in breaks)


def test_run_on_sentence_falls_back_to_any_space() -> None:
    text = " ".join(["word"] * 2000)
    breaks = display_breaks(text, [], target=100)
    shown = check_invariants(text, breaks)
    assert max(len(b) for b in blocks(shown)) <= 100


def test_real_newlines_stay_and_short_lines_are_untouched() -> None:
    text = "One. Two.\nThree. Four.\n"
    assert display_breaks(text, []) == []
    assert display_text(text, []) == text


def test_text_without_spaces_cannot_be_broken() -> None:
    text = "x" * 5000
    assert display_breaks(text, [], target=100) == []


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
    assert s1 - 1 in breaks and s2 - 1 in breaks
    shown = check_invariants(text, breaks)
    assert blocks(shown)[:2] == [title, summary]


def test_display_text_rejects_non_space() -> None:
    with pytest.raises(ValueError):
        display_text("ab cd", [1])


def test_target_must_be_sensible() -> None:
    with pytest.raises(ValueError):
        display_breaks("a b", [], target=1)


words = st.text(alphabet="abcé😀.!?”’\n", min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, max_size=300), st.integers(min_value=20, max_value=200))
def test_properties_on_random_text(parts: list[str], target: int) -> None:
    text = " ".join(parts)
    zones = []
    if len(text) > 10:
        zones = [ZoneSpec("notes", 0, len(text) // 3), ZoneSpec("story", len(text) // 3, len(text))]
    breaks = display_breaks(text, zones, target=target)
    shown = check_invariants(text, breaks)
    # Words are at most 40 characters, so a block can always be cut close to the target.
    assert max(len(b) for b in blocks(shown)) <= target * 3 // 2 + 41
    for zone in zones:
        b = zone.start - 1
        if 0 < b < len(text) - 1 and text[b] == " " and "\n" not in text[b - 1 : b + 2]:
            assert b in breaks


def chained(text: str, zones: list[ZoneSpec], sizes: list[int], target: int) -> list[int]:
    """``display_breaks_between`` called chunk after chunk from 0 to the end."""
    breaks: list[int] = []
    start, k = 0, 0
    while start < len(text):
        chunk, after = display_breaks_between(text, zones, start, start + sizes[k % len(sizes)], target)
        assert after >= min(start + sizes[k % len(sizes)], len(text))
        assert all(start <= b < after for b in chunk)
        if after < len(text):
            assert text[after - 1] in " \n"  # chunks end where a display block ends
        breaks += chunk
        start, k = after, k + 1
    return breaks


@pytest.mark.parametrize("seed", SEEDS[:2], ids=lambda p: p.name)
def test_breaks_in_chunks_equal_breaks_of_the_whole(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    zones = [ZoneSpec("summary", 0, 400), ZoneSpec("story", 401, len(text))]
    assert chained(text, zones, [1000, 37, 5000], DEFAULT_TARGET) == display_breaks(text, zones)


def test_chunk_boundary_must_be_a_block_start() -> None:
    text = "One two. Three four. " * 100
    breaks, after = display_breaks_between(text, [], 0, 500, target=60)
    assert breaks and after >= 500
    with pytest.raises(ValueError):
        display_breaks_between(text, [], after + 1, after + 500, target=60)  # mid-word
    with pytest.raises(ValueError):
        display_breaks_between(text, [], -1, 10)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(words, max_size=300),
    st.integers(min_value=20, max_value=200),
    st.lists(st.integers(min_value=1, max_value=700), min_size=1, max_size=5),
)
def test_chunked_breaks_equal_whole_on_random_text(parts: list[str], target: int, sizes: list[int]) -> None:
    text = " ".join(parts)
    zones = []
    if len(text) > 10:
        zones = [ZoneSpec("notes", 0, len(text) // 3), ZoneSpec("story", len(text) // 3, len(text))]
    assert chained(text, zones, sizes, target) == display_breaks(text, zones, target=target)
