"""Killing the app mid-action never corrupts a project or loses an action it acknowledged.

Twelve kinds of writer — coding, memo edits, code deletion, segments CSV imports, new works, a
coder's copy merged in, a codebook CSV imported, codes moved and renamed with undo,
disagreements adjudicated, deletions undone, a folder of works imported, and the ``annotator
code`` command — are each SIGKILLed at least 30 times at random moments, mostly inside an action
and its transaction, on their own project, all kinds at once. After every kill the project must
pass ``integrity_check`` and ``foreign_key_check`` (SQLite), every quote must be its text's
slice, every acknowledged action must be there and the action in flight wholly done or not at
all (``tests/store/crash/``); after the last kill the app must still open the project. The same
runs on PostgreSQL for four kinds, where the client is killed and the server must roll back what
it left. Figures per kind (kills, kills mid-action, acknowledged actions checked, checks
survived) are recorded as test properties and printed after the run; cycle times come from
``benchmarks/bench_crash_safety.py``, which runs every kind on either backend.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from annotator.store.project import open_project
from tests.conftest import PG_URL, fresh_pg_database
from tests.kill_points import needs_fork
from tests.store.crash import KINDS
from tests.store.crash.campaign import Campaign, KindReport, make_project
from tests.store.crash.coding_kinds import ImportSegments
from tests.store.crash.host import WriterHost
from tests.store.crash.protocol import Kind, Log, State, Stopped, StoppingJournal, judge
from tests.store.crash.team_kinds import MergeCopy

KILLS = 30
COMMAND_RUNS = 3  # the real `annotator code` in a new interpreter (about a second each)
SQLITE_KINDS = tuple(KINDS)
# The server's rollback of a killed client, for one-row, multi-row and bulk (Core insert) writes.
# A PostgreSQL writer costs about twice an SQLite one per kill, and the server works too: the
# other kinds run on PostgreSQL in `benchmarks/bench_crash_safety.py --backend postgresql`.
POSTGRESQL_KINDS = ("apply", "delete", "segments", "merge")
needs_postgresql = pytest.mark.skipif(not PG_URL, reason="set ANNOTATOR_TEST_PG_URL")

RecordProperty = Callable[[str, object], None]  # the record_property fixture

# The writer host forks a writer per kill and waits for it through a process file descriptor.
needs_host = pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs Linux pidfd_open")

pytestmark = pytest.mark.slow


class Campaigns:
    """Every selected campaign started at once, one thread and one project each, on one host."""

    def __init__(self, wanted: list[tuple[str, str]], folder: Path) -> None:
        self._warm_database = ExitStack()
        warm = []
        if any(backend == "postgresql" for backend, _ in wanted):
            # The host warms up on PostgreSQL too: a new client's first queries cost it most.
            warm.append(self._warm_database.enter_context(fresh_pg_database()))
        self.host = WriterHost(warm)
        self.folder = folder
        self.reports: dict[tuple[str, str], KindReport] = {}
        self.errors: dict[tuple[str, str], str] = {}
        self.threads = {
            key: threading.Thread(target=self._run, args=key, name=f"kill-{key[0]}-{key[1]}")
            for key in wanted
        }
        for thread in self.threads.values():
            thread.start()

    def _run(self, backend: str, kind: str) -> None:
        folder = self.folder / f"{backend}-{kind}"
        folder.mkdir()
        runs = COMMAND_RUNS if kind == "cli" and backend == "sqlite" else 0
        try:
            if backend == "sqlite":
                location = str(folder / "project.annotator")
                campaign = Campaign(self.host, backend, kind, location, folder, self.folder, KILLS)
                self.reports[backend, kind] = campaign.run(command_runs=runs)
            else:
                with fresh_pg_database() as url:
                    campaign = Campaign(self.host, backend, kind, url, folder, self.folder, KILLS)
                    self.reports[backend, kind] = campaign.run(command_runs=runs)
        except BaseException:
            self.errors[backend, kind] = traceback.format_exc()

    def report(self, backend: str, kind: str) -> KindReport:
        self.threads[backend, kind].join()
        if (backend, kind) in self.errors:
            raise AssertionError(f"the {backend} {kind} campaign broke:\n{self.errors[backend, kind]}")
        return self.reports[backend, kind]

    def close(self) -> None:
        for thread in self.threads.values():
            thread.join()
        self.host.close()
        self._warm_database.close()


@pytest.fixture(scope="module")
def campaigns(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Campaigns]:
    """The campaigns of every kill test selected in this session (they run concurrently)."""
    backends = {
        "test_killed_sqlite_writers_lose_no_acknowledged_action_and_leave_none_half_done": "sqlite",
        "test_killed_postgresql_clients_lose_no_acknowledged_action_and_leave_none_half_done": "postgresql",
    }
    wanted = [
        (backends[item.originalname], str(item.callspec.params["kind"]))
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.originalname in backends
    ]
    runner = Campaigns(wanted, tmp_path_factory.mktemp("kills"))
    yield runner
    runner.close()
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:  # the figures, in the log of every run
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            for report in runner.reports.values():
                reporter.write_line(f"{report.summary()} [{report.seconds:.1f} s]")


def _check(report: KindReport, record_property: RecordProperty) -> None:
    for name in ("kills", "mid_action", "mid_transaction", "acknowledged", "checks", "survived"):
        record_property(name, getattr(report, name))
    failures = "\n".join(report.failures[:10])
    assert not report.failures, f"{report.summary()}\n{failures}"
    assert report.kills >= KILLS, report.summary()
    assert report.survived == report.checks, report.summary()
    # The kills landed in real work, not before or between actions.
    assert report.mid_action >= report.kills // 2, report.summary()
    assert report.opened_after, f"{report.summary()}: the app did not open the project afterwards"


@needs_fork
@needs_host
@pytest.mark.parametrize("kind", SQLITE_KINDS)
def test_killed_sqlite_writers_lose_no_acknowledged_action_and_leave_none_half_done(
    kind: str, campaigns: Campaigns, record_property: RecordProperty
) -> None:
    report = campaigns.report("sqlite", kind)
    _check(report, record_property)
    if kind == "cli":
        assert report.command_runs == COMMAND_RUNS, report.summary()


@needs_fork
@needs_host
@needs_postgresql
@pytest.mark.parametrize("kind", POSTGRESQL_KINDS)
def test_killed_postgresql_clients_lose_no_acknowledged_action_and_leave_none_half_done(
    kind: str, campaigns: Campaigns, record_property: RecordProperty
) -> None:
    _check(campaigns.report("postgresql", kind), record_property)


# --- the check itself can fail -------------------------------------------------------------------


def _observe(kind: Kind, location: Path) -> State:
    engine = create_engine(f"sqlite:///{location}", poolclass=NullPool)
    try:
        with engine.connect() as db:
            return kind.observe(db)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("kind_type", "damage", "complaint"),
    [
        (ImportSegments, "DELETE FROM annotations WHERE id = (SELECT max(id) FROM annotations)", "'199'"),
        (MergeCopy, "DELETE FROM merge_records", "'320:1+1:1:1:0'"),
        (MergeCopy, "DELETE FROM document_zones WHERE document_id = (SELECT max(id) FROM documents)", "1+0"),
    ],
)
def test_the_check_refuses_an_acknowledged_action_cut_short(
    kind_type: type[Kind], damage: str, complaint: str, tmp_path: Path
) -> None:
    """The oracle the kills rely on: a whole action passes, done or in flight; a part never does."""
    kind = kind_type(tmp_path)
    location = tmp_path / "project.annotator"
    make_project(kind, "sqlite", str(location), tmp_path)
    before = _observe(kind, location)
    store = open_project(location)
    try:
        with pytest.raises(Stopped):
            kind.write(store, StoppingJournal(tmp_path / "journal.log", actions=1), random.Random(1), "1")
    finally:
        store.close()
    log = Log.read(tmp_path / "journal.log")
    [action] = log.done
    whole = _observe(kind, location)
    assert judge(before, log, whole) is None
    in_flight = Log(in_flight=action)
    assert judge(before, in_flight, whole) is None
    assert judge(before, in_flight, before) is None
    connection = sqlite3.connect(location)
    with connection:
        connection.execute(damage)
    connection.close()
    part = _observe(kind, location)
    acknowledged = judge(before, log, part)
    assert acknowledged is not None and complaint in acknowledged
    assert judge(before, in_flight, part) is not None
