"""Aligning two versions of a work's text, and mapping old spans onto the new text.

``Alignment.between(old, new)`` finds the *blocks* of old text that reappear in the new text
(``core.text_diff``: paragraphs, then sentences, then characters; moved scenes included). Text
outside every block was edited: deleted, inserted or replaced. ``Alignment.place`` then decides
where an old span lands and whether its text is unchanged, edited or gone.

Straight and curly quotes are compared as equal while aligning (the folding keeps every offset),
so a work whose quotes were all curled still aligns paragraph to paragraph; whether an annotation's
text is literally unchanged is decided afterwards, by comparing the quote itself.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from functools import cached_property
from typing import Literal, NamedTuple

from diff_match_patch import diff_match_patch

from annotator.core.text_diff import Block, matching_blocks

AnchorKind = Literal["exact", "changed", "orphaned"]

# Code point for code point, so offsets in the folded text are offsets in the real one.
_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
}


def _folded(text: str) -> str:
    """Curly quotes straight and no-break spaces plain (``str.translate`` is 20× slower at 5 MB)."""
    for curly, straight in _FOLD.items():
        if curly in text:
            text = text.replace(curly, straight)
    return text


# An annotation counts as edited (not gone) when at least this share of its characters survives.
SURVIVAL_FOR_CHANGED = 0.5
# Blocks further apart than this in the new text (beyond the old distance) are different places.
_SAME_PLACE_SLACK = 1_000
# A quote found again elsewhere needs this much length, or this much matching context.
_MOVED_QUOTE_ALONE = 24
_MOVED_CONTEXT = 8
# Edited stretches up to this long are diffed again, uncleaned, to find words they kept.
_RAW_DIFF_LIMIT = 5_000


class Place(NamedTuple):
    """Where an old span landed in the new text; ``start``/``end`` are None when orphaned."""

    kind: AnchorKind
    start: int | None
    end: int | None


_ORPHANED = Place("orphaned", None, None)


class Alignment:
    """Which parts of an old text reappear where in a new one, and where old spans land."""

    def __init__(self, old_text: str, new_text: str, blocks: list[Block]) -> None:
        self.old_text = old_text
        self.new_text = new_text
        self.blocks = blocks  # sorted by old offset, disjoint on both sides
        self.block_starts = [block.old_start for block in blocks]
        self._raw_maps: dict[tuple[int, int], dict[int, int]] = {}

    @classmethod
    def between(cls, old_text: str, new_text: str) -> Alignment:
        blocks = matching_blocks(_folded(old_text), _folded(new_text))
        return cls(old_text, new_text, blocks)

    def map_offset(self, old: int) -> int | None:
        """The new offset of old offset ``old`` when the character there survived, else None."""
        i = bisect_right(self.block_starts, old) - 1
        if i >= 0 and old < self.blocks[i].old_end:
            return self.blocks[i].new_start + old - self.blocks[i].old_start
        return None

    def place(self, start: int, end: int, quote: str) -> Place:
        """Classify and place the old span ``[start, end)`` whose stored text is ``quote``."""
        if self.old_text[start:end] != quote:
            start, end = self._relocate(start, end, quote)
        i = bisect_right(self.block_starts, start) - 1
        if i >= 0 and end <= self.blocks[i].old_end:
            block = self.blocks[i]
            new_start = block.new_start + start - block.old_start
            return self._judged(new_start, new_start + end - start, quote)
        if start == end:
            return _ORPHANED
        pieces = self._pieces(max(i, 0), start, end)
        if not pieces:
            found = self._within_edit(i, start, end, quote)
            if found is not None:
                return found
        moved = self._moved(start, end, quote)
        if moved is not None:
            return moved
        kept = sum(piece.length for piece in pieces)
        finer: list[int] = []
        if kept < SURVIVAL_FOR_CHANGED * (end - start):
            finer = self._kept_in_edits(max(i, 0), start, end)
            kept += len(finer)
        if kept < SURVIVAL_FOR_CHANGED * (end - start):
            return _ORPHANED
        if not pieces:  # only the finer diff kept some of it: the span of what it kept
            return self._judged(min(finer), max(finer) + 1, quote)
        group = max(_same_place_groups(pieces), key=lambda g: sum(piece.length for piece in g))
        return self._judged(*self._span(group, start, end), quote)

    def _judged(self, new_start: int, new_end: int, quote: str) -> Place:
        kind: AnchorKind = "exact" if self.new_text[new_start:new_end] == quote else "changed"
        return Place(kind, new_start, new_end)

    def _relocate(self, start: int, end: int, quote: str) -> tuple[int, int]:
        """The stored quote no longer matches its offsets: use its nearest occurrence, if any."""
        if not quote:
            return start, end
        after = self.old_text.find(quote, start)
        before = self.old_text.rfind(quote, 0, start + len(quote) - 1)
        candidates = [at for at in (after, before) if at != -1]
        if not candidates:
            return start, end
        best = min(candidates, key=lambda at: abs(at - start))
        return best, best + len(quote)

    def _pieces(self, first: int, start: int, end: int) -> list[Block]:
        """The parts of ``[start, end)`` that survive, as blocks clipped to the span."""
        pieces = []
        i = first
        while i < len(self.blocks) and self.blocks[i].old_start < end:
            block = self.blocks[i]
            lo, hi = max(start, block.old_start), min(end, block.old_end)
            if lo < hi:
                pieces.append(Block(lo, block.new_start + lo - block.old_start, hi - lo))
            i += 1
        return pieces

    def _span(self, group: list[Block], start: int, end: int) -> tuple[int, int]:
        """The new span of a group of surviving pieces, widened over the edits at its edges.

        An edge that falls in edited text takes in as much of the replacement as the old span
        covered of the original, never more than the replacement itself.
        """
        first, last = group[0], group[-1]
        new_start, new_end = first.new_start, last.new_end
        if start < first.old_start:
            i = bisect_right(self.block_starts, first.old_start) - 2
            floor = self.blocks[i].new_end if i >= 0 else 0
            if floor <= new_start:
                new_start = max(floor, new_start - (first.old_start - start))
        if end > last.old_end:
            i = bisect_right(self.block_starts, last.old_start)
            ceiling = self.blocks[i].new_start if i < len(self.blocks) else len(self.new_text)
            if ceiling >= new_end:
                new_end = min(ceiling, new_end + (end - last.old_end))
        return new_start, new_end

    def _within_edit(self, before: int, start: int, end: int, quote: str) -> Place | None:
        """A span inside edited text whose words survive in the edit's replacement, in the same order.

        The k-th occurrence of the quote in the old stretch is the k-th in its replacement, when
        both stretches hold it equally often (a rewritten sentence that kept this word).
        """
        old_from = self.blocks[before].old_end if before >= 0 else 0
        old_to = self.blocks[before + 1].old_start if before + 1 < len(self.blocks) else len(self.old_text)
        new_from = self.blocks[before].new_end if before >= 0 else 0
        new_to = self.blocks[before + 1].new_start if before + 1 < len(self.blocks) else len(self.new_text)
        if new_from >= new_to or not quote:
            return None
        old_hits = _occurrences(self.old_text, quote, old_from, old_to)
        new_hits = _occurrences(self.new_text, quote, new_from, new_to)
        if start not in old_hits or not new_hits:
            return None
        if len(old_hits) != len(new_hits):
            # Counts differ: trust a plain character diff of the two stretches, word for word.
            new_start = self._raw_map(old_from, old_to, new_from, new_to).get(start)
            if new_start is None or new_start not in new_hits:
                return None
            return Place("exact", new_start, new_start + len(quote))
        new_start = new_hits[old_hits.index(start)]
        return Place("exact", new_start, new_start + len(quote))

    def _kept_in_edits(self, first: int, start: int, end: int) -> list[int]:
        """New offsets of the characters of ``[start, end)`` in edited stretches a finer diff keeps."""
        kept: list[int] = []
        i = first - 1 if first > 0 and self.blocks[first].old_start > start else first
        i = min(i, len(self.blocks) - 1)
        while i < len(self.blocks) and (i < 0 or self.blocks[i].old_end < end):
            old_from = self.blocks[i].old_end if i >= 0 else 0
            old_to = self.blocks[i + 1].old_start if i + 1 < len(self.blocks) else len(self.old_text)
            new_from = self.blocks[i].new_end if i >= 0 else 0
            new_to = self.blocks[i + 1].new_start if i + 1 < len(self.blocks) else len(self.new_text)
            if max(start, old_from) < min(end, old_to) and new_from < new_to:
                mapping = self._raw_map(old_from, old_to, new_from, new_to)
                kept += [mapping[at] for at in range(max(start, old_from), min(end, old_to)) if at in mapping]
            i += 1
        return kept

    def _raw_map(self, old_from: int, old_to: int, new_from: int, new_to: int) -> dict[int, int]:
        """Old → new offsets of the characters a plain (uncleaned) diff of two stretches keeps."""
        key = (old_from, new_from)
        if key not in self._raw_maps:
            mapping: dict[int, int] = {}
            if max(old_to - old_from, new_to - new_from) <= _RAW_DIFF_LIMIT:
                dmp = diff_match_patch()
                dmp.Diff_Timeout = 0.1
                old_at, new_at = old_from, new_from
                diffs = dmp.diff_main(self.old_text[old_from:old_to], self.new_text[new_from:new_to])
                # Drops chance matches of a letter or two between edits, keeps kept words.
                dmp.diff_cleanupEfficiency(diffs)
                for op, part in diffs:
                    if op == 0:
                        mapping.update(
                            zip(
                                range(old_at, old_at + len(part)),
                                range(new_at, new_at + len(part)),
                                strict=True,
                            )
                        )
                    old_at += len(part) if op <= 0 else 0
                    new_at += len(part) if op >= 0 else 0
            self._raw_maps[key] = mapping
        return self._raw_maps[key]

    def _moved(self, start: int, end: int, quote: str) -> Place | None:
        """The span's text, found once among the inserted text and at most once among the deleted."""
        if len(quote) < _MOVED_CONTEXT:
            return None
        inserted, inserted_at = self._inserted
        hit = inserted.find(quote)
        if hit == -1 or inserted.find(quote, hit + 1) != -1:
            return None
        deleted = self._deleted
        first = deleted.find(quote)
        if first != -1 and deleted.find(quote, first + 1) != -1:
            return None
        i = bisect_right(inserted_at, (hit, len(self.new_text))) - 1
        new_start = inserted_at[i][1] + hit - inserted_at[i][0]
        new_end = new_start + len(quote)
        old, new = self.old_text, self.new_text
        context = _MOVED_CONTEXT
        if len(quote) < _MOVED_QUOTE_ALONE and not (
            old[max(start - context, 0) : start] == new[max(new_start - context, 0) : new_start]
            or old[end : end + context] == new[new_end : new_end + context]
        ):
            return None
        return Place("exact", new_start, new_end)

    @cached_property
    def _inserted(self) -> tuple[str, list[tuple[int, int]]]:
        """The new text outside every block, joined by NULs, with (joined, new) offsets per stretch."""
        parts, where, joined_at, new_at = [], [], 0, 0
        for block in sorted(self.blocks, key=lambda b: b.new_start):
            if block.new_start > new_at:
                parts.append(self.new_text[new_at : block.new_start])
                where.append((joined_at, new_at))
                joined_at += block.new_start - new_at + 1
            new_at = block.new_end
        parts.append(self.new_text[new_at:])
        where.append((joined_at, new_at))
        return "\0".join(parts), where

    @cached_property
    def _deleted(self) -> str:
        parts, old_at = [], 0
        for block in self.blocks:
            parts.append(self.old_text[old_at : block.old_start])
            old_at = block.old_end
        parts.append(self.old_text[old_at:])
        return "\0".join(part for part in parts if part)


def _same_place_groups(pieces: list[Block]) -> list[list[Block]]:
    """Split surviving pieces (in old order) where the new text jumps back or far ahead."""
    groups = [[pieces[0]]]
    for prev, piece in itertools.pairwise(pieces):
        gap_new = piece.new_start - prev.new_end
        if gap_new < 0 or gap_new > piece.old_start - prev.old_end + _SAME_PLACE_SLACK:
            groups.append([piece])
        else:
            groups[-1].append(piece)
    return groups


def _occurrences(text: str, quote: str, start: int, end: int) -> list[int]:
    """Offsets of ``quote`` in ``text[start:end]``; a quote that starts or ends a word must do so there."""
    hits = []
    word_start, word_end = quote[0].isalnum(), quote[-1].isalnum()
    at = text.find(quote, start, end)
    while at != -1:
        after = at + len(quote)
        if not (word_start and at > 0 and text[at - 1].isalnum()) and not (
            word_end and after < len(text) and text[after].isalnum()
        ):
            hits.append(at)
        at = text.find(quote, at + 1, end)
    return hits
