"""The parent's handle on the warm writer host (``tests/store/crash_writer.py``).

One host serves every campaign: threads ask it to start a writer (:meth:`WriterHost.start`),
wait until the writer says it is ready, SIGKILL it by its process id, and wait for the host to
report how it ended.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parents[3]
HOST = REPO / "tests" / "store" / "crash_writer.py"
# Only bounds for a broken run: a writer is ready in tens of milliseconds.
READY_TIMEOUT = 60.0
# Kill delays stretch by the load at most this much (1 / MIN_SHARE): mostly the test's own
# writers, which a tighter bound would let reach deeper at the cost of CPU time per kill.
MIN_SHARE = 0.35


@dataclass
class Run:
    """One forked writer, as the host reports it."""

    journal: Path
    pid: int = 0
    asked_at: float = 0.0
    ready_at: float = 0.0
    ready_cpu: float = 0.0  # CPU seconds the writer used from its fork to ready
    exited_at: float = 0.0
    started: threading.Event = field(default_factory=threading.Event)
    ready: threading.Event = field(default_factory=threading.Event)
    exited: threading.Event = field(default_factory=threading.Event)
    signal: int | None = None
    exit_status: int | None = None

    def kill(self) -> bool:
        """SIGKILL the writer unless it already ended; whether it was still running."""
        self.started.wait(READY_TIMEOUT)
        if self.exited.is_set():
            return False
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def wait(self) -> None:
        if not self.exited.wait(READY_TIMEOUT):
            raise AssertionError(f"writer {self.pid} did not end after SIGKILL")

    @property
    def killed(self) -> bool:
        return self.signal == signal.SIGKILL

    @property
    def cpu_share(self) -> float:
        """The share of a core the writer got on its way to ready (1: an idle machine)."""
        wall = self.ready_at - self.asked_at
        return max(MIN_SHARE, min(1.0, self.ready_cpu / wall)) if wall > 0 else 1.0

    def errors(self) -> str:
        err = Path(f"{self.journal}.err")
        return err.read_text(errors="replace")[-3000:] if err.exists() else ""

    def output(self) -> str:
        out = Path(f"{self.journal}.out")
        return out.read_text(errors="replace") if out.exists() else ""


class WriterHost:
    """The host process; ``warm_databases``: empty PostgreSQL databases it may warm up on."""

    def __init__(self, warm_databases: Sequence[str] = ()) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
            # numpy (agreement statistics) would start a BLAS thread: a process that forks keeps one.
            "OPENBLAS_NUM_THREADS": "1",
        }
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            [sys.executable, str(HOST), *warm_databases],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env,
        )
        self._lock = threading.Lock()
        self._runs: dict[str, Run] = {}
        self._next = 0
        self._up = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def wait_until_up(self) -> None:
        """The host imports and warms up for a few seconds: projects can be made meanwhile."""
        if not self._up.wait(READY_TIMEOUT):
            raise AssertionError(f"the writer host did not start: {self.errors()}")

    def errors(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read()[-3000:]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            words = line.split()
            if words == ["host", "ready"]:
                self._up.set()
                continue
            with self._lock:
                run = self._runs[words[1]]
            if words[0] == "started":
                run.pid = int(words[2])
                run.started.set()
            elif words[0] == "ready":
                run.ready_at = time.perf_counter()
                run.ready_cpu = float(words[2])
                run.ready.set()
            elif words[0] == "exit":
                run.exited_at = time.perf_counter()
                if words[2] == "signal":
                    run.signal = int(words[3])
                else:
                    run.exit_status = int(words[3])
                run.exited.set()
                run.ready.set()  # a writer that died before it was ready wakes its waiter too

    def start(self, kind: str, location: str, folder: Path, seed: int, journal: Path) -> Run:
        self.wait_until_up()
        run = Run(journal, asked_at=time.perf_counter())
        with self._lock:
            self._next += 1
            run_id = str(self._next)
            self._runs[run_id] = run
            assert self.process.stdin is not None
            request = ["run", run_id, kind, location, str(folder), seed, str(journal)]
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        return run

    def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr.close()

    def __enter__(self) -> WriterHost:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
