"""Finding where text deleted in one place reappears in another (a scene cut and pasted elsewhere).

After the ordered diff, what is left unmatched is text deleted from the old version and text
inserted into the new one. A moved scene shows up as both; if it was also edited on the way, no
whole paragraph of it matches, but most of its sentences still do. ``pair_moved_stretches`` pairs
each deleted stretch with the inserted stretch that shares the most long sentences with it — each
sentence unique on both sides, so a common line ("He nodded.") proves nothing — and the caller
diffs each pair in turn.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

# A sentence (or run of three words) shorter than this is too common to prove that text moved.
MIN_EVIDENCE = 16
# Two words in a row prove it from this long: a short passage moved with a word cut out of it keeps
# no three words together, and this is the length a passage moved whole must have to be followed.
MIN_PAIR_EVIDENCE = 12
_WORD = re.compile(r"\w+")

Range = tuple[int, int]


def pair_moved_stretches(
    old: str,
    new: str,
    deleted: Sequence[Range],
    inserted: Sequence[Range],
    sentences: Callable[[str], list[str]],
) -> list[tuple[Range, Range]]:
    """Pairs (deleted stretch, inserted stretch) that share unique long sentences, strongest first.

    Each stretch is paired at most once, so the pairs can be diffed independently.
    """
    if not deleted or not inserted:
        return []
    old_tokens = [_evidence(old[a:b], sentences) for a, b in deleted]
    new_tokens = [_evidence(new[a:b], sentences) for a, b in inserted]
    old_count = Counter(t for tokens in old_tokens for t in tokens)
    new_where: dict[str, int] = {}
    new_count: Counter[str] = Counter()
    for j, tokens in enumerate(new_tokens):
        for token in tokens:
            new_count[token] += 1
            new_where[token] = j
    votes: defaultdict[tuple[int, int], int] = defaultdict(int)
    for i, tokens in enumerate(old_tokens):
        for token in tokens:
            if old_count[token] == 1 and new_count[token] == 1:
                votes[i, new_where[token]] += len(token)
    pairs = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for (i, j), _ in sorted(votes.items(), key=lambda item: -item[1]):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((deleted[i], inserted[j]))
    return pairs


def _evidence(text: str, sentences: Callable[[str], list[str]]) -> list[str]:
    """Long sentences, runs of three words (a passage cut mid-sentence still shares those) and long
    pairs of words (a short passage moved and edited on the way)."""
    words = _WORD.findall(text)
    runs = (" ".join(words[i : i + 3]) for i in range(len(words) - 2))
    pairs = (f"{words[i]} {words[i + 1]}" for i in range(len(words) - 1))
    return [
        *(t for t in itertools.chain(sentences(text), runs) if len(t) >= MIN_EVIDENCE),
        *(t for t in pairs if len(t) >= MIN_PAIR_EVIDENCE),
    ]


def unmatched(spans: Sequence[Range], total: int) -> list[Range]:
    """The stretches of ``[0, total)`` outside the given disjoint spans."""
    out = []
    at = 0
    for start, end in sorted(spans):
        if start > at:
            out.append((at, start))
        at = max(at, end)
    if total > at:
        out.append((at, total))
    return out


def edges_of_moves(
    blocks: Sequence[tuple[int, int, int]], old_total: int, new_total: int
) -> list[tuple[Range, Range]]:
    """Unmatched stretches on both sides of each place where the alignment jumps (a move's edges).

    ``blocks`` are (old start, new start, length), sorted by old start. Where a block's neighbour
    in the old text is not its neighbour in the new text, the text between them was not diffed
    against each other yet: the first or last sentence of a moved scene, edited on the way.
    """
    by_new = sorted(range(len(blocks)), key=lambda i: blocks[i][1])
    rank = {i: k for k, i in enumerate(by_new)}
    pairs: list[tuple[Range, Range]] = []
    used_old: set[Range] = set()
    used_new: set[Range] = set()
    for i, (old_start, new_start, length) in enumerate(blocks):
        k = rank[i]
        old_prev = blocks[i - 1][0] + blocks[i - 1][2] if i else 0
        new_prev = blocks[by_new[k - 1]][1] + blocks[by_new[k - 1]][2] if k else 0
        old_next = blocks[i + 1][0] if i + 1 < len(blocks) else old_total
        new_next = blocks[by_new[k + 1]][1] if k + 1 < len(blocks) else new_total
        jumps_before = (i - 1 if i else None) != (by_new[k - 1] if k else None)
        jumps_after = (i + 1 if i + 1 < len(blocks) else None) != (
            by_new[k + 1] if k + 1 < len(blocks) else None
        )
        candidates = []
        if jumps_before:
            candidates.append(((old_prev, old_start), (new_prev, new_start)))
        if jumps_after:
            candidates.append(((old_start + length, old_next), (new_start + length, new_next)))
        for old_range, new_range in candidates:
            empty = old_range[0] >= old_range[1] or new_range[0] >= new_range[1]
            if not empty and old_range not in used_old and new_range not in used_new:
                used_old.add(old_range)
                used_new.add(new_range)
                pairs.append((old_range, new_range))
    return pairs


def moved_verbatim(
    old: str, new: str, deleted: Sequence[Range], inserted: Sequence[Range], min_length: int
) -> list[tuple[int, int, int]]:
    """Deleted stretches that reappear whole among the inserted ones: (old start, new start, length).

    A stretch counts only when it is found once among the inserted text and occurs once among
    the deleted text, so a common phrase never pulls an annotation onto another occurrence.
    """
    candidates = [(a, b) for a, b in deleted if b - a >= min_length]
    if not candidates or not inserted:
        return []
    joined_new = "\0".join(new[a:b] for a, b in inserted)
    joined_old = "\0".join(old[a:b] for a, b in deleted)
    starts = list(itertools.accumulate((b - a + 1 for a, b in inserted), initial=0))
    found = []
    for a, b in candidates:
        # The spaces around a passage often stay behind when it moves: look up its core.
        piece = old[a:b].strip()
        if len(piece) < min_length:
            continue
        a = old.index(piece, a)
        b = a + len(piece)
        hit = joined_new.find(piece)
        if hit == -1 or joined_new.find(piece, hit + 1) != -1:
            continue
        first = joined_old.find(piece)
        if joined_old.find(piece, first + 1) != -1:
            continue
        k = bisect_right(starts, hit) - 1
        found.append((a, inserted[k][0] + hit - starts[k], b - a))
    return found
