"""Segments panel filters at scale: what one refresh of the panel costs (first page, then the count).

Not a unit test:

    python benchmarks/bench_segments_filter.py [--annotations N] [--works N] [--runs N] [--pg]

An SQLite project (PostgreSQL too with ``--pg`` and ``ANNOTATOR_TEST_PG_URL``) built by
``scale_project.build`` (default 1,000,000 codings by three coders over 1,000 works,
interleaved). Each filter is timed as the panel runs it: ``list_segments`` of one page, on the
GUI thread (what the window waits for: target ≤ 100 ms for a text filter), then
``count_segments`` when the page is full, which the panel runs off the GUI thread (the label says
"counting…" meanwhile); median, p95 and max over the runs. Text filters are also timed the way
they were before the search index (every quote and memo read and compared in Python).
On SQLite the build's rows are first folded into the index (migration 0007's change log), timed
on its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_project import build

from annotator.services import segment_query
from annotator.services.segments import SegmentFilter, count_segments, list_segments
from annotator.store.project import ProjectStore, open_project
from annotator.store.search_index import fold_pending
from tests.conftest import PG_URL, fresh_pg_database

PAGE = 1000  # rows the panel reads per page (segments_panel.LIMIT)
FILTERS = {
    "no filter": SegmentFilter(),
    "text, common ('the')": SegmentFilter(text="the"),
    "text, a word ('hoodie')": SegmentFilter(text="hoodie"),
    "text, in memos ('pining, again')": SegmentFilter(text="pining, again"),
    "text, nowhere ('zzyzx')": SegmentFilter(text="zzyzx"),
    "text + coder ('kiss', bob)": SegmentFilter(text="kiss", coders=("bob",)),
    "coder (bob)": SegmentFilter(coders=("bob",)),
    "code (Trope, with sub-codes)": SegmentFilter(code_paths=("Trope",)),
}


def refresh(store: ProjectStore, flt: SegmentFilter) -> tuple[float, float, int]:
    """Seconds for the first page, seconds for the count (0 when the page is not full), rows."""
    started = time.perf_counter()
    rows = list_segments(store, flt, PAGE)
    paged = time.perf_counter()
    total = len(rows) if len(rows) < PAGE else count_segments(store, flt)
    return paged - started, time.perf_counter() - paged, total


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return f"median {median * 1000:8.1f}  p95 {p95 * 1000:8.1f}  max {ordered[-1] * 1000:8.1f} ms"


def fold_log(store: ProjectStore) -> None:
    """SQLite: fold the search index's change log (migration 0007) before timing the filters.

    Every row the build wrote is in the log; the first text filter would fold them all. That
    one-off cost is reported here, so the runs time the panel as it usually is (log nearly empty).
    """
    if not store.is_sqlite:
        return
    started = time.perf_counter()
    fold_pending(store.engine, wait_ms=None)
    print(f"folded the search index's change log in {time.perf_counter() - started:.1f} s", flush=True)


def measure(store: ProjectStore, runs: int, label: str, before_runs: int) -> None:
    fold_log(store)
    print(f"\n{label}")
    original: Callable[..., object] = segment_query.text_condition
    for name, flt in FILTERS.items():
        pages, counts, total = [], [], 0
        for _ in range(runs):
            page, count, total = refresh(store, flt)
            pages.append(page)
            counts.append(count)
        line = f"  {name:<34} {total:>9,} rows  page: {summary(pages)}   count (in background): "
        line += summary(counts)
        if flt.text and before_runs:
            segment_query.text_condition = lambda _dialect, _needle: None  # type: ignore[assignment]
            try:
                before = [sum(refresh(store, flt)[:2]) for _ in range(before_runs)]
            finally:
                segment_query.text_condition = original  # type: ignore[assignment]
            line += f"   before (Python scan): median {statistics.median(before) * 1000:8.1f} ms"
        print(line, flush=True)
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=1_000_000)
    parser.add_argument("--works", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--before-runs", type=int, default=2, help="runs of the Python scan (0: skip)")
    parser.add_argument("--pg", action="store_true", help="also on PostgreSQL (ANNOTATOR_TEST_PG_URL)")
    parser.add_argument("--project", help="measure this existing SQLite project instead of building one")
    args = parser.parse_args()
    if args.project:
        store = open_project(args.project)
        try:
            measure(
                store,
                args.runs,
                f"{args.project}, one panel refresh (first page of {PAGE}, then the count)",
                args.before_runs,
            )
        finally:
            store.close()
        return
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", os.path.join(folder, "scale.annotator"))]
        if args.pg and PG_URL:
            targets.append(("PostgreSQL", ""))
        for backend, location in targets:
            if backend == "PostgreSQL":
                with fresh_pg_database() as url:
                    run(url, backend, args)
            else:
                run(location, backend, args)


def run(location: str, backend: str, args: argparse.Namespace) -> None:
    seconds = build(location, args.works, args.annotations)
    print(
        f"{backend}: built {args.annotations:,} codings over {args.works:,} works in {seconds:.1f} s",
        flush=True,
    )
    store = open_project(location)
    try:
        measure(
            store,
            args.runs,
            f"{backend}, one panel refresh (first page of {PAGE}, then the count)",
            args.before_runs,
        )
    finally:
        store.close()


if __name__ == "__main__":
    main()
