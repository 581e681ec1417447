"""How many spans cover each position of a range, for drawing what cannot be drawn one by one.

A paragraph that thousands of annotations overlap cannot show thousands of underlines; the
viewer draws the first lanes one by one and, past them, where the text is crowded and how
crowded (the depth: how many spans cover a character). Work is proportional to the range's
length and the number of spans, all in numpy.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.int64]


class Crowded(NamedTuple):
    start: int  # code points, end exclusive
    end: int
    depth: int  # the most spans covering one character of the run


def depths(starts: Array, ends: Array, lo: int, hi: int) -> Array:
    """For each position of ``[lo, hi)``, the number of spans ``[start, end)`` covering it."""
    width = max(0, hi - lo)
    if width == 0 or not len(starts):
        return np.zeros(width, np.int64)
    first = np.clip(starts, lo, hi) - lo
    last = np.clip(ends, lo, hi) - lo
    steps = np.bincount(first, minlength=width + 1) - np.bincount(last, minlength=width + 1)
    return np.cumsum(steps[:width])


def crowded_runs(depth: Array, lo: int, above: int) -> list[Crowded]:
    """Maximal runs of positions covered by more than ``above`` spans, with their peak depth."""
    crowded = depth > above
    if not crowded.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate(([False], crowded, [False])).astype(np.int8)))
    runs = edges.reshape(-1, 2)
    peaks = np.maximum.reduceat(depth, runs[:, 0])
    return [
        Crowded(lo + int(s), lo + int(e), int(p))
        for (s, e), p in zip(runs.tolist(), peaks.tolist(), strict=True)
    ]


def peak(depth: Array, lo: int, start: int, end: int) -> int:
    """The most spans covering one position of ``[start, end)`` (0 outside ``depth``'s range)."""
    a, b = max(0, start - lo), min(len(depth), end - lo)
    return int(depth[a:b].max()) if b > a else 0
