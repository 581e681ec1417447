"""The warm writer host for the kill tests: imports the app once, then forks one writer per kill.

Python's start-up and the app's imports take about a second, far longer than the actions being
killed; so this process pays them once and forks a child per kill (the child opens the project
itself, as a new process of the app would). The parent (``tests/store/crash/host.py``) talks to
it over stdin and stdout, one line each:

    in:   ["run", ID, KIND, LOCATION, FOLDER, SEED, JOURNAL]   (JSON)
    out:  started ID PID  |  ready ID CPU  |  exit ID signal N  |  exit ID code N

``ready ID CPU`` comes from the child once it has opened the project and set up, with the CPU
seconds it used since the fork (the parent reads the machine's load from it); the parent then
SIGKILLs ``PID`` itself and the host reports how it ended. Before serving, the host runs a few
actions of each kind on a scratch project (and on each empty PostgreSQL database named in its
arguments) and freezes its heap for the garbage collector, so a child is ready in tens of
milliseconds. The child writes its journal (see ``tests/store/crash/protocol.py``), including a
marker at each write transaction's begin, commit and end, and its stderr to ``JOURNAL.err``.
Closing stdin ends the host (and any child left).
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import random
import selectors
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event
from sqlalchemy.orm import Session

from annotator.cli import main as cli_main
from annotator.services.projects import create_project
from annotator.store.migrations_runner import head_revision
from annotator.store.project import WRITE_OPTION, open_project
from tests.store.crash import KINDS
from tests.store.crash.base import add_base_content
from tests.store.crash.import_kinds import CommandLine
from tests.store.crash.protocol import Journal, Stopped, StoppingJournal, set_ready_hook
from tests.store.crash.team_kinds import MergeCopy

_journal: list[Journal] = []  # the child's journal, for the transaction markers


def _writing(options: dict[str, Any]) -> bool:
    return bool(options.get(WRITE_OPTION, False))


def _mark(what: str) -> None:
    if _journal:
        _journal[0].line("tx", what)


@event.listens_for(Session, "after_begin")
def _began(session: Session, transaction: Any, connection: Any) -> None:
    if not transaction.nested and _writing(connection.get_execution_options()):
        _mark("begin")


def _session_writes(session: Session) -> bool:
    """A write session's own transaction (a savepoint's commit fires the same events)."""
    bind = session.bind
    writes = bind is not None and _writing(dict(bind.get_execution_options()))
    return writes and not session.in_nested_transaction()


@event.listens_for(Session, "before_commit")
def _committing(session: Session) -> None:
    if _session_writes(session):
        _mark("commit")


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if _session_writes(session):
        _mark("end")


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    if _session_writes(session):
        _mark("end")


def _child(
    out: int, run_id: str, kind: str, location: str, folder: str, seed: int, journal_path: str
) -> None:
    """The forked writer: never returns."""
    status = 70
    try:
        error = os.open(f"{journal_path}.err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(error, 2)
        journal = Journal(journal_path)
        _journal[:] = [journal]
        set_ready_hook(lambda: os.write(out, f"ready {run_id} {sum(os.times()[:2]):.4f}\n".encode()))
        writer = KINDS[kind](Path(folder))
        status = writer.run_child(location, journal, random.Random(seed), str(seed))
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(status)


def warm_up(databases: list[str]) -> None:
    """Run a few actions of every kind on scratch projects, so the children start warm.

    The first query of each shape costs milliseconds in a new process (SQLAlchemy's lazy
    set-up, compiled regular expressions, ORM loaders, on PostgreSQL the driver's and dialect's
    own); paid here once, every fork inherits it. ``databases``: empty PostgreSQL databases to
    warm up on too.
    """
    with tempfile.TemporaryDirectory() as scratch:
        sqlite_project = Path(scratch) / "warm.annotator"
        for number, location in enumerate([str(sqlite_project), *databases]):
            folder = Path(scratch) / str(number)
            folder.mkdir()
            store = create_project(location, codebook="fandom")
            add_base_content(store)
            store.close()
            if not number:  # a coder's copy for the merges: this project as it starts
                shutil.copyfile(sqlite_project, Path(scratch) / "copy.annotator")
            for name, kind in KINDS.items():
                writer = kind(folder)
                if isinstance(writer, MergeCopy):
                    writer.use_as_template(Path(scratch) / "copy.annotator")
                store = open_project(location)
                try:
                    writer.prepare(store)
                    if isinstance(writer, CommandLine):
                        with contextlib.redirect_stdout(io.StringIO()):  # stdout is the parent's pipe
                            cli_main(writer.arguments(location, "1"))
                    else:
                        journal = StoppingJournal(folder / f"{name}.log", 2)
                        writer.write(store, journal, random.Random(0), "0")
                except Stopped:
                    pass
                finally:
                    store.close()


def main() -> None:
    out = os.dup(1)  # children redirect fd 1 (the CLI's output); their "ready" goes here
    head_revision()  # warm: Alembic's script directory, as every open reads it
    warm_up(sys.argv[1:])
    # Children would otherwise copy most of this heap: the cyclic garbage collector touches every
    # object it tracks, and each page it touches is copied on write.
    gc.collect()
    gc.freeze()
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ)
    children: dict[int, tuple[str, int]] = {}  # pidfd: (run id, pid)
    pending = b""
    os.write(out, b"host ready\n")
    while True:
        for key, _ in selector.select():
            if key.fd == 0:
                data = os.read(0, 65536)
                if not data:
                    for pidfd, (_, pid) in children.items():
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
                        os.close(pidfd)
                    return
                pending += data
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    _, run_id, kind, location, folder, seed, journal = json.loads(line)
                    pid = os.fork()
                    if pid == 0:
                        selector.close()
                        _child(out, run_id, kind, location, folder, seed, journal)
                    pidfd = os.pidfd_open(pid)
                    selector.register(pidfd, selectors.EVENT_READ)
                    children[pidfd] = (run_id, pid)
                    os.write(out, f"started {run_id} {pid}\n".encode())
            else:
                run_id, pid = children.pop(key.fd)
                selector.unregister(key.fd)
                os.close(key.fd)
                _, status = os.waitpid(pid, 0)
                if os.WIFSIGNALED(status):
                    os.write(out, f"exit {run_id} signal {os.WTERMSIG(status)}\n".encode())
                else:
                    os.write(out, f"exit {run_id} code {os.WEXITSTATUS(status)}\n".encode())


if __name__ == "__main__":
    main()
