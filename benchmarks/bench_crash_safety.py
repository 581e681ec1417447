"""Benchmark: the kill campaigns of tests/store/test_crash_safety.py, with their figures per kind.

Every kind of writer (or those named) is SIGKILLed ``--kills`` times at random moments on its own
project, all kinds at once as in the test (``--one-at-a-time`` runs them one after another, for
cycle times without contention), on SQLite or PostgreSQL (``ANNOTATOR_TEST_PG_URL``; each kind
gets a fresh database). Printed per kind: kills; kills that landed mid-action (an action begun
and not yet acknowledged) and inside a write transaction; acknowledged actions checked; checks
survived (integrity, foreign keys, quotes, every acknowledged action there, nothing half done);
whether the app opened the project afterwards; cycle time (fork → ready → kill → check) median,
p95 and max; then the wall-clock and CPU time of the whole run (this process, the writer host
and its writers; not the PostgreSQL server's). The machine's load average is printed too: kill
delays stretch with it (``tests/store/crash/campaign.py``), and so do the cycles. Run:

    python benchmarks/bench_crash_safety.py [--backend sqlite|postgresql] [--kills 30] [KIND ...]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.store.crash import KINDS
from tests.store.crash.campaign import Campaign, KindReport
from tests.store.crash.host import WriterHost


def spread(samples: list[float]) -> str:
    if not samples:
        return "-"
    ms = [s * 1000 for s in samples]
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[18] if len(ms) >= 2 else ms[0]
    return f"{statistics.median(ms):6.0f} {p95:6.0f} {max(ms):6.0f}"


def run_campaign(
    host: WriterHost, backend: str, kind: str, root: Path, kills: int, command_runs: int
) -> KindReport:
    folder = root / f"{backend}-{kind}"
    folder.mkdir()
    runs = command_runs if kind == "cli" else 0
    if backend == "sqlite":
        return Campaign(host, backend, kind, str(folder / "project.annotator"), folder, root, kills).run(runs)
    from tests.conftest import fresh_pg_database

    with fresh_pg_database() as url:
        return Campaign(host, backend, kind, url, folder, root, kills).run(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kinds", nargs="*", metavar="KIND", help=f"default: all ({', '.join(KINDS)})")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--command-runs", type=int, default=3, help="real `annotator code` runs (cli)")
    parser.add_argument("--one-at-a-time", action="store_true")
    args = parser.parse_args()
    if args.backend == "postgresql" and not os.environ.get("ANNOTATOR_TEST_PG_URL"):
        parser.error(
            "set ANNOTATOR_TEST_PG_URL to a PostgreSQL server (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"
        )
    kinds = args.kinds or list(KINDS)
    reports: dict[str, KindReport] = {}
    errors: dict[str, BaseException] = {}

    def run(kind: str) -> None:
        try:
            reports[kind] = run_campaign(host, args.backend, kind, root, args.kills, args.command_runs)
        except BaseException as exc:  # reported below with the others
            errors[kind] = exc

    began, cpu = time.perf_counter(), time.process_time()
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        warm = []
        if args.backend == "postgresql":  # as the test does: the host warms up on the server too
            from tests.conftest import fresh_pg_database

            warm.append(stack.enter_context(fresh_pg_database()))
        host = stack.enter_context(WriterHost(warm))
        threads = [threading.Thread(target=run, args=(kind,)) for kind in kinds]
        for thread in threads:
            thread.start()
            if args.one_at_a_time:
                thread.join()
        for thread in threads:
            thread.join()
    wall = time.perf_counter() - began
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"{args.backend}: {args.kills} kills per kind{', one kind at a time' if args.one_at_a_time else ''}"
    )
    print(
        f"{'kind':<11}{'kills':>6}{'mid-act':>8}{'mid-tx':>7}{'acked':>7}{'survived':>10}{'opens':>6}"
        f"   cycle ms: median    p95    max"
    )
    for kind in kinds:
        if kind in errors:
            print(f"{kind:<11} broke: {errors[kind]!r}")
            continue
        r = reports[kind]
        extra = (
            f"  (+{r.finished} ran to the end; real command: {r.command_runs} runs, {r.command_kills} killed)"
        )
        print(
            f"{kind:<11}{r.kills:>6}{r.mid_action:>8}{r.mid_transaction:>7}{r.acknowledged:>7}"
            f"{f'{r.survived}/{r.checks}':>10}{'yes' if r.opened_after else 'NO':>6}"
            f"             {spread(r.cycle_seconds)}{extra if kind == 'cli' else ''}"
        )
        for failure in r.failures[:5]:
            print(f"    FAILED {failure[:300]}")
    total_kills = sum(r.kills for r in reports.values())
    own = time.process_time() - cpu
    print(
        f"{total_kills} kills in {wall:.1f} s wall; CPU {own:.1f} s here + "
        f"{children.ru_utime + children.ru_stime:.1f} s in the writers (load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
