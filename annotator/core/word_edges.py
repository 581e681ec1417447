"""Block edges that cut a word: a letter or two matched by chance where the alignment jumps.

A character diff of two stretches that differ happily matches the first letter of a deleted word
with the first letter of an inserted one ("xxflkk n|qnyk" against "xxflkk n|omjus"). Inside text
that stayed in order this is harmless, but where a block ends and the old text continues
elsewhere in the new one, the stolen letter splits an unchanged word between two places: the
word is then neither in one block nor free to be found where it moved. ``whole_words`` hands such
fragments back to the block that holds the rest of the word, or leaves them unmatched.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

# A fragment of a word this long or shorter at a block's edge is a chance match, not kept text.
_CHANCE_LETTERS = 2

Triple = tuple[int, int, int]  # (old start, new start, length)


def whole_words(blocks: Sequence[Triple], old: str, new: str) -> list[Triple]:
    """``blocks`` (sorted by old start, disjoint on both sides), chance word fragments moved or dropped."""
    out = [list(block) for block in blocks]
    by_new = sorted(range(len(out)), key=lambda i: out[i][1])
    rank = {i: k for k, i in enumerate(by_new)}
    trimmed_tail: dict[int, int] = {}
    trimmed_head: dict[int, int] = {}
    for i, block in enumerate(out):
        old_start, new_start, length = block
        old_end, new_end = old_start + length, new_start + length
        k = rank[i]
        # Only where the old text continues elsewhere in the new one: inside text that stayed in
        # order, a letter or two kept at an edit's edge ("bit|t|er") is kept text.
        jumps_after = (i + 1 if i + 1 < len(out) else None) != (by_new[k + 1] if k + 1 < len(out) else None)
        jumps_before = (i - 1 if i else None) != (by_new[k - 1] if k else None)
        tail = _fragment_before(old, old_end, old_start) if jumps_after else 0
        if tail and tail < length and (_letter(old, old_end) or _letter(new, new_end)):
            block[2] -= tail
            trimmed_tail[i] = tail
            length -= tail
        head = _fragment_after(old, old_start, old_start + length) if jumps_before else 0
        if head and head < length and (_letter(old, old_start - 1) or _letter(new, new_start - 1)):
            block[0] += head
            block[1] += head
            block[2] -= head
            trimmed_head[i] = head
    if not trimmed_tail and not trimmed_head:
        return list(blocks)
    taken = (_Taken(out, side=0), _Taken(out, side=1))
    # The letters go to the neighbour in the old text when the new text holds them there; the
    # new letters given up, to the neighbour in the new text where its old text continues with
    # them ("msoi" + "n" when the "n" had been taken from "nxjfon").
    in_old_order = list(range(len(out)))
    for order, place in ((in_old_order, in_old_order), (by_new, [rank[i] for i in in_old_order])):
        for i, count in trimmed_tail.items():
            if place[i] + 1 < len(order):
                _grow(out[order[place[i] + 1]], -count, old, new, taken)
        for i, count in trimmed_head.items():
            if place[i] > 0:
                _grow(out[order[place[i] - 1]], count, old, new, taken)
    return [(a, b, n) for a, b, n in out if n > 0]


def _grow(block: list[int], count: int, old: str, new: str, taken: tuple[_Taken, _Taken]) -> None:
    """Grow ``block`` by ``count`` characters forward (or ``-count`` backward) when they are equal
    on both sides and no block holds them."""
    old_start, new_start, length = block
    if not length or not count:
        return
    if count > 0:
        old_range = (old_start + length, old_start + length + count)
        new_range = (new_start + length, new_start + length + count)
    else:
        old_range = (old_start + count, old_start)
        new_range = (new_start + count, new_start)
    if old[old_range[0] : old_range[1]] != new[new_range[0] : new_range[1]]:
        return
    if not (taken[0].free(*old_range) and taken[1].free(*new_range)):
        return
    taken[0].add(*old_range)
    taken[1].add(*new_range)
    if count < 0:
        block[0] += count
        block[1] += count
    block[2] += abs(count)


def _letter(text: str, at: int) -> bool:
    return 0 <= at < len(text) and text[at].isalnum()


def _fragment_before(text: str, end: int, floor: int) -> int:
    """How many letters end ``text[floor:end]`` when they are a word's first ``_CHANCE_LETTERS``."""
    count = 0
    while end - count > floor and text[end - count - 1].isalnum():
        count += 1
        if count > _CHANCE_LETTERS:
            return 0
    starts_word = end - count == 0 or not text[end - count - 1].isalnum()
    return count if starts_word else 0


