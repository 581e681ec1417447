"""Kill an action at each of its database statements, in a real process, to prove it all-or-nothing.

A helper process imports the app once and installs a global SQLAlchemy listener that counts the
statements (``before_cursor_execute``) and commits (``commit``) of every engine. For each kill
point ``N`` it forks a child that runs the action and sends itself ``SIGKILL`` just before the
``N``-th of them: a real process killed for real, without paying Python's start-up per point.

:func:`sweep` counts the points with one uninterrupted run, then for ``N = 1, 2, …`` resets the
location, runs the child and checks what it left, until the child finishes without being killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pytest

REPO = Path(__file__).resolve().parents[1]

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="kill sweeps fork a child per kill point")

_HELPER = r"""
import os, signal, sys, traceback
from sqlalchemy import event
from sqlalchemy.engine import Engine

{imports}

def action(target):
{action}

points = 0
kill_at = 0

def point(*args, **kwargs):
    global points
    points += 1
    if points == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

event.listen(Engine, "before_cursor_execute", point)
event.listen(Engine, "commit", point)
target = sys.argv[1]
print("ready", flush=True)
for line in sys.stdin:
    kill_at = int(line)
    child = os.fork()
    if child == 0:
        status = 0
        try:
            action(target)
        except BaseException:
            traceback.print_exc()
            status = 1
        print(f"points {{points}}", flush=True)
        os._exit(status)
    _, status = os.waitpid(child, 0)
    if os.WIFSIGNALED(status):
        print(f"signal {{os.WTERMSIG(status)}}", flush=True)
    else:
        print(f"exit {{os.WEXITSTATUS(status)}}", flush=True)
"""


@dataclass(frozen=True)
class Outcome:
    killed: bool
    exit_status: int | None
    points: int | None  # counted by a child that ran to the end


class KillingHelper:
    """The helper process; :meth:`run` forks one child that dies at statement ``kill_at``."""

    def __init__(self, imports: str, action: str, target: str) -> None:
        body = "\n".join(f"    {line}" for line in action.strip().splitlines())
        script = _HELPER.format(imports=imports.strip(), action=body)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
        # A file, not a pipe: nobody reads the helper's errors until something fails. Closed in close().
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-c", script, target],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env,
        )
        self._expect("ready")

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"the killing helper died: {self.errors()}")
        return line.rstrip("\n")

    def _expect(self, wanted: str) -> None:
        line = self._line()
        assert line == wanted, f"expected {wanted!r}, got {line!r}: {self.errors()}"

    def errors(self) -> str:
        self._stderr.seek(0)
        text = self._stderr.read()
        self._stderr.seek(0, os.SEEK_END)
        return text[-4000:]

    def run(self, kill_at: int) -> Outcome:
        """Run the action in a new child, killed just before statement ``kill_at`` (0: never)."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{kill_at}\n")
        self.process.stdin.flush()
        points = None
        while True:
            kind, _, value = self._line().partition(" ")
            if kind == "points":
                points = int(value)
            elif kind == "signal":
                return Outcome(killed=int(value) == signal.SIGKILL, exit_status=None, points=points)
            elif kind == "exit":
                return Outcome(killed=False, exit_status=int(value), points=points)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(30)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr.close()

    def __enter__(self) -> KillingHelper:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is not None:
            self.process.kill()
        self.close()


@dataclass
class SweepResult:
    points: int
    failures: list[str] = field(default_factory=list)

    @property
    def survived(self) -> int:
        return self.points - len(self.failures)

    def summary(self, what: str) -> str:
        return f"{what}: killed at {self.points} points, {self.survived} left a usable location"

    def report(self, what: str) -> str:
        """The summary, then the first failures (all of them would drown the log)."""
        return "\n".join([self.summary(what), *self.failures[:20]])


def sweep(helper: KillingHelper, reset: Callable[[], None], check: Callable[[], None]) -> SweepResult:
    """Kill the action at every point; ``check()`` (which raises if not) judges what each kill left.

    ``reset()`` puts the location back as it was before the action. Failures are collected, not
    raised, so one run shows every point that breaks.
    """
    reset()
    full = helper.run(0)
    assert full.exit_status == 0 and full.points, f"the action failed on its own: {helper.errors()}"
    check()
    result = SweepResult(points=full.points)
    kill_at = 1
    while True:
        reset()
        outcome = helper.run(kill_at)
        if not outcome.killed:
            assert outcome.exit_status == 0, f"point {kill_at}: the action failed: {helper.errors()}"
            break
        try:
            check()
        except Exception as exc:
            first_line = (str(exc).strip().splitlines() or [""])[0][:200]
            result.failures.append(f"point {kill_at}: {type(exc).__name__}: {first_line}")
        kill_at += 1
    assert kill_at == full.points + 1, f"{full.points} points counted, but the child finished at {kill_at}"
    return result
