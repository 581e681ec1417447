"""Benchmark: the agreement service end to end on an SQLite or PostgreSQL project, without and with
intervals.

The corpus is ``bench_agreement``'s synthetic one (50 documents × 100,000 characters = 5M, 3
coders, 30 codes, ~300k annotations), stored in a real project: documents of random words, the
codes under one group, annotations bulk-inserted. Then it times what ``annotator agreement``
does (resolve the selection, read the spans, compute every figure): without confidence
intervals, with 1,000 bootstrap resamples, and with coder assignments (the missing-coder path).
Each prints median, p95 and max. Run:

    python benchmarks/bench_agreement_store.py [--docs 50] [--length 100000] [--keep FILE]
    python benchmarks/bench_agreement_store.py \
        --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres [--pg-database NAME]

With ``--pg-url`` the project is built in a new database on that server, dropped afterwards; with
``--pg-database`` too, in that database, kept and reused when it exists.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agreement import CODERS, synthetic_spans

from annotator.core.text import text_hash
from annotator.services.agreement import BootstrapOptions, TeamFilter, measure_agreement
from annotator.services.assignments import assign_coder
from annotator.services.codebook import add_code
from annotator.services.coders import ensure_coder
from annotator.services.projects import create_project
from annotator.services.team_scope import load_span_columns, resolve_scope
from annotator.store.models import Annotation, Assignment, Document
from annotator.store.project import ProjectStore, open_project

N_CODES = 30
WORDS = ("the", "a", "of", "and", "he", "she", "said", "turned", "hand", "away", "dark", "rey")


def _text(length: int, rng: random.Random) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length]


def build_project(target: str | Path, n_docs: int, length: int) -> tuple[ProjectStore, int]:
    store = create_project(target, codebook="empty")
    rng = random.Random(7)
    group = add_code(store, "theme")
    code_ids = {f"theme/{k:02d}": add_code(store, f"{k:02d}", group.id).id for k in range(N_CODES)}
    coder_ids = {name: ensure_coder(store, name).id for name in CODERS}
    texts = [_text(length, rng) for _ in range(n_docs)]
    with store.transaction() as session:
        doc_ids = []
        for i, text in enumerate(texts):
            doc = Document(
                title=f"Work {i}", source_format="text", text=text, text_hash=text_hash(text), length=length
            )
            session.add(doc)
            session.flush()
            doc_ids.append(doc.id)
    spans = synthetic_spans(n_docs, length, N_CODES, true_per_code=65)
    rows: dict[tuple[int, int, int, int, int], dict[str, Any]] = {}
    for s in spans:
        key = (doc_ids[s.document_id], code_ids[s.code], coder_ids[s.coder], s.start, s.end)
        rows[key] = {
            "document_id": key[0],
            "code_id": key[1],
            "coder_id": key[2],
            "start": s.start,
            "end": s.end,
            "quote": texts[s.document_id][s.start : s.end],
            "memo": "",
        }
    with store.transaction() as session:
        batch = list(rows.values())
        for begin in range(0, len(batch), 20_000):
            session.execute(insert(Annotation), batch[begin : begin + 20_000])
    return store, len(rows)


def _summary(name: str, runs: list[tuple[float, float]], target: str = "") -> str:
    """Wall-clock median/p95/max, and the median CPU time of this process (the machines are shared:
    under load the wall clock includes waiting for a core)."""
    seconds = sorted(wall for wall, _ in runs)
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    line = (
        f"{name}: {len(runs)} runs, median {statistics.median(seconds):.3f} s, p95 {p95:.3f} s, "
        f"max {seconds[-1]:.3f} s (CPU median {statistics.median(cpu for _, cpu in runs):.3f} s)"
    )
    return f"{line}   <- target {target}" if target else line


def _timed(repeat: int, run: Callable[[], object]) -> list[tuple[float, float]]:
    runs = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return runs


def _assign_all_but_a_fifth(store: ProjectStore) -> None:
    """Every coder is assigned every work, except that the last coder was not given every fifth."""
    with store.reading() as session:
        doc_ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    for k, name in enumerate(CODERS):
        given = [d for i, d in enumerate(doc_ids) if k < len(CODERS) - 1 or i % 5]
        assign_coder(store, name, given)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--length", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10, help="timed runs without intervals")
    parser.add_argument("--boot-repeat", type=int, default=3, help="timed runs with intervals")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument(
        "--keep", type=Path, help="build the project at this path and keep it (reused when it exists)"
    )
    parser.add_argument("--pg-url", help="PostgreSQL server URL: build the project in a database there")
    parser.add_argument("--pg-database", help="with --pg-url: this database, kept and reused")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    target: str | Path = args.keep or Path(folder.name) / "bench.annotator"
    reuse = bool(args.keep and args.keep.exists())
    drop_database = None
    if args.pg_url:
        target, reuse, drop_database = _pg_database(args.pg_url, args.pg_database)
    started = time.perf_counter()
    if reuse:
        store = open_project(target)  # built before: reuse it (its assignments are set again below)
        print(f"reusing {store.display_name}")
    else:
        store, n_annotations = build_project(target, args.docs, args.length)
        print(
            f"built {store.display_name}: {args.docs} documents x {args.length:,} characters, "
            f"{len(CODERS)} coders, {N_CODES} codes, {n_annotations:,} annotations in "
            f"{time.perf_counter() - started:.1f} s"
        )
    with store.transaction() as session:
        session.execute(delete(Assignment))
    with store.reading() as session:
        scope = resolve_scope(session, TeamFilter())
        spans = load_span_columns(session, scope)
    print(f"{len(spans):,} spans in scope, {scope.characters_in_scope:,} characters")
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average (1, 5, 15 min) on {os.cpu_count()} cores: {load}")

    result = measure_agreement(store)
    print(
        f"pooled αU {result.alpha_u().alpha:.4f}; κ for {len(result.pairs)} pairs x {len(result.codes)} "
        "codes incl. '*', pairwise αU, per-document αU, Fleiss' κ, nominal α"
    )
    print(
        _summary(
            "measure_agreement, no intervals (load + everything)",
            _timed(args.repeat, lambda: measure_agreement(store)),
            "≤ 1 s",
        )
    )
    options = BootstrapOptions(resamples=args.resamples)
    boot = _timed(
        args.boot_repeat, lambda: measure_agreement(store, bootstrap=options, progress=lambda d, t: None)
    )
    print(_summary(f"measure_agreement with {args.resamples:,} bootstrap resamples", boot, "≤ 10 s"))
    with_ci = measure_agreement(store, bootstrap=options)
    ci = with_ci.alpha_u_interval()
    assert ci is not None and ci.low is not None and ci.high is not None
    print(f"αU 95% CI {ci.low:.4f}–{ci.high:.4f}, P(αU < {options.min_alpha}) = {ci.below}")

    _assign_all_but_a_fifth(store)
    assigned = measure_agreement(store)
    print(
        _summary(
            "measure_agreement with assignments (last coder missing on 1 work in 5)",
            _timed(args.repeat, lambda: measure_agreement(store)),
            "≤ 1 s",
        )
        + f"; pooled αU {assigned.alpha_u().alpha:.4f}"
    )
    store.close()
    folder.cleanup()
    if drop_database is not None:
        drop_database()


def _pg_database(server_url: str, name: str | None) -> tuple[str, bool, Callable[[], None] | None]:
    """(project URL, whether it holds a built project, how to drop it or None to keep it)."""
    server = make_url(server_url)
    database = name or f"annotator_bench_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": database})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    url = server.set(database=database).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()

    return url, bool(exists), None if name else drop


if __name__ == "__main__":
    main()
