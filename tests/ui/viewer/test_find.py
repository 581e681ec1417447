"""Find in the stored text: every match, case-insensitively, at code-point offsets; range lookups."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.ui.viewer.find import FindMatches, find_all

FAMILY = "👩\u200d👩\u200d👧"  # five code points, eight UTF-16 units


def test_finds_every_match_case_insensitively_at_code_point_offsets() -> None:
    text = f"{FAMILY} Kylo met kylo; 😀 KYLO left. cafe\u0301 Kylo"
    matches = find_all(text, "kylo")
    starts = [i for i in range(len(text)) if text[i : i + 4].lower() == "kylo"]
    assert matches == [(s, s + 4) for s in starts]
    assert len(matches) == 4
    assert [text[s:e] for s, e in matches] == ["Kylo", "kylo", "KYLO", "Kylo"]
    assert find_all(text, "kylo", case_sensitive=True) == [(starts[1], starts[1] + 4)]


def test_a_case_folding_that_changes_length_does_not_shift_later_offsets() -> None:
    text = "İ. istanbul, İstanbul"  # "İ".lower() is two code points
    last = text.rindex("stanbul")
    assert find_all(text, "STANBUL") == [(text.index("stanbul"), text.index("stanbul") + 7), (last, last + 7)]


def test_the_query_is_literal_and_matches_do_not_overlap() -> None:
    assert find_all("a.b axb a.b", "a.b") == [(0, 3), (8, 11)]
    assert find_all("(x) [x]", "[x]") == [(4, 7)]
    assert find_all("aaaaa", "aa") == [(0, 2), (2, 4)]
    assert find_all("anything", "") == []
    assert find_all("", "a") == []


def test_stepping_wraps_both_ways_and_a_new_search_starts_over() -> None:
    matches = FindMatches()
    assert matches.step(True) is None and matches.current_span() is None
    matches.set([(30, 34), (2, 6), (12, 16)])
    assert matches.spans == [(2, 6), (12, 16), (30, 34)]
    assert [matches.step(True) for _ in range(4)] == [(2, 6), (12, 16), (30, 34), (2, 6)]
    assert matches.step(False) == (30, 34)
    assert matches.current_span() == (30, 34)
    matches.set([(5, 7), (9, 11)])
    assert matches.current_span() is None
    assert matches.step(False) == (9, 11)  # backwards from nothing: the last match


def test_visible_takes_the_matches_overlapping_a_range_and_no_others() -> None:
    matches = FindMatches()
    matches.set([(0, 4), (10, 14), (14, 18), (20, 60), (70, 72)])
    assert matches.visible(14, 20) == [(14, 18)]  # ends at lo and starts at hi: out
    assert matches.visible(13, 21) == [(10, 14), (14, 18), (20, 60)]
    assert matches.visible(30, 40) == [(20, 60)]  # a long match that began well before lo
    assert matches.visible(72, 100) == []


spans = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)).map(lambda p: (p[0], p[0] + p[1])))


@given(spans, st.integers(0, 250), st.integers(0, 60))
def test_visible_agrees_with_a_scan_of_every_match(found: list[tuple[int, int]], lo: int, size: int) -> None:
    matches = FindMatches()
    matches.set(found)
    hi = lo + size
    assert matches.visible(lo, hi) == sorted((s, e) for s, e in found if e > lo and s < hi)
