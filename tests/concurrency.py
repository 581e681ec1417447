"""Real processes racing on one project, brought to the same moment by events, not by sleeps.

:class:`Race` starts worker processes (``concurrency_worker.py``) on a project and sends each a
service call, telling some where to pause (just before their first write, or their commit).
:meth:`Race.settle` then waits until no worker can move on by itself: each has finished, is
paused, or waits for a lock another one holds. PostgreSQL says who waits for a lock
(``pg_stat_activity``, the workers are told apart by their ``application_name``); on SQLite a
worker says when it asks for the write lock (``BEGIN IMMEDIATE``) and when it got it, and one
still asking while another is paused inside its write transaction is waiting for it.

:meth:`Race.play` starts the first group, settles, starts the second, settles, then lets the
paused go until all have finished. The order of the groups is therefore the order in which the
actions take their locks, whatever the machine's speed: the outcome of each run is fixed.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, create_engine, text

REPO = Path(__file__).resolve().parents[1]
WORKER = Path(__file__).with_name("concurrency_worker.py")
# Only a bound for a broken test: a run settles in milliseconds.
SETTLE_TIMEOUT = 30.0


@dataclass(frozen=True)
class Call:
    """A service call for a worker: ``module:function`` (or a worker helper) with its arguments."""

    function: str
    args: tuple[Any, ...] = ()
    pause: str | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)


def call(function: str, *args: Any, pause: str | None = None, **kwargs: Any) -> Call:
    return Call(function, args, pause, kwargs)


@dataclass(frozen=True)
class Outcome:
    event: str  # done, refused or crashed
    result: Any = None
    type: str = ""
    message: str = ""
    traceback: str = ""

    @property
    def ok(self) -> bool:
        return self.event == "done"

    def refused(self, kind: str, words: str) -> bool:
        """Whether it was refused with a one-line ``kind`` error saying ``words``."""
        return (
            self.event == "refused"
            and self.type == kind
            and words in self.message
            and "\n" not in self.message
        )


class Worker:
    """One worker process; its reports go to the race's queue."""

    def __init__(self, target: str, name: str, reports: queue.Queue[tuple[Worker, dict[str, Any]]]) -> None:
        self.name = name
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
            "PGAPPNAME": name,  # libpq: how pg_stat_activity tells the workers apart
        }
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (closed in close)
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), target],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            env=env,
        )
        self.state = "starting"  # running, begin (SQLite: asking for the write lock), paused, done
        self.holds_write_lock = False  # paused inside a write transaction
        self.outcome: Outcome | None = None
        self._reports = reports
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._reports.put((self, json.loads(line)))
        self._reports.put((self, {"event": "exited"}))

    def hear(self, report: dict[str, Any]) -> None:
        event = report["event"]
        if event == "ready":
            self.state = "done"
        elif event == "begin":
            self.state = "begin"
        elif event == "began":
            self.state = "running"
        elif event == "paused":
            self.state, self.holds_write_lock = "paused", report["writing"]
        elif event in ("done", "refused", "crashed"):
            self.state = "done"
            self.outcome = Outcome(
                event,
                report.get("result"),
                report.get("type", ""),
                report.get("message", ""),
                report.get("traceback", ""),
            )
        elif event == "exited" and self.state != "closing":
            raise AssertionError(f"worker {self.name} died: {self.errors()}")

    def send(self, command: Call) -> None:
        assert self.state == "done", f"{self.name} is {self.state}"
        self.state, self.outcome = "running", None
        message = {"call": command.function, "args": list(command.args), "kwargs": command.kwargs}
        self._write(json.dumps(message | {"pause": command.pause}))

    def go(self) -> None:
        assert self.state == "paused"
        self.state = "running"
        self._write("go")

    def _write(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def errors(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read()[-4000:]

    def close(self) -> None:
        self.state = "closing"
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(20)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr.close()


class Race:
    """``count`` workers on the project at ``target``; use as a context manager."""

    def __init__(self, target: str, count: int) -> None:
        self.target = target
        self._reports: queue.Queue[tuple[Worker, dict[str, Any]]] = queue.Queue()
        tag = uuid.uuid4().hex[:8]
        self.workers = [Worker(target, f"race-{tag}-{n}", self._reports) for n in range(count)]
        self._server: Engine | None = None
        if "://" in target:
            self._server = create_engine(target, isolation_level="AUTOCOMMIT")
        self.runs = 0
        self.settle()  # every worker ready

    def __enter__(self) -> Race:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for worker in self.workers:
            if worker.state == "paused":
                worker.go()
        for worker in self.workers:
            worker.close()
        if self._server is not None:
            self._server.dispose()

    def play(
        self, first: Sequence[tuple[Worker, Call]], then: Sequence[tuple[Worker, Call]] = ()
    ) -> list[Outcome]:
        """Start ``first``, settle, start ``then``, settle, release the paused until all finished.

        Returns the outcomes in the order given (first, then ``then``).
        """
        self.start(first)
        self.start(then)
        self.finish()
        outcomes = []
        for worker, _ in (*first, *then):
            assert worker.outcome is not None
            outcomes.append(worker.outcome)
        return outcomes

    def start(self, calls: Sequence[tuple[Worker, Call]]) -> None:
        """Send each worker its call, then settle."""
        for worker, command in calls:
            worker.send(command)
        self.settle()

    def finish(self) -> None:
        """Let the paused go, settling after each round, until every worker has finished."""
        self.runs += 1
        while paused := [w for w in self.workers if w.state == "paused"]:
            for worker in paused:
                worker.go()
            self.settle()

    def settle(self) -> None:
        """Wait until every worker has finished, is paused, or waits for a lock another holds."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while True:
            try:
                worker, report = self._reports.get(timeout=0.01)
            except queue.Empty:
                if self._settled():
                    return
            else:
                worker.hear(report)
                continue
            if time.monotonic() > deadline:
                states = {w.name: w.state for w in self.workers}
                raise AssertionError(f"the race did not settle: {states}; {self.workers[0].errors()}")

    def _settled(self) -> bool:
        moving = [w for w in self.workers if w.state not in ("done", "paused")]
        if not moving:
            return True
        if self._server is None:
            holder = any(w.state == "paused" and w.holds_write_lock for w in self.workers)
            return holder and all(w.state == "begin" for w in moving)
        waiting = self._waiting_for_locks()
        return all(w.name in waiting for w in moving)

    def _waiting_for_locks(self) -> set[str]:
        assert self._server is not None
        query = text(
            "SELECT application_name FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        with self._server.connect() as connection:
            return set(connection.scalars(query))
