"""Moves at the token level: runs of lines or sentences deleted in one place and inserted in another.

``core.text_diff`` diffs two texts as token lists (lines, then sentences); tokens left unmatched on
both sides that are long and unique are a moved scene (``token_moves``). ``gaps_to_refine`` then
lists the stretches between matched runs that the next, finer level diffs again.
"""

from __future__ import annotations

import itertools
from collections import Counter

# A token this short ("Yes.", a blank line) is too common to prove that text moved.
_MOVE_MIN_TOKEN = 20
# Gaps between two moved runs are refined only when they are this small (in tokens).
_MOVE_GAP_TOKENS = 4


def _unmatched(runs: list[tuple[int, int, int]], total: int, side: int) -> list[int]:
    taken = bytearray(total)
    for run in runs:
        taken[run[side] : run[side] + run[2]] = b"\x01" * run[2]
    return [i for i in range(total) if not taken[i]]


def token_moves(
    old_tokens: list[str], new_tokens: list[str], runs: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Runs of tokens deleted in one place and inserted in another, found by unique long tokens."""
    old_free = _unmatched(runs, len(old_tokens), 0)
    new_free = _unmatched(runs, len(new_tokens), 1)
    if not old_free or not new_free:
        return []
    old_count = Counter(old_tokens[i] for i in old_free)
    new_where: dict[str, int] = {}
    new_count: Counter[str] = Counter()
    for j in new_free:
        new_count[new_tokens[j]] += 1
        new_where[new_tokens[j]] = j
    old_is_free = set(old_free)
    new_is_free = set(new_free)
    moves = []
    for i in old_free:
        token = old_tokens[i]
        if i not in old_is_free or len(token) < _MOVE_MIN_TOKEN:
            continue
        if old_count[token] != 1 or new_count[token] != 1 or new_where[token] not in new_is_free:
            continue
        j = new_where[token]
        first_i, first_j = i, j
        while (
            first_i - 1 in old_is_free
            and first_j - 1 in new_is_free
            and old_tokens[first_i - 1] == new_tokens[first_j - 1]
        ):
            first_i, first_j = first_i - 1, first_j - 1
        last_i, last_j = i, j
        while (
            last_i + 1 in old_is_free
            and last_j + 1 in new_is_free
            and old_tokens[last_i + 1] == new_tokens[last_j + 1]
        ):
            last_i, last_j = last_i + 1, last_j + 1
        count = last_i - first_i + 1
        old_is_free.difference_update(range(first_i, first_i + count))
        new_is_free.difference_update(range(first_j, first_j + count))
        moves.append((first_i, first_j, count))
    return moves


def gaps_to_refine(
    runs: list[tuple[int, int, int]], moves: list[tuple[int, int, int]], old_total: int, new_total: int
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Pairs of (old token range, new token range) left between matched runs, to refine further."""
    pairs: list[tuple[tuple[int, int], tuple[int, int]]] = []
    moved_old = bytearray(old_total)
    moved_new = bytearray(new_total)
    for old_i, new_i, count in moves:
        moved_old[old_i : old_i + count] = b"\x01" * count
        moved_new[new_i : new_i + count] = b"\x01" * count
    old_at = new_at = 0
    for old_i, new_i, count in [*runs, (old_total, new_total, 0)]:
        old_parts = _free_parts(moved_old, old_at, old_i)
        new_parts = _free_parts(moved_new, new_at, new_i)
        # Pair the stretches left on both sides in order; when moves broke them up unevenly, the
        # outermost ones still pair (edits next to an unchanged neighbour are the common case).
        if old_parts and new_parts:
            if len(old_parts) == len(new_parts):
                pairs.extend(zip(old_parts, new_parts, strict=True))
            else:
                pairs.append((old_parts[0], new_parts[0]))
                if len(old_parts) > 1 and len(new_parts) > 1:
                    pairs.append((old_parts[-1], new_parts[-1]))
        old_at, new_at = old_i + count, new_i + count
    # Inside a moved scene: the few tokens between two moved runs were edited on the way.
    ordered = sorted(moves)
    for (a_old, a_new, a_count), (b_old, b_new, _) in itertools.pairwise(ordered):
        old_gap = (a_old + a_count, b_old)
        new_gap = (a_new + a_count, b_new)
        if (
            (
                0 < old_gap[1] - old_gap[0] <= _MOVE_GAP_TOKENS
                and 0 < new_gap[1] - new_gap[0] <= _MOVE_GAP_TOKENS
            )
            and not any(moved_old[old_gap[0] : old_gap[1]])
            and not any(moved_new[new_gap[0] : new_gap[1]])
        ):
            pairs.append((old_gap, new_gap))
    return _disjoint(pairs)


def _free_parts(moved: bytearray, start: int, end: int) -> list[tuple[int, int]]:
    parts = []
    at = start
    while at < end:
        while at < end and moved[at]:
            at += 1
        first = at
        while at < end and not moved[at]:
            at += 1
        if at > first:
            parts.append((first, at))
    return parts


def _disjoint(
    pairs: list[tuple[tuple[int, int], tuple[int, int]]],
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Drop pairs that reuse tokens another pair already refines (each token is matched once)."""
    used_old: set[int] = set()
    used_new: set[int] = set()
    kept = []
    for old_range, new_range in pairs:
        olds, news = range(*old_range), range(*new_range)
        if used_old.isdisjoint(olds) and used_new.isdisjoint(news):
            used_old.update(olds)
            used_new.update(news)
            kept.append((old_range, new_range))
    return kept
