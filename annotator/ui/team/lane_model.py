"""What the coder lanes show: each coder's coverage of a document, split into agreed and disputed runs.

Plain Python over plain values (no Qt), so it is tested without a display. A character a coder
coded with a code is *agreed* when every other compared coder coded it with that code too, and
*disputed* otherwise. With all codes shown, a character is disputed for a coder when it is
disputed for any of the codes that coder gave it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.disagreements import difference, intersection, union

Interval = tuple[int, int]


@dataclass(frozen=True, slots=True)
class LaneRun:
    start: int
    end: int
    agreed: bool


def lane_runs(
    spans: Iterable[tuple[str, int, int, int]], coders: Sequence[str], code_id: int | None = None
) -> dict[str, list[LaneRun]]:
    """``spans`` are (coder, code id, start, end); return each coder's runs, sorted by start."""
    by_code: dict[int, dict[str, list[Interval]]] = defaultdict(lambda: {c: [] for c in coders})
    for coder, code, start, end in spans:
        if coder in coders and (code_id is None or code == code_id) and end > start:
            by_code[code][coder].append((start, end))
    agreed: dict[str, list[Interval]] = {c: [] for c in coders}
    disputed: dict[str, list[Interval]] = {c: [] for c in coders}
    for versions in by_code.values():
        cover = {c: union(v) for c, v in versions.items()}
        for coder in coders:
            common = cover[coder]
            for other in coders:
                if other != coder:
                    common = intersection(common, cover[other])
            agreed[coder] += common
            disputed[coder] += difference(cover[coder], common)
    result: dict[str, list[LaneRun]] = {}
    for coder in coders:
        bad = union(disputed[coder])
        good = difference(union(agreed[coder]), bad)
        runs = [LaneRun(s, e, True) for s, e in good] + [LaneRun(s, e, False) for s, e in bad]
        result[coder] = sorted(runs, key=lambda r: (r.start, r.end))
    return result
