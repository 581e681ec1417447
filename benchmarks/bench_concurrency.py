"""Benchmark: several processes on one project, on SQLite and PostgreSQL (the figures of issue 8).

Three parts, each printing median, p95, max and count (times in ms):

* ``latency``: one code action in process A (``commands.ApplyCode`` pushed on the core
  ``UndoStack``, as the GUI's apply-code action does: one transaction) every ``--gap-ms``, for
  ``--seconds``, while process B writes without pause (apply_code, document memo edits, a 50,000-row
  import-segments, a merge of a coder's copy), and the baseline with B open but idle. On SQLite A
  and B are two CLI-style processes holding the shared ``PROJECT-lock`` (the app would hold it
  alone). Lock waits: SQLite, the time A's ``BEGIN IMMEDIATE`` took (> 1 ms = it waited, as the
  busy handler's first sleep is 1 ms); PostgreSQL, A's backend seen in ``pg_stat_activity`` with
  ``wait_event_type = 'Lock'`` by a sampler polling every ~2 ms. Refusals are counted by kind.
  A's actions during B's import or merge are shown apart (an import's span includes its read-only
  check of the file), with how long each of B's write transactions lasted.
* ``refresh`` (PostgreSQL): process A is the app (``MainWindow`` offscreen, the project opened
  with ``open_location`` as the app does, a work open, other coders shown); process B codes that
  work as bob, alternately with ``annotator code`` (a new process each time) and through the
  services in a process that stays open (``apply_code`` then ``announce``, as another app's
  session does). From B's commit (SQLAlchemy ``after_commit``, CLOCK_MONOTONIC is one clock for
  all processes) to: A's ``ProjectSession.publish`` receiving the change (the ``changed`` signal),
  the viewer holding the highlight (when ``publish`` returned: every panel has handled it), and the
  Documents panel showing the new count (its refresh is debounced by ``COUNT_REFRESH_MS``).
* ``suite``: the concurrency tests run with pytest on both backends; passed/failed per backend.

The processes A and B are the roles in ``bench_concurrency_roles.py``.

Run (a PostgreSQL server is needed for all but the SQLite half of ``latency``):

    python benchmarks/bench_concurrency.py [--parts latency,refresh,suite] [--seconds 15]
        [--gap-ms 20] [--changes 40] [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_concurrency_roles import IMPORT_ROWS, MERGE_SOURCES, TEXT, write_segments
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from annotator.core.types import ImportedDocument
from annotator.store.project import BUSY_TIMEOUT_MS, open_project

REPO = Path(__file__).resolve().parents[1]
ROLES = Path(__file__).with_name("bench_concurrency_roles.py")
MERGE_ROWS = 2_000
SUITE = (
    "tests/services/test_concurrency.py",
    "tests/cli/test_concurrency.py",
    "tests/store/test_lock.py",
    "tests/ui/test_change_watcher.py",
    "tests/ui/test_live_refresh.py",
)
# Tests without a backend parameter exercise one backend, the one their module is about.
UNPARAMETRISED = {
    "tests/cli/test_concurrency.py": "sqlite",
    "tests/store/test_lock.py": "sqlite",
    "tests/ui/test_change_watcher.py": "postgresql",
    "tests/ui/test_live_refresh.py": "postgresql",
}


# --- helpers ------------------------------------------------------------------------------------


def figures(values_ms: Sequence[float]) -> str:
    if not values_ms:
        return "count 0"
    ordered = sorted(values_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):7.1f}  p95 {p95:7.1f}  max {ordered[-1]:7.1f}  "
        f"count {len(ordered)}"
    )


class Child:
    """A role (``bench_concurrency_roles.py``) in another process: JSON lines out, orders in."""

    def __init__(self, role: str, *args: str, app_name: str = "") -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)} | ({"PGAPPNAME": app_name} if app_name else {})
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in close)
        self.process = subprocess.Popen(
            [sys.executable, str(ROLES), role, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def receive(self, timeout: float = 60) -> dict[str, Any]:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            self._stderr.seek(0)
            raise SystemExit(f"a child process did not answer: {self._stderr.read()[-3000:]}") from None

    def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        self.process.wait(60)
        self._stderr.close()


@contextmanager
def pg_database(server_url: str) -> Iterator[str]:
    server = make_url(server_url)
    name = f"annotator_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def new_project(target: str, codes: Sequence[str]) -> None:
    from annotator.services import codebook, documents
    from annotator.services.projects import create_project

    store = create_project(target, codebook="empty")
    documents.add_document(store, ImportedDocument(title="Harbour", source_format="text", text=TEXT))
    for name in codes:
        codebook.add_code(store, name)
    store.close()


# --- part 1: a code action while another process writes ---------------------------------------


class LockSampler(threading.Thread):
    """Polls pg_stat_activity: is the backend named ``app_name`` waiting for a lock right now?"""

    def __init__(self, url: str, app_name: str) -> None:
        import psycopg

        super().__init__(daemon=True)
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._connection = psycopg.connect(conninfo, autocommit=True)
        self._app_name = app_name
        self._done = threading.Event()
        self.samples: list[tuple[float, bool]] = []

    def run(self) -> None:
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'"
        )
        while not self._done.is_set():
            at = time.monotonic()
            row = self._connection.execute(query, (self._app_name,)).fetchone()
            self.samples.append((at, bool(row and row[0])))
            time.sleep(0.002)

    def finish(self) -> None:
        self._done.set()
        self.join()
        self._connection.close()

    def interval(self) -> float:
        times = [t for t, _ in self.samples]
        return (times[-1] - times[0]) / max(1, len(times) - 1)

    def waited(self, began: float, ended: float) -> float:
        """Seconds seen waiting within [began, ended] (first to last waiting sample, plus one step)."""
        seen = [t for t, waiting in self.samples if waiting and began <= t <= ended]
        return seen[-1] - seen[0] + self.interval() if seen else 0.0


def make_merge_sources(workdir: Path) -> None:
    """Coders' copies of the project (SQLite files) for B to merge, each with its own annotations."""
    from annotator.services.segment_import import import_segments

    for k in range(MERGE_SOURCES):
        path = workdir / f"copy-{k}.annotator"
        new_project(str(path), [])
        segments = workdir / f"copy-{k}.csv"
        write_segments(segments, MERGE_ROWS, f"copy {k}", f"Merged {k}/Theme")
        store = open_project(str(path))
        with segments.open(encoding="utf-8", newline="") as handle:
            import_segments(store, handle, segments.name)
        store.close()


