"""Matching blocks between two versions of a text: paragraphs first, then sentences, then characters.

``matching_blocks(old, new)`` returns the stretches of ``old`` that reappear verbatim in ``new``, as
``Block``s sorted by old offset. The texts are diffed with diff-match-patch as token strings —
each line (and, inside long changed stretches, each sentence) becomes one token — and only the
stretches that changed are diffed again at the finer level, ending with characters. A diff of a
5 MB work with a few edits therefore touches a few paragraphs, not five million characters.

Tokens that disappear in one place and reappear, uniquely, in another are matched as *moves* (a
scene cut and pasted elsewhere); the tokens between two moved runs are refined too, so a moved
scene that was also edited is still followed.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from annotator.core.text_moves import edges_of_moves, moved_verbatim, pair_moved_stretches, unmatched
from annotator.core.token_moves import gaps_to_refine, token_moves
from annotator.core.word_edges import slid_to_words, whole_words

# Sentence ends (with closing quotes or brackets) and line ends: the second token level.
_SENTENCE_END = re.compile(r"[.!?…]['\")\]]*[ \t]+|\n")
# A changed stretch shorter than this (on either side) goes straight to a character diff.
_TOKENS_FROM = 200
# A deleted stretch this long found whole, once, among the inserted text has moved there.
_MOVED_VERBATIM_FROM = 12
# Blocks shorter than this may be chance matches; longer ones grow over them.
_TINY_BLOCK = 4
# Rounds of pairing deleted stretches with inserted ones by the long sentences they share.
_PAIRING_ROUNDS = 3
# Character diffs give up refining after this long per stretch (diff-match-patch's safety net).
_CHAR_DIFF_TIMEOUT = 0.25


@dataclass(frozen=True, slots=True)
class Block:
    """``old[old_start:old_start+length]`` reappears as ``new[new_start:new_start+length]``."""

    old_start: int
    new_start: int
    length: int

    @property
    def old_end(self) -> int:
        return self.old_start + self.length

    @property
    def new_end(self) -> int:
        return self.new_start + self.length


def _lines(text: str) -> list[str]:
    """Each line and each "\\n" as tokens of their own, so a last line without one still matches."""
    tokens: list[str] = []
    for line in text.split("\n"):
        tokens += (line, "\n")
    tokens.pop()
    return [token for token in tokens if token]


def _sentences(text: str) -> list[str]:
    ends = [0, *(match.end() for match in _SENTENCE_END.finditer(text))]
    if ends[-1] != len(text):
        ends.append(len(text))
    return [text[a:b] for a, b in itertools.pairwise(ends)]


# Paragraphs, then sentences: a character diff only sees the few sentences that changed, so it
# stays fast (and finds what is common) even where two stretches share little.
_LEVELS: tuple[Callable[[str], list[str]], ...] = (_lines, _sentences)


def _bounds(start: int, tokens: list[str]) -> list[int]:
    """Absolute offsets where each token starts, and where the last one ends."""
    return [start, *itertools.accumulate(map(len, tokens), initial=start)][1:]


class _Matcher:
    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        self.blocks: list[Block] = []
        self.dmp = diff_match_patch()

    def match(self, old_start: int, old_end: int, new_start: int, new_end: int, level: int) -> None:
        """Add the blocks of ``old[old_start:old_end]`` against ``new[new_start:new_end]``."""
        if old_start >= old_end or new_start >= new_end:
            return
        if level >= len(_LEVELS) or min(old_end - old_start, new_end - new_start) < _TOKENS_FROM:
            self._characters(old_start, old_end, new_start, new_end)
            return
        tokenize = _LEVELS[level]
        old_tokens = tokenize(self.old[old_start:old_end])
        new_tokens = tokenize(self.new[new_start:new_end])
        if len(old_tokens) <= 1 and len(new_tokens) <= 1:  # one token each: nothing to split on
            self.match(old_start, old_end, new_start, new_end, level + 1)
            return
        old_bounds = _bounds(old_start, old_tokens)
        new_bounds = _bounds(new_start, new_tokens)
        runs = self._token_runs(old_tokens, new_tokens)
        moves = token_moves(old_tokens, new_tokens, runs)
        for old_i, new_i, count in runs + moves:
            length = old_bounds[old_i + count] - old_bounds[old_i]
            self.blocks.append(Block(old_bounds[old_i], new_bounds[new_i], length))
        for (old_a, old_b), (new_a, new_b) in gaps_to_refine(runs, moves, len(old_tokens), len(new_tokens)):
            self.match(old_bounds[old_a], old_bounds[old_b], new_bounds[new_a], new_bounds[new_b], level + 1)

    def _token_runs(self, old_tokens: list[str], new_tokens: list[str]) -> list[tuple[int, int, int]]:
        """Equal runs (old index, new index, count) of a diff of two token lists."""
        unique = dict.fromkeys(itertools.chain(old_tokens, new_tokens))
        codes = {token: chr(min(i, 0x10FFFF)) for i, token in enumerate(unique, 1)}
        old_code = "".join(map(codes.__getitem__, old_tokens))
        new_code = "".join(map(codes.__getitem__, new_tokens))
        self.dmp.Diff_Timeout = 0
        runs = _equal_runs(self.dmp.diff_main(old_code, new_code, False))
        # Past 0x10FFFF distinct tokens share a code; keep only runs whose tokens really are equal.
        return [
            run
            for run in runs
            if old_tokens[run[0] : run[0] + run[2]] == new_tokens[run[1] : run[1] + run[2]]
        ]

    def _characters(self, old_start: int, old_end: int, new_start: int, new_end: int) -> None:
        self.dmp.Diff_Timeout = _CHAR_DIFF_TIMEOUT
        diffs = self.dmp.diff_main(self.old[old_start:old_end], self.new[new_start:new_end], False)
        raw = _equal_runs(diffs)
        self.dmp.diff_cleanupSemantic(diffs)
        runs = _equal_runs(diffs)
        # Semantic cleanup drops an equal run that is shorter than the edits on both sides of it,
        # but a run this long is kept text (a short passage moved with its neighbours changed).
        kept = _Intervals((old_i, old_i + count) for old_i, _, count in runs)
        kept_new = _Intervals((new_i, new_i + count) for _, new_i, count in runs)
        runs += [
            (old_i, new_i, count)
            for old_i, new_i, count in raw
            if count >= _MOVED_VERBATIM_FROM
            and not kept.overlaps(old_i, old_i + count)
            and not kept_new.overlaps(new_i, new_i + count)
        ]
        for old_i, new_i, count in runs:
            self.blocks.append(Block(old_start + old_i, new_start + new_i, count))


def _equal_runs(diffs: list[tuple[int, str]]) -> list[tuple[int, int, int]]:
    """(old offset, new offset, length) of each equal run of a diff-match-patch diff."""
    runs = []
    old = new = 0
    for op, text in diffs:
        n = len(text)
        if op == 0:
            runs.append((old, new, n))
            old += n
            new += n
        elif op < 0:
            old += n
        else:
            new += n
    return runs


def matching_blocks(old: str, new: str) -> list[Block]:
    """Blocks of ``old`` that reappear verbatim in ``new``, sorted by old offset, merged when adjacent."""
    matcher = _Matcher(old, new)
    # Most updates leave long stretches at both ends untouched: take them whole, to a line start.
    prefix = old.rfind("\n", 0, matcher.dmp.diff_commonPrefix(old, new)) + 1
    suffix_at = len(old) - matcher.dmp.diff_commonSuffix(old[prefix:], new[prefix:])
    if suffix_at > prefix and old[suffix_at - 1] != "\n":
        suffix_at = old.find("\n", suffix_at) + 1 or len(old)
    suffix = len(old) - suffix_at
    matcher.blocks.append(Block(0, 0, prefix))
    matcher.blocks.append(Block(len(old) - suffix, len(new) - suffix, suffix))
    matcher.match(prefix, len(old) - suffix, prefix, len(new) - suffix, 0)
    # Scenes moved and edited on the way: no line of them matched, most of their sentences will.
    # Again over what is left: part of a deleted stretch may have gone to one place, part to another.
    for _ in range(_PAIRING_ROUNDS):
        found = [b for b in matcher.blocks if b.length > 0]
        deleted = unmatched([(b.old_start, b.old_end) for b in found], len(old))
        inserted = unmatched([(b.new_start, b.new_end) for b in found], len(new))
        pairs = pair_moved_stretches(old, new, deleted, inserted, _sentences)
        before = len(matcher.blocks)
        for (old_a, old_b), (new_a, new_b) in pairs:
            matcher.match(old_a, old_b, new_a, new_b, 1)
        if len(matcher.blocks) == before:
            break
    blocks = _extended(
        sorted((b for b in matcher.blocks if b.length > 0), key=lambda b: b.old_start), old, new
    )
    # The first and last sentences of a moved scene, if they were edited on the way.
    edges = edges_of_moves([(b.old_start, b.new_start, b.length) for b in blocks], len(old), len(new))
    if edges:
        matcher.blocks = blocks
        for (old_a, old_b), (new_a, new_b) in edges:
            matcher.match(old_a, old_b, new_a, new_b, 1)
        blocks = _extended(sorted(matcher.blocks, key=lambda b: b.old_start), old, new)
    # A word's first letters matched by chance where the text jumps: back to the rest of the word.
    triples = whole_words([(b.old_start, b.new_start, b.length) for b in blocks], old, new)
    # An edit that could be cut a letter earlier or later just as well: cut between words.
    triples = slid_to_words(triples, old, new)
    blocks = [Block(*triple) for triple in triples]
    # Short passages moved whole (too short to hold a long sentence): looked up verbatim, over
    # the tiny blocks matched by chance ("." and a line break), which give way to them.
    solid = [b for b in blocks if b.length >= _TINY_BLOCK]
    deleted = unmatched([(b.old_start, b.old_end) for b in solid], len(old))
    inserted = unmatched([(b.new_start, b.new_end) for b in solid], len(new))
    verbatim = [Block(*found) for found in moved_verbatim(old, new, deleted, inserted, _MOVED_VERBATIM_FROM)]
    if verbatim:
        old_taken = _Intervals((b.old_start, b.old_end) for b in verbatim)
        new_taken = _Intervals((b.new_start, b.new_end) for b in verbatim)
        kept = [
            b
            for b in blocks
            if b.length >= _TINY_BLOCK
            or not (old_taken.overlaps(b.old_start, b.old_end) or new_taken.overlaps(b.new_start, b.new_end))
        ]
        blocks = sorted([*kept, *verbatim], key=lambda b: b.old_start)
    merged: list[Block] = []
    for block in blocks:
        last = merged[-1] if merged else None
        if last is not None and last.old_end == block.old_start and last.new_end == block.new_start:
            merged[-1] = Block(last.old_start, last.new_start, last.length + block.length)
        else:
            merged.append(block)
    return merged


def _extended(blocks: list[Block], old: str, new: str) -> list[Block]:
    """Grow each block over equal characters into the unmatched text on both sides of it.

    Token diffs cut at token boundaries; a moved scene rarely starts on one, so its first and last
    few characters would otherwise be left behind. Tiny blocks (a space matched by chance in a
    character diff of the leftovers) give way to the growing ones.
    """
    grown = [[b.old_start, b.new_start, b.length] for b in blocks if b.length >= _TINY_BLOCK]
    by_new = sorted(range(len(grown)), key=lambda i: grown[i][1])
    new_rank = {i: k for k, i in enumerate(by_new)}
    for i, block in enumerate(grown):
        k = new_rank[i]
        old_floor = grown[i - 1][0] + grown[i - 1][2] if i else 0
        new_floor = grown[by_new[k - 1]][1] + grown[by_new[k - 1]][2] if k else 0
        grow = 0
        while (
            block[0] - grow > old_floor
            and block[1] - grow > new_floor
            and old[block[0] - grow - 1] == new[block[1] - grow - 1]
        ):
            grow += 1
        block[0] -= grow
        block[1] -= grow
        block[2] += grow
    for i, block in enumerate(grown):
        k = new_rank[i]
        old_ceiling = grown[i + 1][0] if i + 1 < len(grown) else len(old)
        new_ceiling = grown[by_new[k + 1]][1] if k + 1 < len(by_new) else len(new)
        grow = 0
        while (
            block[0] + block[2] + grow < old_ceiling
            and block[1] + block[2] + grow < new_ceiling
            and old[block[0] + block[2] + grow] == new[block[1] + block[2] + grow]
        ):
            grow += 1
        block[2] += grow
    out = [Block(a, b, n) for a, b, n in grown]
    old_taken = _Intervals((b.old_start, b.old_end) for b in out)
    new_taken = _Intervals((b.new_start, b.new_end) for b in out)
    for b in blocks:
        chance = b.length < _TINY_BLOCK
        if (
            chance
            and not old_taken.overlaps(b.old_start, b.old_end)
            and not new_taken.overlaps(b.new_start, b.new_end)
        ):
            out.append(b)
    return sorted(out, key=lambda b: b.old_start)


class _Intervals:
    """Disjoint intervals, asked whether a range overlaps any of them."""

    def __init__(self, intervals: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(intervals)
        self._starts = [a for a, _ in ordered]
        self._ends = [b for _, b in ordered]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, end - 1) - 1
        return i >= 0 and self._ends[i] > start
