"""Words: counting them, snapping a selection to whole words, naming an in-vivo code after them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.words import count_words, count_words_in_steps, name_from_words, snap_to_words, trim_space

TEXT = "Kudos are appreciated, as well as comments. Don't stop—well-known 👩\u200d👩\u200d👧 cafe\u0301s!"


def snapped(text: str, selected: str, occurrence: int = 0) -> str:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(selected, start + 1)
    lo, hi = snap_to_words(text, start, start + len(selected))
    return text[lo:hi]


@pytest.mark.parametrize(
    ("selected", "expected"),
    [
        ("udos are appreciated, as w", "Kudos are appreciated, as well"),  # the reported case
        (" are appreciated", "are appreciated"),  # a leading space goes
        ("are appreciated, ", "are appreciated,"),  # punctuation selected stays, space goes
        ("Kudos", "Kudos"),  # whole words stay as they are
        ("on't st", "Don't stop"),  # an apostrophe inside a word keeps it whole
        ("ll-kn", "well-known"),  # so does a hyphen
        ("stop", "stop"),  # a dash between words is not inside one
        ("\u200d👩", "👩\u200d👩\u200d👧"),  # an emoji family is one word
        ("cafe", "cafe\u0301s"),  # a combining accent stays with its letter
        (", as", ", as"),  # punctuation at the start stays, nothing before it is added
    ],
)
def test_a_selection_snaps_out_to_whole_words_and_sheds_space(selected: str, expected: str) -> None:
    assert snapped(TEXT, selected) == expected


def test_snapping_at_the_ends_of_the_text_stays_inside_it() -> None:
    assert snap_to_words("word", 1, 3) == (0, 4)
    assert snap_to_words("a   b", 1, 4) == (1, 4)  # only space: left alone
    assert snap_to_words("", 0, 0) == (0, 0)
    assert snap_to_words("a b", 0, 3) == (0, 3)


@given(st.text(alphabet="ab '-.,\u0301😀\u200d\n", max_size=40), st.data())
def test_snapping_covers_the_selection_but_its_space_and_is_idempotent(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    lo, hi = snap_to_words(text, start, end)
    assert 0 <= lo <= hi <= len(text)
    inner = trim_space(text, start, end)
    if text[inner[0] : inner[1]].strip():
        assert lo <= inner[0] and inner[1] <= hi  # never loses a selected non-space character
        assert not text[lo].isspace() and not text[hi - 1].isspace()
        assert snap_to_words(text, lo, hi) == (lo, hi)
    else:
        assert (lo, hi) == (start, end)


def test_words_are_counted_as_a_reader_counts_them() -> None:
    assert count_words("  Kudos are\nappreciated —  well. ") == 5
    assert count_words("") == 0


@pytest.mark.parametrize(
    ("words", "name"),
    [
        (" udos are appreciated, as w", "udos are appreciated, as w"),
        ("“no”", "no"),
        ("\u00a0*stop* — now!!\t", "stop* — now"),
        ("...\n", ""),
        ("well-known 😀", "well-known 😀"),
        ("«Non.»", "Non"),
    ],
)
def test_a_code_name_has_no_space_or_punctuation_at_its_ends(words: str, name: str) -> None:
    assert name_from_words(words, 80) == name


def test_a_long_name_is_cut_at_a_word_boundary() -> None:
    words = "one two three four five six seven eight nine ten eleven twelve"
    name = name_from_words(words, 20)
    assert name == "one two three four"
    assert name_from_words("x" * 50, 20) == "x" * 20
    assert name_from_words("a, " + "y" * 30, 20) == "a, " + "y" * 17  # no useful boundary: cut there


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(["a", "é", "😀", " ", "\n", "\t", "\u3000", "-"]), max_size=200),
    st.integers(1, 9),
)
def test_words_counted_in_slices_are_the_words_counted_at_once(text: str, step: int) -> None:
    totals = list(count_words_in_steps(text, step))
    assert totals[-1] == len(text.split())
    assert all(t is None for t in totals[:-1])
    assert len(totals) <= len(text) // step + 2  # a slice per step, not a step per character
