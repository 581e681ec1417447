"""``annotator code PROJECT --from-csv FILE`` on SQLite and PostgreSQL: codings applied per second.

Not a unit test:

    python benchmarks/bench_code_from_csv.py [--rows N] [--runs N] [--pg]

The demo project (``annotator demo``: the five seed works, the fandom codebook) is made once per
backend (PostgreSQL with ``--pg`` and ``ANNOTATOR_TEST_PG_URL``); each run codes a fresh copy of
it (a copied file; a database made from a template) with the same CSV of ``--rows`` codings
(``bench_startup.codings_csv``), as a whole process, timed from spawn to exit. Rates are reported
as median, p95 and max (rows/s; the machine is shared: look at the median). Target: ≥ 10,000
rows/s (issue 15).

After each SQLite run, the first text filter on the coded copy is timed too: the rows the command
wrote reach the search index then (migration 0007 folds the change log before a text filter),
so that is where the indexing cost the command no longer pays shows up.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import codings_csv, make_demo
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from annotator.services.segments import SegmentFilter, count_segments
from annotator.store.migrations_runner import MIGRATIONS_DIR, SEARCH_INDEX_NAMES
from annotator.store.project import open_project
from tests.conftest import PG_URL

MIGRATIONS = MIGRATIONS_DIR / "versions"


def whole_process(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one process, spawn to exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, timeout=900)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def summary(rates: list[float]) -> str:
    ordered = sorted(rates)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):8,.0f}  p95 {p95:8,.0f}  max {ordered[-1]:8,.0f} rows/s"
        f"  (min {ordered[0]:,.0f}, n={len(ordered)})"
    )


def first_text_filter(location: str) -> float:
    store = open_project(location)
    try:
        started = time.perf_counter()
        count_segments(store, SegmentFilter(text="the"))
        return time.perf_counter() - started
    finally:
        store.close()


def _migration_0007() -> Any:
    path = MIGRATIONS / "0007_search_change_log.py"
    spec = importlib.util.spec_from_file_location("migration_0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def with_0006_triggers(project: Path) -> None:
    """For comparison only: 0006's indexing triggers back on a copy (the log folded, kept empty)."""
    statements = [s for s in _migration_0007().SQLITE_DOWN if not s.startswith("DROP TABLE")]
    with sqlite3.connect(project, isolation_level=None) as connection:
        connection.execute("BEGIN IMMEDIATE")
        for statement in statements:
            connection.execute(statement)
        connection.execute("DELETE FROM annotation_search_pending")
        connection.execute("COMMIT")
    connection.close()


class Rates:
    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def add(self, rows: int, seconds: tuple[float, float]) -> None:
        self.wall.append(rows / seconds[0])
        self.cpu.append(rows / seconds[1])

    def report(self, label: str, rows: int) -> None:
        print(f"{label:<42} {rows:,} rows, wall: {summary(self.wall)}", flush=True)
        print(f"{'':<42} {'':>{len(f'{rows:,}')}}       per CPU second (client): {summary(self.cpu)}")


def run_sqlite(folder: Path, env: dict[str, str], rows: int, runs: int, compare: bool) -> Path:
    annotator = [sys.executable, "-m", "annotator"]
    project = make_demo(folder, env)
    csv_path = codings_csv(project, folder, rows)
    variants = {"SQLite (0007: change log)": False}
    if compare:
        variants["SQLite, 0006's indexing triggers"] = True
    rates = {name: Rates() for name in variants}
    folds: list[float] = []
    for run in range(runs):  # interleaved, so a burst of load hits every variant alike
        for name, old_triggers in variants.items():
            copy = folder / f"coded{run}.annotator"
            shutil.copyfile(project, copy)
            if old_triggers:
                with_0006_triggers(copy)
            rates[name].add(
                rows, whole_process([*annotator, "code", str(copy), "--from-csv", str(csv_path)], env)
            )
            if not old_triggers:
                folds.append(first_text_filter(str(copy)))
            copy.unlink()
    for name, rate in rates.items():
        rate.report(name, rows)
    print(
        f"SQLite: next text filter (folds the log): median {statistics.median(folds) * 1000:,.0f} ms"
        f"  max {max(folds) * 1000:,.0f} ms",
        flush=True,
    )
    return csv_path


def run_postgresql(env: dict[str, str], csv_path: Path, rows: int, runs: int, compare: bool) -> None:
    server = make_url(PG_URL)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    template = f"annotator_bench_{uuid.uuid4().hex[:10]}"
    made = [template]
    annotator = [sys.executable, "-m", "annotator"]
    variants = {"PostgreSQL (0008: side table, COPY)": False}
    if compare:
        variants["PostgreSQL without the trigram indexes"] = True
    rates = {name: Rates() for name in variants}
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{template}"'))
        base = server.set(database=template).render_as_string(hide_password=False)
        # The same demo as on SQLite (same ids, codes and coders), so the same CSV applies.
        whole_process([*annotator, "demo", base, "--no-gui"], env)
        for _ in range(runs):
            for name, drop_indexes in variants.items():
                copy = f"{template}_{len(made)}"
                with admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"'))
                made.append(copy)
                url = server.set(database=copy).render_as_string(hide_password=False)
                if drop_indexes:
                    engine = create_engine(url)
                    with engine.begin() as connection:
                        for index in SEARCH_INDEX_NAMES:
                            connection.execute(text(f"DROP INDEX IF EXISTS {index}"))
                    engine.dispose()
                rates[name].add(
                    rows, whole_process([*annotator, "code", url, "--from-csv", str(csv_path)], env)
                )
        for name, rate in rates.items():
            rate.report(name, rows)
    finally:
        with admin.connect() as connection:
            for name in reversed(made):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rows", type=int, default=50_000)
    options.add_argument("--runs", type=int, default=7)
    options.add_argument("--pg", action="store_true", help="also on PostgreSQL (ANNOTATOR_TEST_PG_URL)")
    options.add_argument(
        "--compare",
        action="store_true",
        help="also time SQLite with 0006's indexing triggers and PostgreSQL without its trigram indexes",
    )
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        config = folder / "config"
        (config / "annotator").mkdir(parents=True)
        settings = config / "annotator" / "Annotator.conf"
        settings.write_text("[General]\ncoder_name=bench\n", encoding="utf-8")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config)}
        csv_path = run_sqlite(folder, env, args.rows, args.runs, args.compare)
        if args.pg and PG_URL:
            run_postgresql(env, csv_path, args.rows, args.runs, args.compare)


if __name__ == "__main__":
    main()
