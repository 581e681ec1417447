"""Benchmark: the segments CSV export of a research-sized project, on SQLite and PostgreSQL.

The project is honest about where the time goes: 300 multi-chapter works with a full AO3 preface
of attributes, 6 coders, the fandom codebook, and ~1M annotations coded in an interleaved order
(each insert picks a random work, coder and code, as a team codes over months), so a work's rows
lie scattered through the table. Spans are 20–400 characters of real text (dialogue, commas,
curly quotes); a third of the rows carry a memo, some hostile (``=cmd``, quotes, line breaks);
a tenth were edited after they were coded. The project is built once per ``--workdir`` and
backend, and reused by later runs.

Two figures per backend, each over ``--runs`` runs (median, p95 = the 95th-percentile time, max):

* service: ``atomic_write_text(target, export_segments)`` in this process (as the GUI does);
* whole process: ``annotator export PROJECT --segments FILE`` timed as a subprocess, end to end
  (interpreter start, imports, opening the project, the export, fsync and rename).

Each also gives the CPU seconds spent (user + system, of this process or the command, and of the
export's worker process): other work on a shared machine stretches the wall time, not these.

Run:

    python benchmarks/bench_export.py [--backend sqlite|postgresql|both] [--rows 1000000]
        [--runs 5] [--workdir DIR] [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.io.atomic import atomic_write_text
from annotator.paths import seeds_dir
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document_in
from annotator.services.projects import create_project
from annotator.services.segments import export_segments
from annotator.store.models import Annotation
from annotator.store.project import ProjectError, ProjectStore, open_project

REPO = Path(__file__).resolve().parents[1]
WORKS = 300
CODERS = ("alice", "bob", "carol", "@dana", "erin, phd", "frank")
MEMOS = (
    "",
    "",
    "",
    "",
    "",
    "",
    'she says "no", twice',
    "pining, again",
    "=not a formula",
    "first line\nsecond line",
    "+1 with ana 🦊",
    "-",
)
PG_DATABASE = "annotator_bench_export"


def works(count: int, rng: random.Random) -> Iterator[ImportedDocument]:
    """Multi-chapter works of the seeds' real prose, each with a full AO3 preface of attributes."""
    seeds = [p.read_text(encoding="utf-8").strip() for p in sorted(seeds_dir().glob("*.txt"))]
    for n in range(count):
        title = rng.choice([f"Work {n}", f'"Work" {n}, part two', f"=Work {n}", f"Work {n} 🦊"])
        heading = f"{title}\n\n"
        zones = [ZoneSpec("title", 0, len(title))]
        body = heading
        for chapter in range(1, rng.randint(2, 6) + 1):
            start = len(body)
            body += "\n\n".join(rng.sample(seeds, 3)) + "\n\n"
            zones.append(ZoneSpec("chapter", start, len(body) - 2, f"Chapter {chapter}", chapter))
        yield ImportedDocument(
            title=title,
            source_format="text",
            text=body,
            source_name=f"work{n}.txt",
            zones=zones,
            attributes={
                "rating": [rng.choice(["Explicit", "Mature", "Teen And Up Audiences"])],
                "warnings": ["No Archive Warnings Apply"],
                "categories": ["F/M"],
                "fandoms": ["Star Wars - All Media Types", "Star Wars Sequel Trilogy"],
                "relationships": ["Kylo Ren/Reader", 'Rey/Ben "Solo"'],
                "characters": ["Kylo Ren", "Reader", "Rey (Star Wars)"],
                "additional_tags": [f"tag {k}" for k in range(rng.randint(3, 12))],
                "language": ["English"],
                "words": [f"{len(body.split()):,}"],
                "chapters": [f"{len(zones) - 1}/{len(zones) - 1}"],
                "authors": [f"author{n % 40}"],
                "url": [f"https://archiveofourown.org/works/{10_000 + n}"],
            },
        )


def build(target: str, rows: int) -> None:
    """A project at ``target`` with ``rows`` interleaved annotations (see the module's docstring)."""
    rng = random.Random(8)
    store = create_project(target, codebook="fandom")
    try:
        texts: dict[int, str] = {}
        with store.transaction() as session:
            for doc in works(WORKS, rng):
                texts[add_document_in(session, doc).id] = doc.text
        codes = [code.id for code in list_codes(store)]
        coders = [ensure_coder(store, name).id for name in CODERS]
        doc_ids = sorted(texts)
        t0, seen = datetime(2024, 1, 1), set[tuple[int, ...]]()
        batch: list[dict[str, Any]] = []
        started = time.perf_counter()
        made = 0
        while made < rows:
            doc = rng.choice(doc_ids)
            work = texts[doc]
            start = rng.randrange(0, len(work) - 20)
            end = min(len(work), start + rng.randrange(20, 400))
            key = (doc, rng.choice(codes), rng.choice(coders), start, end)
            if key in seen:
                continue
            seen.add(key)
            created = t0 + timedelta(seconds=made * 7)
            edited = created + timedelta(days=3, seconds=made % 977) if made % 10 == 3 else created
            batch.append(
                {
                    "document_id": doc,
                    "code_id": key[1],
                    "coder_id": key[2],
                    "start": start,
                    "end": end,
                    "quote": work[start:end],
                    "memo": MEMOS[made % len(MEMOS)] if made % 3 else "",
                    "created_at": created,
                    "updated_at": edited,
                }
            )
            made += 1
            if len(batch) == 20_000 or made == rows:
                with store.transaction() as session:
                    session.execute(insert(Annotation), batch)
                batch = []
        print(f"   (setup: {rows:,} annotations in {time.perf_counter() - started:.0f} s)", flush=True)
    finally:
        store.close()


