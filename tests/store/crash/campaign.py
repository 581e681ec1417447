"""A kill campaign: one kind of writer, one project, killed again and again, checked after each kill.

Each cycle forks a writer from the warm host, waits for its "ready" (the project is open and the
writer set up), lets it work for a random moment — right at ready one time in seven, otherwise
1–150 ms of its own time (:func:`kill_delay`; up to 0.3–0.4 s for a segments import, a merge and
a folder import, which read long before they write; on a busy machine the clock time is longer,
by the share of a core the writer got, up to 3x) — so most kills land inside an action and most of those
inside its transaction. Then it SIGKILLs the writer and checks the project through a plain
connection: on SQLite ``integrity_check`` and ``foreign_key_check``; every annotation's quote is
its text's slice; and the kind's state is what the acknowledged actions left, with the action in
flight wholly done or wholly undone (:func:`protocol.judge`). A command that ends by itself
(the CLI) is first timed, then killed at random moments of its run. On PostgreSQL the check
first waits until the server has ended the killed client's session, so a COMMIT it was sent
cannot land later. After the last kill the app's own ``open_project`` must still open the
project.
"""

from __future__ import annotations

import math
import random
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from annotator.services.documents import list_documents
from annotator.services.projects import create_project
from annotator.store.project import open_project
from tests.store.crash import KINDS
from tests.store.crash.base import CREATION_LOCK, add_base_content
from tests.store.crash.host import READY_TIMEOUT, REPO, Run, WriterHost
from tests.store.crash.protocol import Kind, Log, judge, rows

AT_READY = 0.15  # the share of kills sent the moment the writer is ready
WRITER_NAME = "crash-writer"  # application_name of the writers' PostgreSQL sessions


def kill_delay(rng: random.Random, shortest: float = 0.001, longest: float = 0.150) -> float:
    """Right at ready one time in seven; otherwise evenly on a log scale (with the defaults as many
    kills in 1–12 ms as in 12–150 ms), so the first action's start is hit as often as the run of
    actions after it."""
    if rng.random() < AT_READY:
        return 0.0
    return math.exp(rng.uniform(math.log(shortest), math.log(longest)))


@dataclass
class KindReport:
    backend: str
    kind: str
    kills: int = 0  # writers SIGKILLed while running
    finished: int = 0  # writers that ended before the kill (the CLI command does)
    mid_action: int = 0  # kills that landed after an action began and before it was acknowledged
    mid_transaction: int = 0  # kills that landed inside a write transaction (or its commit)
    acknowledged: int = 0  # acknowledged actions the checks covered
    checks: int = 0
    survived: int = 0  # checks that found everything right
    failures: list[str] = field(default_factory=list)
    cycle_seconds: list[float] = field(default_factory=list)
    ready_seconds: list[float] = field(default_factory=list)  # asked for → writer ready
    command_runs: int = 0  # the real command in a new interpreter (the CLI kind)
    command_kills: int = 0
    opened_after: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.backend}/{self.kind}: {self.kills} kills ({self.mid_action} mid-action, "
            f"{self.mid_transaction} in a write transaction), {self.acknowledged} acknowledged actions "
            f"checked, {self.survived}/{self.checks} checks survived, {len(self.failures)} failed"
        )


_templates: dict[Path, Path] = {}


def _base_template(directory: Path) -> Path:
    """One SQLite project with the base content, copied for each campaign (creating one is slow)."""
    with CREATION_LOCK:
        if directory not in _templates:
            path = directory / "base.annotator"
            store = create_project(path, codebook="fandom")
            try:
                add_base_content(store)
            finally:
                store.close()
            _templates[directory] = path
        return _templates[directory]


def make_project(kind: Kind, backend: str, location: str, shared: Path) -> None:
    if backend == "sqlite":
        shutil.copyfile(_base_template(shared), location)
        with CREATION_LOCK:
            store = open_project(location)
    else:
        with CREATION_LOCK:
            store = create_project(location, codebook="fandom")
        add_base_content(store)
    try:
        kind.prepare(store)
    finally:
        store.close()


def check_common(db: Connection, backend: str) -> list[str]:
    problems = []
    if backend == "sqlite":
        integrity = [tuple(r) for r in db.exec_driver_sql("PRAGMA integrity_check")]
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity[:3]}")
        dangling = [tuple(r) for r in db.exec_driver_sql("PRAGMA foreign_key_check")]
        if dangling:
            problems.append(f"foreign_key_check: {dangling[:3]}")
    texts = dict(
        rows(db, "SELECT id, text FROM documents WHERE id IN (SELECT DISTINCT document_id FROM annotations)")
    )
    for r in rows(db, 'SELECT id, document_id, start, "end", quote FROM annotations'):
        if texts[r.document_id][r.start : r.end] != r.quote:
            problems.append(f"annotation {r.id}: quote {r.quote!r} is not its text's slice")
            break
    return problems


