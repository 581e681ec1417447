"""Benchmark: one kill cycle of the crash-safety test, the timing tests/store/test_crash_safety.py asserted.

Each cycle starts ``tests/store/crash_writer.py`` on an SQLite project (a fresh Python process
that imports the app and opens the project), waits for its "ready", lets it code for a random
5–200 ms, SIGKILLs it, and opens the file to run ``integrity_check`` and ``foreign_key_check``.
Printed: median, p95 and max of the start-up (spawn → ready), of the check after the kill, and of
the whole cycle, plus acknowledged actions per cycle; the test runs 25 cycles and used to allow
60 s for them. Run:

    python benchmarks/bench_crash_safety.py [--cycles 25]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.types import ImportedDocument
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.services.projects import create_project

REPO = Path(__file__).resolve().parents[1]
WRITER = REPO / "tests" / "store" / "crash_writer.py"
ACTIONS = ("apply", "memo", "delete", "segments", "document")
TEXT = "".join(f"Paragraph {n}: she looked at him 👀 and said “later”.\n" for n in range(40))


def make_project(path: Path) -> None:
    """The test's project: one work, one annotation (the memo writer's target)."""
    store = create_project(path, codebook="fandom")
    doc = documents.add_document(store, ImportedDocument(title="Target", source_format="text", text=TEXT))
    coder = coders.ensure_coder(store, "crash")
    ann.apply_code(store, doc.id, 0, 9, cb.list_codes(store)[0].id, coder.id)
    store.close()


def cycle(project: Path, action: str, seed: int, delay: float) -> tuple[float, float, int]:
    """(seconds to ready, seconds to check the file after the kill, acknowledged actions)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(WRITER), str(project), action, str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    if process.stdout.readline() != "ready\n":
        process.kill()
        raise SystemExit(f"the {action} writer never got ready")
    ready = time.perf_counter() - began
    time.sleep(delay)  # the random moment of the kill, as in the test
    process.send_signal(signal.SIGKILL)
    acknowledged = sum(1 for line in process.stdout if line.endswith("\n"))
    process.wait()
    process.stdout.close()
    began = time.perf_counter()
    connection = sqlite3.connect(project)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()
    return ready, time.perf_counter() - began, acknowledged


def spread(samples: list[float], unit: float = 1000, name: str = "ms") -> str:
    scaled = [s * unit for s in samples]
    p95 = statistics.quantiles(scaled, n=20, method="inclusive")[18] if len(scaled) >= 2 else scaled[0]
    return (
        f"median {statistics.median(scaled):7.1f} {name}, p95 {p95:7.1f} {name}, "
        f"max {max(scaled):7.1f} {name}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=25)
    args = parser.parse_args()
    rng = random.Random(20240501)
    readies: list[float] = []
    checks: list[float] = []
    cycles: list[float] = []
    acks: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "crash.annotator"
        make_project(project)
        started = time.perf_counter()
        for kill in range(args.cycles):
            began = time.perf_counter()
            ready, check, acknowledged = cycle(
                project, ACTIONS[kill % len(ACTIONS)], kill + 1, rng.uniform(0.005, 0.200)
            )
            cycles.append(time.perf_counter() - began)
            readies.append(ready)
            checks.append(check)
            acks.append(acknowledged)
        total = time.perf_counter() - started
    print(f"{args.cycles} kill cycles in {total:.1f} s  [the test allowed 60 s for 25]")
    print(f"spawn -> ready:      {spread(readies)}")
    print(f"check after a kill:  {spread(checks)}")
    print(f"whole cycle:         {spread(cycles)}")
    print(f"acknowledged/cycle:  {spread(acks, 1, 'acts')}")


if __name__ == "__main__":
    main()
