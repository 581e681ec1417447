"""Benchmark: updating a ~5 MB work coded with 100k annotations (3 coders, 30 codes), end to end.

A multi-chapter AO3-style work built from the seed works' prose (tests/core/edits.py) is
imported from a text file and coded with 100k annotations (words, phrases, sentences,
paragraphs). Each new version is written to a text file and applied with
``work_updates.update_document`` — reading the file, matching, the alignment, re-anchoring every
annotation, the version row, the review rows, one transaction — and then taken back with
``undo_update`` so the next repeat starts from the same project. Versions: a chapter appended
(nothing moves), typos fixed all through (almost every annotation moves), and every edit kind
at once. Both backends: SQLite, and PostgreSQL when ``--pg-url`` or ANNOTATOR_TEST_PG_URL is set.
Target: the update ≤ 2 s. The machine may be shared: the CPU time this process spent (the
PostgreSQL server's not included) is printed beside the wall-clock times.

Run:  python benchmarks/bench_update.py [--annotations 100000] [--chapters 1300] [--repeats 5]
      [--backend both|sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, make_url, text

from annotator.services import documents
from annotator.services import work_updates as wu
from annotator.services.projects import create_project
from annotator.store.project import ProjectStore
from tests.core.edits import EDIT_KINDS, ao3_work, edit, make_anchors
from tests.services.work_update_support import code_spans, make_team, seed_texts

TARGET_SECONDS = 2.0
VERSIONS = {
    "chapter appended": ["append_chapters"],
    "typos fixed": ["fix_typos"],
    "every edit kind": list(EDIT_KINDS),
}


def spread(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):6.3f} s, p95 {p95:6.3f} s, max {ordered[-1]:6.3f} s"


def run(store: ProjectStore, folder: Path, args: argparse.Namespace) -> None:
    work = ao3_work(seed_texts(), args.chapters, seed=1)
    path = folder / "work.txt"
    path.write_text(work, encoding="utf-8")
    [summary] = documents.import_files(store, [path]).imported
    stored = documents.document_text(store, summary.id)
    coder_ids, code_ids = make_team(store, 3, 30)
    started = time.perf_counter()
    keys = code_spans(
        store, summary.id, stored, make_anchors(stored, args.annotations, seed=2), coder_ids, code_ids
    )
    print(
        f"  {len(stored) / 1e6:.1f} M characters, {len(keys):,} annotations stored "
        f"in {time.perf_counter() - started:.1f} s"
    )
    for name, kinds in VERSIONS.items():
        version = folder / f"work-{name.replace(' ', '-')}.txt"
        version.write_text(edit(stored, kinds, seed=3).text, encoding="utf-8")
        updates, undos, cpu = [], [], []
        for _ in range(args.repeats):
            started, cpu_started = time.perf_counter(), time.process_time()
            report = wu.update_document(store, version, document_id=summary.id)
            updates.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            started = time.perf_counter()
            wu.undo_update(store, report.record)
            undos.append(time.perf_counter() - started)
        counts = ", ".join(f"{kind} {n:,}" for kind, n in report.counts.items())
        verdict = "ok" if statistics.median(updates) <= TARGET_SECONDS else "OVER TARGET"
        print(
            f"  {name:<17} update {spread(updates)} [{verdict}], this process's CPU "
            f"{statistics.median(cpu):.3f} s median; undo {spread(undos)}; {counts}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--chapters", type=int, default=1300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pg-url", default=os.environ.get("ANNOTATOR_TEST_PG_URL", ""))
    parser.add_argument("--backend", choices=("both", "sqlite", "postgresql"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.backend != "postgresql":
            print("SQLite")
            store = create_project(str(Path(folder) / "bench.annotator"), codebook="empty")
            try:
                run(store, Path(folder), args)
            finally:
                store.close()
        if not args.pg_url or args.backend == "sqlite":
            return
        print("PostgreSQL")
        server = make_url(args.pg_url)
        name = f"annotator_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            store = create_project(
                server.set(database=name).render_as_string(hide_password=False), codebook="empty"
            )
            try:
                run(store, Path(folder), args)
            finally:
                store.close()
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
