"""Benchmark: the store at research scale, on SQLite (WAL, synchronous=FULL) in a temporary folder.

1. import a ~5 MB AO3 HTML work through ``import_files`` (parse + store);
2. insert 100k annotations through the segments CSV import (the bulk path);
3. one ``apply_code`` action (the undoable command the GUI runs) with 100k annotations present:
   median and p95 over 200 actions;
4. export 1M segments to CSV, fsynced, a few times (rows/s: each run, then median, p95 and best;
   also the database fetch alone, to show where time goes);
5. open a project of 1,000 works: ``open_project`` + ``list_documents``.

With ``--baseline`` the export is also timed written the obvious way (SegmentRow objects into
``csv.writer``). Spans are 20–400 characters of the work's real text (dialogue quotes, commas,
curly quotes) and the work carries a full AO3 preface, so a CSV row is ~700 bytes. Run:

    python benchmarks/bench_store.py [--quick] [--baseline] [--export-runs N]
    python benchmarks/bench_store.py --export-only PROJECT [--export-runs N]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import String, func, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.io.atomic import atomic_write_text
from annotator.io.csv_safety import guard_cell
from annotator.paths import seeds_dir
from annotator.services import commands
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import (
    add_document_in,
    document_text,
    import_files,
    list_documents,
    load_document,
)
from annotator.services.projects import create_project
from annotator.services.segment_query import BATCH, resolve_scope, rows_query
from annotator.services.segments import SegmentFilter, export_segments, import_segments, iter_segments
from annotator.store.fast_reads import read_one_snapshot, timestamp_as_text, utf8_row_batches
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore, open_project

T = TypeVar("T")
CODERS = ("alice", "bob", "carol")
MEMOS = ("", "", "", "", 'she says "no", twice', "pining, again", "=not a formula")


def timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    """(result, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def big_work(folder: Path, megabytes: float) -> tuple[Path, str]:
    """An AO3 HTML download of ~``megabytes`` (bench_import's), or plain text if that is missing."""
    try:
        from bench_import import synthetic_work
    except ImportError:
        seeds = " ".join(p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt")))
        body = "\n\n".join([seeds] * max(1, int(megabytes * 1e6 / len(seeds.encode()))))
        path = folder / "big-work.txt"
        path.write_text(body, encoding="utf-8")
        return path, "plain text (the AO3 HTML generator was missing)"
    path = folder / "big-work.html"
    path.write_text(synthetic_work(megabytes), encoding="utf-8")
    return path, "AO3 HTML"


class Spans:
    """Unique random (code, coder, start, end) spans of one document's text."""

    def __init__(self, length: int, codes: list[tuple[int, str]], seed: int = 7) -> None:
        self.rng, self.length, self.codes, self.seen = (
            random.Random(seed),
            length,
            codes,
            set[tuple[int, ...]](),
        )

    def __iter__(self) -> Iterator[tuple[int, str, int, str, int, int]]:
        rng = self.rng
        while True:
            start = rng.randrange(0, self.length - 400)
            end = start + rng.randrange(20, 400)
            code_id, path = rng.choice(self.codes)
            coder = rng.randrange(len(CODERS))
            key = (code_id, coder, start, end)
            if key not in self.seen:
                self.seen.add(key)
                yield code_id, path, coder, CODERS[coder], start, end


def segments_csv(doc_hash: str, work: str, spans: Iterator[Any], count: int, t0: datetime) -> io.StringIO:
    """A hand-made segments file (no ids, so every row takes the bulk path's id assignment)."""
    out = io.StringIO(newline="")
    out.write("document_hash,start,end,text,code_path,coder,memo,created_at\r\n")
    for i, (_, path, _, coder, start, end) in zip(range(count), spans, strict=False):
        quote = '"' + work[start:end].replace('"', '""') + '"'
        memo = MEMOS[i % len(MEMOS)]
        memo = '"' + memo.replace('"', '""') + '"' if memo else ""
        stamp = (t0 + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.write(f'{doc_hash},{start},{end},{quote},"{path}",{coder},{memo},{stamp}\r\n')
    out.seek(0)
    return out


def top_up(
    store: ProjectStore,
    doc_id: int,
    work: str,
    spans: Iterator[Any],
    count: int,
    ids: dict[str, int],
    t0: datetime,
) -> None:
    """Core ``insert()`` of ``count`` more annotations (setup for the export figure)."""
    with store.transaction() as session:
        rows: list[dict[str, Any]] = []
        for i, (code_id, _, _, coder, start, end) in zip(range(count), spans, strict=False):
            stamp = t0 + timedelta(seconds=i)
            rows.append(
                {
                    "document_id": doc_id,
                    "code_id": code_id,
                    "coder_id": ids[coder],
                    "start": start,
                    "end": end,
                    "quote": work[start:end],
                    "memo": MEMOS[i % len(MEMOS)],
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            if len(rows) == 20_000:
                session.execute(insert(Annotation.__table__), rows)  # type: ignore[arg-type]
                rows = []
        if rows:
            session.execute(insert(Annotation.__table__), rows)  # type: ignore[arg-type]


def fetch_only(store: ProjectStore) -> int:
    """Read the rows as the export reads them (one snapshot, text as UTF-8 bytes), and nothing else."""
    with store.reading() as session:
        read_one_snapshot(session)
        scope = resolve_scope(session, SegmentFilter())
        created = timestamp_as_text(session, Annotation.created_at)
        updated = timestamp_as_text(session, Annotation.updated_at)
        query = rows_query(scope, (created, func.nullif(updated, created, type_=String)))
        return sum(len(batch) for batch in utf8_row_batches(session, query, BATCH))


def naive_export(store: ProjectStore, target: Path) -> int:
    """The export written the obvious way, for comparison: SegmentRow objects into csv.writer."""
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer, count = csv.writer(handle, lineterminator="\r\n"), 0
        for r in iter_segments(store):
            stamps = [f"{t:%Y-%m-%dT%H:%M:%SZ}" if t else "" for t in (r.created_at, r.updated_at)]
            writer.writerow(
                [
                    r.annotation_id,
                    r.document_id,
                    guard_cell(r.document),
                    r.document_hash,
                    r.zone,
                    "" if r.chapter is None else r.chapter,
                    r.start,
                    r.end,
                    guard_cell(r.text),
                    r.code_id,
                    guard_cell(r.code_path),
                    guard_cell(r.coder),
                    guard_cell(r.memo),
                    *stamps,
                    *(guard_cell("; ".join(values)) for values in r.attributes.values()),
                ]
            )
            count += 1
    return count


def many_works(path: Path, count: int) -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    store = create_project(path)
    with store.transaction() as session:
        for n in range(count):
            body = f"Work {n}.\n\n{seeds[n % len(seeds)]}"
            add_document_in(
                session,
                ImportedDocument(
                    title=f"Work {n}",
                    source_format="text",
                    text=body,
                    source_name=f"work{n}.txt",
                    attributes={
                        "rating": ["Explicit"],
                        "fandoms": ["Star Wars", "Kylo Ren"],
                        "words": [str(n)],
                        "additional_tags": [f"tag {k}" for k in range(8)],
                    },
                    zones=[
                        ZoneSpec("title", 0, len(f"Work {n}.")),
                        ZoneSpec("story", len(f"Work {n}.") + 2, len(body)),
                    ],
                ),
            )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 MB work, 20k/100k annotations, 200 works")
    parser.add_argument(
        "--baseline", action="store_true", help="also time a straightforward csv.writer export"
    )
    parser.add_argument("--export-runs", type=int, default=5, metavar="N", help="time the export N times")
    parser.add_argument(
        "--export-only", metavar="PROJECT", help="only time the export (step 4) of an existing project"
    )
    args = parser.parse_args()
    if args.export_only:
        export_only(Path(args.export_only), args.export_runs)
        return
    megabytes, bulk, actions, export_rows, works = (
        (1.0, 20_000, 50, 100_000, 200) if args.quick else (5.0, 100_000, 200, 1_000_000, 1_000)
    )
    t0 = datetime(2024, 1, 1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = create_project(folder / "bench.annotator")
        with store.engine.connect() as connection:
            sync = connection.exec_driver_sql("PRAGMA synchronous").scalar()
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        print(
            f"SQLite {store.engine.dialect.server_version_info}, journal_mode={journal}, "
            f"synchronous={sync} (2 = FULL)"
        )

        path, kind = big_work(folder, megabytes)
        report, wall, _ = timed(lambda: import_files(store, [path]))
        [doc] = report.imported
        work = document_text(store, doc.id)
        zones = load_document(store, doc.id).zones
        chapters = sum(1 for zone in zones if zone.kind == "chapter")
        print(
            f"1. import {path.stat().st_size / 1e6:.1f} MB {kind} ({len(work) / 1e6:.1f}M characters, "
            f"{chapters} chapters, {len(zones)} zones) with import_files: {wall:.2f} s"
        )

        codes = [(c.id, c.path) for c in list_codes(store) if "/" in c.path]
        ids = {name: ensure_coder(store, name).id for name in CODERS}
        spans = iter(Spans(len(work), codes))
        source = segments_csv(with_hash(store, doc.id), work, spans, bulk, t0)
        result, wall, _ = timed(lambda: import_segments(store, source, "bulk.csv"))
        print(
            f"2. insert {result.imported:,} annotations via the segments CSV import: {wall:.2f} s "
            f"= {result.imported / wall:,.0f} rows/s (parse, check quotes, Core insert, one transaction)"
        )

        latencies = []
        for _ in range(actions):
            code_id, _, _, coder, start, end = next(spans)
            started = time.perf_counter()
            commands.ApplyCode(store, doc.id, start, end, code_id, ids[coder]).apply()
            latencies.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(latencies, n=20)[-1]
        print(
            f"3. apply_code with {bulk:,} annotations present: median {statistics.median(latencies):.2f} ms, "
            f"p95 {p95:.2f} ms, max {max(latencies):.2f} ms over {actions} actions"
        )

        more = export_rows - bulk - actions
        _, wall, _ = timed(lambda: top_up(store, doc.id, work, spans, more, ids, t0))
        print(
            f"   (setup: Core insert of {more:,} more annotations: {wall:.1f} s = {more / wall:,.0f} rows/s)"
        )
        # A fresh session, as when a researcher exports later: the bulk insert's WAL is checkpointed.
        store.close()
        store = open_project(folder / "bench.annotator")
        target = folder / "segments.csv"
        export_figures(store, target, args.export_runs)
        if args.baseline:
            rows, wall, cpu = timed(lambda: naive_export(store, target))
            print(
                f"   baseline (iter_segments rows + csv.writer + guard_cell): {wall:.2f} s = "
                f"{rows / wall:,.0f} rows/s (CPU {cpu:.2f} s)"
            )
        fetched, wall, cpu = timed(lambda: fetch_only(store))
        print(
            f"   database fetch alone (raw tuples, document order): {wall:.2f} s, CPU {cpu:.2f} s "
            f"= {fetched / cpu:,.0f} rows/s"
        )
        store.close()

        many = folder / "works.annotator"
        _, wall, _ = timed(lambda: many_works(many, works))
        opens = []
        for _ in range(5):
            started = time.perf_counter()
            project = open_project(many)
            listed = list_documents(project)
            opens.append(time.perf_counter() - started)
            project.close()
        print(
            f"5. open a project of {len(listed):,} works + list_documents: "
            f"median {statistics.median(opens) * 1000:.0f} ms, "
            f"max {max(opens) * 1000:.0f} ms over 5 opens (setup {wall:.1f} s)"
        )
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (2 cores; other work shares them)")


def export_figures(store: ProjectStore, target: Path, runs: int) -> None:
    """Export every segment ``runs`` times through ``atomic_write_text`` (so fsynced, as the CLI and
    the GUI write it) and print each run and the median, p95 and best of the rate."""
    walls = []
    for attempt in range(1, runs + 1):
        rows, wall, cpu = timed(lambda: atomic_write_text(target, lambda out: export_segments(store, out)))
        walls.append(wall)
        size = target.stat().st_size / 1e6
        print(
            f"4. export {rows:,} segments ({size:.0f} MB), run {attempt}: {wall:.2f} s = "
            f"{rows / wall:,.0f} rows/s, {size / wall:.0f} MB/s (CPU {cpu:.2f} s = {rows / cpu:,.0f} rows/s)"
        )
    slow = statistics.quantiles(walls, n=20, method="inclusive")[-1] if len(walls) > 1 else walls[0]
    print(
        f"   export over {runs} runs: median {rows / statistics.median(walls):,.0f} rows/s, "
        f"p95 {rows / slow:,.0f} rows/s (the 95th-percentile time), best {rows / min(walls):,.0f} rows/s"
    )


def export_only(project: Path, runs: int) -> None:
    """Step 4 alone, on a project made before (e.g. a copy of a research project)."""
    store = open_project(project)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            export_figures(store, Path(tmp) / "segments.csv", runs)
        fetched, wall, cpu = timed(lambda: fetch_only(store))
        print(f"   database fetch alone: {wall:.2f} s, CPU {cpu:.2f} s = {fetched / cpu:,.0f} rows/s")
    finally:
        store.close()
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (2 cores; other work shares them)")


def with_hash(store: ProjectStore, doc_id: int) -> str:
    with store.reading() as session:
        return str(
            session.execute(text("SELECT text_hash FROM documents WHERE id = :id"), {"id": doc_id}).scalar()
        )


if __name__ == "__main__":
    main()
