"""Benchmark: ``SpanIndex`` at 100k spans, the timings the unit tests used to assert.

1. an overlap query over 100 characters in the middle of 100k short spans plus one span that
   covers them all (the long span must not make every query scan everything);
2. the same query while the index is still unsorted (before ``build``: one vectorised scan);
3. adding one span and removing it again (what the viewer does per coding action).

Each figure is the median, p95 and max over many repetitions, in microseconds; the former test
limits are printed beside them as targets. Run:

    python benchmarks/bench_spans.py [--spans 100000] [--repeat 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.spans import SpanIndex


@dataclass(frozen=True)
class Item:
    id: int
    start: int
    end: int


def key(item: Item) -> int:
    return item.id


def spread(samples: list[float]) -> str:
    """Median, p95 and max of ``samples`` (seconds), in microseconds."""
    micro = [s * 1e6 for s in samples]
    p95 = statistics.quantiles(micro, n=20, method="inclusive")[18] if len(micro) >= 2 else micro[0]
    return f"median {statistics.median(micro):8.1f} µs, p95 {p95:8.1f} µs, max {max(micro):8.1f} µs"


def repeat(action: Callable[[int], object], times: int) -> list[float]:
    samples = []
    for attempt in range(times):
        began = time.perf_counter()
        action(attempt)
        samples.append(time.perf_counter() - began)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1_000)
    args = parser.parse_args()
    n, times = args.spans, args.repeat
    middle = n * 5  # spans are 5 characters every 10: the middle of the text

    long_span = Item(-1, 0, n * 10)
    items = [Item(i, i * 10, i * 10 + 5) for i in range(n)] + [long_span]

    unsorted = SpanIndex(items, key)
    scans = repeat(lambda _: unsorted.overlapping(middle, middle + 100), max(1, times // 10))

    index = SpanIndex(items, key)
    began = time.perf_counter()
    index.build()
    build = time.perf_counter() - began
    expected = {-1, *range(middle // 10, middle // 10 + 10)}
    assert {it.id for it in index.overlapping(middle, middle + 100)} == expected
    queries = repeat(lambda _: index.overlapping(middle, middle + 100), times)

    edited = SpanIndex([Item(i, i * 7, i * 7 + 40) for i in range(n)], key)
    edited.remove(5)  # builds the id map and the tiers once, as the viewer's warm-up does

    def add_and_remove(attempt: int) -> None:
        edited.add(Item(10**9 + attempt, 123, 456))
        edited.remove(10**9 + attempt)

    edits = repeat(add_and_remove, times)
    assert len(edited) == n - 1

    print(f"SpanIndex, {n:,} spans of 5 characters + one covering them all")
    print(f"build (sort into tiers):          {build * 1000:8.1f} ms once")
    print(f"query 100 chars, unsorted (scan): {spread(scans)}  ({len(scans)} queries)")
    print(f"query 100 chars, built:           {spread(queries)}  [target ≤ 5000 µs]")
    print(f"add + remove one span:            {spread(edits)}  [target ≤ 1000 µs]")


if __name__ == "__main__":
    main()