class Campaign:
    def __init__(
        self, host: WriterHost, backend: str, kind: str, location: str, folder: Path, shared: Path, kills: int
    ) -> None:
        self.host = host
        self.backend = backend
        self.kind = KINDS[kind](folder)
        self.location = location
        self.folder = folder
        self.shared = shared
        self.kills = kills
        self.report = KindReport(backend, kind)
        self.rng = random.Random(f"{backend}-{kind}")
        self.writer_location = location
        self.run_seconds: list[float] = []  # how long a command that ends by itself ran
        self.command_seconds = 1.0  # the same, in a new interpreter
        if backend == "postgresql":
            self.writer_location += ("&" if "?" in location else "?") + f"application_name={WRITER_NAME}"

    def run(self, command_runs: int = 0) -> KindReport:
        began = time.perf_counter()
        make_project(self.kind, self.backend, self.location, self.shared)
        url = self.location if self.backend == "postgresql" else f"sqlite:///{self.location}"
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as db:
                self.state = self.kind.observe(db)
            for n in range(command_runs):  # first: they need no host, which may still be warming up
                self._command_run(engine, 10_000 + n, first=n == 0)
            cycle = 0
            # The CLI command can finish before its kill; the others run until killed.
            while self.report.kills < self.kills and cycle < 4 * self.kills:
                cycle += 1
                if not self._cycle(engine, cycle):
                    break
        finally:
            engine.dispose()
        with CREATION_LOCK:
            store = open_project(self.location)
        try:
            self.report.opened_after = bool(list_documents(store))
        finally:
            store.close()
        self.report.seconds = time.perf_counter() - began
        return self.report

    def _cycle(self, engine: Engine, seed: int) -> bool:
        """One kill and its check; False when the writer cannot run at all."""
        self.host.wait_until_up()  # not part of any cycle
        began = time.perf_counter()
        journal = self.folder / f"cycle-{seed}.log"
        run = self.host.start(self.kind.name, self.writer_location, self.folder, seed, journal)
        if not run.ready.wait(READY_TIMEOUT) or not run.ready_at:
            run.kill()
            run.wait()
            self.report.failures.append(f"cycle {seed}: the writer never got ready: {run.errors()}")
            return False
        self.report.ready_seconds.append(run.ready_at - began)
        if not self.kind.ends_by_itself:
            # The delay is the writer's own time: on a busy machine it gets a share of a core, and
            # the same moment of its work comes later by the clock.
            delay = kill_delay(self.rng, self.kind.shortest_delay, self.kind.longest_delay)
            time.sleep(delay / run.cpu_share)
        elif self.run_seconds:
            # A command ends by itself: its kills are spread over its whole run (as timed so far).
            time.sleep(self.rng.uniform(0.0, 1.1 * statistics.median(self.run_seconds)))
        else:
            run.exited.wait(READY_TIMEOUT)  # the first run is timed, not killed
        was_running = run.kill()
        run.wait()
        if not was_running and run.exit_status == 0:
            self.run_seconds.append(run.exited_at - run.ready_at)
        if run.killed and was_running:
            self.report.kills += 1
        elif run.exit_status == 0 and self.kind.ends_by_itself:
            self.report.finished += 1
        else:
            self.report.failures.append(f"cycle {seed}: the writer died by itself: {run.errors()}")
            return False
        self._judge(engine, seed, run)
        self.report.cycle_seconds.append(time.perf_counter() - began)
        return True

    def _judge(
        self, engine: Engine, seed: int, run: Run | None, output: str = "", status: int | None = None
    ) -> None:
        if self.backend == "postgresql":
            self._wait_for_sessions_to_end(engine)
        log = Log.read(self.folder / f"cycle-{seed}.log")
        if run is not None:
            output, status = run.output(), run.exit_status
            if run.killed:
                self.report.mid_action += log.mid_action
                self.report.mid_transaction += log.mid_transaction
        by_exit = self.kind.acknowledged_by_exit(str(seed), status, output)
        problems = []
        if by_exit:
            log.done.append(by_exit)
            log.in_flight = None
        elif status is not None and status >= 0:  # it ended by itself (not killed): it must have worked
            problems.append(f"the command ended with status {status} without acknowledging: {output!r}")
        with engine.connect() as db:
            problems += check_common(db, self.backend)
            observed = self.kind.observe(db)
        verdict = judge(self.state, log, observed)
        if verdict is not None:
            problems.append(verdict)
        self.state = observed
        self.report.checks += 1
        self.report.acknowledged += sum(1 for pairs in log.done if pairs)
        if problems:
            self.report.failures.append(f"kill {seed}: {'; '.join(problems)}")
        else:
            self.report.survived += 1

    def _wait_for_sessions_to_end(self, engine: Engine) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        query = text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = :name"
        )
        with engine.connect() as db:
            while db.execute(query, {"name": WRITER_NAME}).scalar_one():
                if time.monotonic() > deadline:
                    raise AssertionError("the killed writer's session never ended")
                time.sleep(0.002)
                db.rollback()  # a fresh snapshot of pg_stat_activity

    def _command_run(self, engine: Engine, seed: int, *, first: bool) -> None:
        """The real ``annotator code`` in a new interpreter: the first runs to the end (its time
        sets the others' window), the others are killed at a random moment of their run."""
        command = getattr(self.kind, "command", None)
        if command is None:
            return
        journal = self.folder / f"cycle-{seed}.log"
        journal.write_text(f"doing cli-{seed} *\n")
        output = self.folder / f"command-{seed}.out"
        began = time.perf_counter()
        with output.open("w") as out:
            process = subprocess.Popen(
                command(self.writer_location, str(seed)), stdout=out, stderr=subprocess.DEVNULL, cwd=REPO
            )
            if first:
                process.wait()
                self.command_seconds = time.perf_counter() - began
            else:
                time.sleep(self.rng.uniform(0.0, self.command_seconds))
                if process.poll() is None:
                    process.kill()
                    self.report.command_kills += 1
                process.wait()
        self.report.command_runs += 1
        self._judge(engine, seed, None, output.read_text(), process.returncode)