@contextmanager
def project_location(backend: str, pg_url: str, workdir: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(workdir / "shared.annotator")
    else:
        with pg_database(pg_url) as url:
            yield url


def run_pair(target: str, workdir: Path, mode: str, args: argparse.Namespace) -> dict[str, Any]:
    """A coding for ``args.seconds`` while B is ``mode`` (idle or writing); both reports."""
    tag = uuid.uuid4().hex[:8]
    writer = Child("writer", target, str(workdir), mode)
    writer.receive()
    writer.send("go")
    if mode == "writing":
        time.sleep(1.0)  # B into its stride before A starts
    app_name = f"bench-coder-{tag}"
    coder = Child(
        "coder", target, str(args.seconds), str(args.gap_ms), f"ana {mode} {tag}", app_name=app_name
    )
    coder.receive(timeout=120)
    sampler = None if "://" not in target else LockSampler(target, app_name)
    if sampler is not None:
        sampler.start()
    coder.send("go")
    actions = coder.receive(timeout=args.seconds + 300)["actions"]
    if sampler is not None:
        sampler.finish()
    coder.close()
    writer.close()
    ops = writer.receive()["ops"]
    if sampler is not None:
        for action in actions:
            action[2] = sampler.waited(action[0], action[1])
    return {"actions": actions, "ops": ops}


def report_pair(backend: str, mode: str, result: dict[str, Any], timeout: str) -> None:
    actions, ops = result["actions"], result["ops"]
    done = [a for a in actions if not a[3]]
    print(f"{backend:10s} B {mode:7s}  A's code action ms   {figures([(a[1] - a[0]) * 1000 for a in done])}")
    waited = [a[2] * 1000 for a in actions if a[2] > 0.001]
    print(f"{'':21s}A waited for a lock  {len(waited)} of {len(actions)} actions; wait ms {figures(waited)}")
    refusals = Counter(a[3] for a in actions if a[3])
    print(f"{'':21s}A refused            {dict(refusals) or 'none'} ({timeout})")
    if not ops:
        return
    window = (actions[0][0], actions[-1][1])
    during = [o for o in ops if o[1] < window[1] and o[2] > window[0]]
    for kind in ("import-segments", "merge"):
        spans = [(o[1], o[2]) for o in during if o[0] == kind]
        near = [(a[1] - a[0]) * 1000 for a in done if any(a[0] < e and a[1] > b for b, e in spans)]
        print(f"{'':21s}A during B's {kind:15s} {figures(near)}")
    kinds = Counter(o[0] for o in during)
    took = {k: figures([(o[2] - o[1]) * 1000 for o in during if o[0] == k]) for k in kinds}
    held = {k: figures([o[4] * 1000 for o in during if o[0] == k]) for k in kinds}
    for kind, count in sorted(kinds.items()):
        print(f"{'':21s}B {kind:18s} x{count:<4d} ms {took[kind]}")
        print(f"{'':21s}  its write transaction ms {held[kind]}")
    b_refused = Counter(o[3].split(":")[0] for o in ops if o[3])
    print(f"{'':21s}B refused            {dict(b_refused) or 'none'}")


def part_latency(backends: Sequence[str], args: argparse.Namespace) -> None:
    print(
        f"\n1. A code action (ApplyCode, one transaction) every {args.gap_ms} ms for {args.seconds} s "
        f"in A; B idle or writing (apply_code, memo edits, {IMPORT_ROWS:,}-row import-segments, merge)"
    )
    for backend in backends:
        with (
            tempfile.TemporaryDirectory() as tmp,
            project_location(backend, args.pg_url, Path(tmp)) as target,
        ):
            workdir = Path(tmp)
            new_project(target, ["Longing", "Quarrel"])
            make_merge_sources(workdir)
            if backend == "sqlite":
                timeout = f"SQLite busy_timeout {BUSY_TIMEOUT_MS / 1000:g} s"
            else:
                server = create_engine(target)
                with server.connect() as connection:
                    timeout = f"server lock_timeout {connection.scalar(text('SHOW lock_timeout'))} (0: none)"
                server.dispose()
            for mode in ("idle", "writing"):
                report_pair(backend, mode, run_pair(target, workdir, mode, args), timeout)


# --- part 2: how soon another user's change appears (PostgreSQL) -------------------------------


def code_with_cli(url: str, document: int, start: int) -> tuple[int, float]:
    argv = ["code", url, "--document", str(document), "--start", str(start), "--end", str(start + 9)]
    done = subprocess.run(
        [sys.executable, str(ROLES), "cli", *argv, "--code", "Longing", "--coder", "bob"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"annotator code failed: {done.stderr}")
    committed = json.loads(done.stderr.strip().splitlines()[-1])["committed"]
    return int(done.stdout.split()[1].rstrip(":")), float(committed)


def part_refresh(args: argparse.Namespace) -> None:
    print(f"\n2. Another user's coding appearing in the open app (PostgreSQL, {args.changes} changes)")
    delays: dict[str, list[tuple[float, float, float]]] = {"annotator code": [], "services": []}
    with tempfile.TemporaryDirectory() as workdir, pg_database(args.pg_url) as url:
        new_project(url, ["Longing"])
        app = Child("app", url, workdir)
        document = app.receive(timeout=120)["document"]
        remote = Child("remote", url)
        remote.receive()
        for n in range(args.changes):
            start = 40 + 23 * n
            if n % 2 == 0:
                via, (annotation_id, committed) = "annotator code", code_with_cli(url, document, start)
            else:
                remote.send(f"{document} {start}")
                answer = remote.receive()
                via, annotation_id, committed = "services", answer["id"], answer["committed"]
            app.send(f"{annotation_id} {n + 1}")
            seen = app.receive(timeout=30)
            delays[via].append(
                (seen["heard"] - committed, seen["shown"] - committed, seen["counted"] - committed)
            )
        app.close()
        remote.close()
    everything = [row for rows in delays.values() for row in rows]
    for label, rows in (*delays.items(), ("all", everything)):
        print(f"  via {label}:")
        for index, stage in enumerate(
            (
                "commit -> A's changed signal",
                "commit -> viewer has the highlight",
                "commit -> Documents count",
            )
        ):
            print(f"    {stage:36s} ms {figures([row[index] * 1000 for row in rows])}")


# --- part 3: the concurrency suite per backend ------------------------------------------------


def backend_of(module: str, name: str) -> str:
    params = name[name.index("[") + 1 : -1].split("-") if "[" in name else []
    for backend in ("sqlite", "postgresql"):
        if backend in params:
            return backend
    return UNPARAMETRISED.get(module, "none")


def part_suite(args: argparse.Namespace) -> None:
    paths = [path for path in SUITE if (REPO / path).exists()]
    env = {**os.environ, "ANNOTATOR_TEST_PG_URL": os.environ.get("ANNOTATOR_TEST_PG_URL", args.pg_url)}
    print(f"\n3. The concurrency suite on both backends ({', '.join(paths)})")
    listing = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *paths],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    collected = Counter(
        backend_of(*line.split("::", 1)) for line in listing.stdout.splitlines() if "::" in line
    )
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "suite.xml"
        began = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", f"--junitxml={junit}", *paths],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        took = time.monotonic() - began
        outcomes: dict[tuple[str, str], str] = {}
        for case in ElementTree.parse(junit).iter("testcase"):
            module = case.get("classname", "").replace(".", "/") + ".py"
            kinds = {child.tag for child in case}
            outcome = (
                "failed" if kinds & {"failure", "error"} else "skipped" if "skipped" in kinds else "passed"
            )
            key = (module, case.get("name", ""))
            if outcomes.get(key) != "failed":
                outcomes[key] = outcome
    results = Counter((backend_of(*key), outcome) for key, outcome in outcomes.items())
    for backend in sorted(collected, key=["sqlite", "postgresql", "none"].index):
        counts = "  ".join(f"{o} {results[(backend, o)]}" for o in ("passed", "failed", "skipped"))
        print(f"  {backend:10s} collected {collected[backend]:3d}  {counts}")
    print(f"  pytest exit {run.returncode} in {took:.0f} s: {run.stdout.strip().splitlines()[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--parts", default="latency,refresh,suite")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=15.0, help="how long A codes in each run")
    parser.add_argument("--gap-ms", type=float, default=20.0, help="A's pause between two actions")
    parser.add_argument("--changes", type=int, default=40, help="other users' codings to time (part 2)")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "ANNOTATOR_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server; each part makes (and drops) a database of its own there",
    )
    args = parser.parse_args()
    parts = args.parts.split(",")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    if "latency" in parts:
        part_latency(backends, args)
    if "refresh" in parts:
        part_refresh(args)
    if "suite" in parts:
        part_suite(args)


if __name__ == "__main__":
    main()