def annotation_count(target: str) -> int:
    try:
        store = open_project(target)
    except ProjectError:
        return -1
    try:
        with store.reading() as session:
            return int(session.scalar(select(func.count()).select_from(Annotation)) or 0)
    finally:
        store.close()


def sqlite_target(workdir: Path, rows: int) -> str:
    return str(workdir / f"export-{rows}.annotator")


def postgresql_target(server_url: str, rows: int) -> str:
    """The benchmark database on the server, made if missing (dropped and made again if not whole)."""
    server = make_url(server_url)
    name = f"{PG_DATABASE}_{rows}"
    target = server.set(database=name).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if exists and annotation_count(target) == rows:
                return target
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    build(target, rows)
    with create_engine(target, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    return target


def prepared(backend: str, workdir: Path, rows: int, pg_url: str) -> str:
    if backend == "postgresql":
        return postgresql_target(pg_url, rows)
    target = sqlite_target(workdir, rows)
    if annotation_count(target) != rows:
        for suffix in ("", "-wal", "-shm", "-lock"):
            Path(target + suffix).unlink(missing_ok=True)
        build(target, rows)
    return target


@dataclass
class Run:
    wall: float
    cpu_here: float  # this process (the service) or the command (whole process), user + system
    cpu_children: float  # the export's worker, user + system


def figures(label: str, rows: int, runs: list[Run]) -> None:
    walls = [run.wall for run in runs]
    slow = statistics.quantiles(walls, n=20, method="inclusive")[-1] if len(walls) > 1 else walls[0]
    here = statistics.median(run.cpu_here for run in runs)
    children = statistics.median(run.cpu_children for run in runs)
    print(
        f"   {label}: median {rows / statistics.median(walls):,.0f} rows/s "
        f"({statistics.median(walls):.2f} s), p95 {rows / slow:,.0f} rows/s ({slow:.2f} s), "
        f"max {rows / min(walls):,.0f} rows/s ({min(walls):.2f} s) over {len(walls)} runs; "
        f"median CPU {here:.2f} s + worker {children:.2f} s; "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def timed_runs(count: int, run: Callable[[], int], command: bool = False) -> tuple[int, list[Run]]:
    """``count`` runs of ``run``; ``command``: it runs a subprocess, whose CPU is all children's."""
    runs, rows = [], 0
    for _ in range(count):
        started, mine, theirs = time.perf_counter(), os.times(), resource.getrusage(resource.RUSAGE_CHILDREN)
        rows = run()
        wall, now, after = (
            time.perf_counter() - started,
            os.times(),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
        cpu_here = now.user - mine.user + now.system - mine.system
        cpu_children = after.ru_utime - theirs.ru_utime + after.ru_stime - theirs.ru_stime
        if command:
            # The command's own CPU, and its worker's (a grandchild, counted in once the command
            # has waited for it), are not told apart here.
            cpu_here, cpu_children = cpu_children, 0.0
        runs.append(Run(wall, cpu_here, cpu_children))
    return rows, runs


def service_export(store: ProjectStore, out_file: Path) -> int:
    return atomic_write_text(out_file, lambda out: export_segments(store, out))


def cli_export(target: str, out_file: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "export", target, "--segments", str(out_file)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])},
    )
    return int(done.stdout.split()[1].replace(",", ""))


def bench(backend: str, workdir: Path, rows: int, runs: int, pg_url: str) -> None:
    target = prepared(backend, workdir, rows, pg_url)
    out_file = workdir / f"segments-{backend}.csv"
    print(f"{backend}: {rows:,} annotations in {WORKS} works by {len(CODERS)} coders", flush=True)
    store = open_project(target)
    try:
        service_export(store, out_file)  # warm the page cache, as a project in use is
        exported, timings = timed_runs(runs, lambda: service_export(store, out_file))
    finally:
        store.close()
    size = out_file.stat().st_size / 1e6
    print(f"   {exported:,} rows, {size:.0f} MB", flush=True)
    figures("service (export_segments into atomic_write_text)", exported, timings)
    exported, timings = timed_runs(runs, lambda: cli_export(target, out_file), command=True)
    figures("whole process (annotator export --segments), CPU with its worker's", exported, timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path.home() / ".cache" / "annotator-bench-export",
        help="where the SQLite project and the exported files live (kept for later runs)",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "ANNOTATOR_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server; the benchmark makes (and keeps) a database of its own there",
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        bench(backend, args.workdir, args.rows, args.runs, args.pg_url)
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (2 cores; other work shares them)")


if __name__ == "__main__":
    main()