def _fragment_after(text: str, start: int, ceiling: int) -> int:
    """How many letters start ``text[start:ceiling]`` when they are a word's last ``_CHANCE_LETTERS``."""
    count = 0
    while start + count < ceiling and text[start + count].isalnum():
        count += 1
        if count > _CHANCE_LETTERS:
            return 0
    return count if start + count < ceiling else 0


class _Taken:
    """The ranges of the blocks in the new text (or the old, ``side=0``), asked whether a few
    characters are free."""

    def __init__(self, blocks: list[list[int]], side: int = 1) -> None:
        self._ranges = sorted((b[side], b[side] + b[2]) for b in blocks if b[2] > 0)
        self._starts = [a for a, _ in self._ranges]

    def free(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, end - 1) - 1
        return not (i >= 0 and self._ranges[i][1] > start)

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ranges.insert(i, (start, end))


# How far an edit is slid to find word boundaries (diff-match-patch's lossless cleanup, for blocks).
_SLIDE_LIMIT = 64


def slid_to_words(blocks: Sequence[Triple], old: str, new: str) -> list[Triple]:
    """Pure insertions and deletions between two blocks, slid along equal text to word boundaries.

    ``old = "…msoin| pmcmzm … nxjfon| fvzwuvtfn"`` with the middle deleted can be cut one letter
    earlier at both ends just as well ("…msoi|n pmcmzm … nxjfo|n fvzwuvtfn"); growing the blocks
    letter by letter picks either. The cut on word boundaries keeps both words whole.
    """
    out = [list(block) for block in blocks]
    by_new = sorted(range(len(out)), key=lambda i: out[i][1])
    rank = {i: k for k, i in enumerate(by_new)}
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if rank[i + 1] != rank[i] + 1 or a[2] == 0 or b[2] == 0:
            continue
        old_gap, new_gap = b[0] - (a[0] + a[2]), b[1] - (a[1] + a[2])
        if (old_gap == 0) == (new_gap == 0):  # a replacement, or no edit at all
            continue
        text, cut, rejoin = (old, a[0] + a[2], b[0]) if new_gap == 0 else (new, a[1] + a[2], b[1])
        left = 0
        while left < min(a[2] - 1, _SLIDE_LIMIT) and text[cut - left - 1] == text[rejoin - left - 1]:
            left += 1
        right = 0
        while right < min(b[2] - 1, _SLIDE_LIMIT) and text[cut + right] == text[rejoin + right]:
            right += 1
        if not left and not right:
            continue
        best = max(
            range(-left, right + 1),
            key=lambda shift: (_boundary(text, cut + shift) + _boundary(text, rejoin + shift), -abs(shift)),
        )
        if best:
            a[2] += best
            b[0] += best
            b[1] += best
            b[2] -= best
    return [(x, y, n) for x, y, n in out]


def _boundary(text: str, at: int) -> int:
    """How good a place ``at`` is to cut ``text``: 2 at a space or an end, 1 at punctuation, 0 in a word."""
    if at <= 0 or at >= len(text) or text[at - 1].isspace() or text[at].isspace():
        return 2
    return 0 if text[at - 1].isalnum() and text[at].isalnum() else 1
