"""Words in a stored text: counting them, snapping a selection to them, naming a code after them.

Plain functions over code points, the offsets the store uses; the viewer converts Qt's UTF-16
positions before calling them. A word is a run of letters, digits and combining marks, with an
apostrophe, hyphen or joiner inside it ("don't", "well-known", "👩‍👩‍👧" stays whole).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

# Inside a word (between two word characters) these keep it one word.
_JOINERS = frozenset("'’-‐_\u200d")
_WORD_CATEGORIES = frozenset({"Mn", "Mc", "Me", "So", "Sk"})


def count_words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters (the header's figure too).

    Counted a slice at a time (``count_words_in_steps``): a worker thread counting a 20 MB work
    lets the GUI thread run between slices instead of holding the interpreter for 0.2 s.
    """
    *_, words = count_words_in_steps(text)
    assert words is not None
    return words


def count_words_in_steps(text: str, step: int = 400_000) -> Iterator[int | None]:
    """Count the words of ``text`` (as ``count_words``) a slice at a time.

    Yields None after each slice but the last, then the total: a caller on the GUI thread takes
    one slice per event (a 20 MB work: ~50 slices of a few ms each). Each slice ends on
    whitespace, so no word is cut in two or counted twice.
    """
    total, lo, n = 0, 0, len(text)
    while True:
        hi = min(n, lo + step)
        while hi < n and not text[hi].isspace():  # a word running on: finish it in this slice
            hi += 1
        total += len(text[lo:hi].split())
        lo = hi
        if lo >= n:
            yield total
            return
        yield None


def _is_word_char(ch: str) -> bool:
    # Marks keep accents with their letters; So/Sk keep emoji and their skin-tone modifiers.
    return ch.isalnum() or unicodedata.category(ch) in _WORD_CATEGORIES


def _joins(text: str, i: int) -> bool:
    """True if ``text[i]`` is a joiner between two word characters."""
    return (
        text[i] in _JOINERS
        and 0 < i < len(text) - 1
        and _is_word_char(text[i - 1])
        and _is_word_char(text[i + 1])
    )


def _in_word(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (_is_word_char(text[i]) or _joins(text, i))


def trim_space(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the whitespace at either end (unchanged if it is all space)."""
    lo, hi = start, end
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return (lo, hi) if lo < hi else (start, end)


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` to whole words at both ends, after trimming space off them.

    "udos are appreciated, as w" becomes "Kudos are appreciated, as well"; punctuation the
    selection already holds stays, none is added. A selection of only space is left alone.
    """
    lo, hi = trim_space(text, max(0, start), min(len(text), end))
    if lo >= hi or text[lo].isspace():
        return (start, end)
    if _in_word(text, lo):
        while lo > 0 and _in_word(text, lo - 1):
            lo -= 1
    if _in_word(text, hi - 1):
        while hi < len(text) and _in_word(text, hi):
            hi += 1
    return (lo, hi)


def _is_edge_noise(ch: str) -> bool:
    """Characters a code name neither starts nor ends with: space, punctuation, controls."""
    return ch.isspace() or unicodedata.category(ch)[0] in "PZC"


def name_from_words(words: str, limit: int) -> str:
    """A code name made of ``words``: space collapsed, at most ``limit`` characters cut at a word
    boundary when there is one, without space or punctuation at either end ("" if none is left).
    """
    name = " ".join(words.split())
    if len(name) > limit:
        cut = name.rfind(" ", 0, limit + 1)
        name = name[:cut] if cut > limit // 2 else name[:limit]
    lo, hi = 0, len(name)
    while lo < hi and _is_edge_noise(name[lo]):
        lo += 1
    while hi > lo and _is_edge_noise(name[hi - 1]):
        hi -= 1
    return name[lo:hi]
