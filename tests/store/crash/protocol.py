"""What a killed writer and the checking parent agree on: the journal, and the states it claims.

A writer (run in a child of ``crash_writer.py``) appends lines to its journal file with one
``os.write`` each, so a line is either wholly in the file or not at all, whatever moment the
``SIGKILL`` comes:

``ready``
    the project is open and the writer set up (the CLI: its command is about to run); the
    parent's kill delay counts from here.
``doing KEY STATE [KEY STATE …]``
    an action starts; when it commits, each KEY will be in STATE.
``done KEY STATE [KEY STATE …]``
    the action returned: acknowledged, as the app would show it done.
``tx begin`` / ``tx commit`` / ``tx end``
    a write transaction began, is committing, finished (SQLAlchemy session events).

KEY and STATE are words without spaces; STATE ``-`` means "not there". Each kind of writer
describes its part of the project as ``{KEY: STATE}`` (:meth:`Kind.observe`, read by the parent
after the kill). The check is then one comparison: what the parent reads equals what the last
check read with every acknowledged action applied, or that plus *all* the pairs of the one
action in flight. A half-done action matches neither, so all-or-nothing and "nothing
acknowledged is lost" are the same test. An in-flight STATE ``*`` stands for "present, with a
value only the commit decides" (a new row's id).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Connection, text

from annotator.store.project import ProjectStore, open_project

ABSENT = "-"
ANY = "*"
State = dict[str, str]


class Journal:
    """The writer's side: append-only lines, each written by one system call."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def line(self, *words: object) -> None:
        os.write(self.fd, (" ".join(str(w) for w in words) + "\n").encode())

    def ready(self) -> None:
        """The writer is set up and about to act: the kill clock starts now."""
        self.line("ready")
        announce_ready()

    def doing(self, *pairs: object) -> None:
        self.line("doing", *pairs)

    def done(self, *pairs: object) -> None:
        self.line("done", *pairs)


class Stopped(Exception):
    """Raised by :class:`StoppingJournal` to end a writer's loop without a kill."""


class StoppingJournal(Journal):
    """A journal that ends the writer after ``actions`` acknowledgements (warm-up, self-tests)."""

    def __init__(self, path: Path | str, actions: int) -> None:
        super().__init__(path)
        self.left = actions

    def ready(self) -> None:
        self.line("ready")

    def done(self, *pairs: object) -> None:
        super().done(*pairs)
        self.left -= 1
        if self.left <= 0:
            raise Stopped


def _pairs(words: list[str]) -> list[tuple[str, str]]:
    assert len(words) % 2 == 0, f"odd journal line {words}"
    return list(zip(words[::2], words[1::2], strict=True))


@dataclass
class Log:
    """The parent's reading of one writer's journal after the kill."""

    done: list[list[tuple[str, str]]] = field(default_factory=list)
    in_flight: list[tuple[str, str]] | None = None  # pairs of a "doing" with no "done" after it
    transaction: str = "none"  # the last tx marker: begin, commit or end

    @classmethod
    def read(cls, path: Path) -> Log:
        log = cls()
        raw = path.read_bytes() if path.exists() else b""
        for line in raw.decode().split("\n")[:-1]:  # a torn last line cannot happen; ignore if it did
            kind, *words = line.split(" ")
            if kind == "doing":
                log.in_flight = _pairs(words)
            elif kind == "done":
                log.done.append(_pairs(words))
                log.in_flight = None
            elif kind == "tx":
                log.transaction = words[0]
        return log

    @property
    def mid_action(self) -> bool:
        return self.in_flight is not None

    @property
    def mid_transaction(self) -> bool:
        return self.transaction in ("begin", "commit")


def _applied(state: State, pairs: list[tuple[str, str]], observed: State) -> State:
    after = dict(state)
    for key, value in pairs:
        if value == ABSENT:
            after.pop(key, None)
        elif value == ANY:
            # Any value, as long as the row is there (a sentinel never equals a read value).
            after[key] = observed.get(key, "<missing>")
        else:
            after[key] = value
    return after


def _difference(observed: State, expected: State) -> str:
    keys = sorted(set(observed) | set(expected))
    parts = [
        f"{k}: read {observed.get(k, ABSENT)!r}, expected {expected.get(k, ABSENT)!r}"
        for k in keys
        if observed.get(k) != expected.get(k)
    ]
    return "; ".join(parts[:4]) + (f" (+{len(parts) - 4} more)" if len(parts) > 4 else "")


def judge(before: State, log: Log, observed: State) -> str | None:
    """Why ``observed`` is not a state the writer may leave (None: it is)."""
    expected = before
    for pairs in log.done:
        expected = _applied(expected, pairs, observed)
    if observed == expected:
        return None
    if log.in_flight is not None and observed == _applied(expected, log.in_flight, observed):
        return None
    flight = "" if log.in_flight is None else f" (in flight: {' '.join(map(' '.join, log.in_flight))})"
    return f"{_difference(observed, expected)}{flight}"


def rows(db: Connection, sql: str, **params: Any) -> list[Any]:
    return list(db.execute(text(sql), params))


class Kind:
    """One kind of writer: what it prepares, how it writes until killed, how it reads its state.

    ``prepare`` runs once in the parent on a fresh project (with the base work, coder and
    annotation 1); ``write`` runs in each killed child on the project it opened, calls
    ``journal.ready()`` once set up, and loops until the kill; ``observe`` reads the kind's
    state in the parent, through a plain connection.
    """

    name: ClassVar[str]
    ends_by_itself: ClassVar[bool] = False  # True: a command, killed during its one run or not at all
    # Kills come this long after ready (besides those right at it). Later for actions that read
    # for a long while before their transaction begins, so that kills reach the transaction too.
    shortest_delay: ClassVar[float] = 0.001
    longest_delay: ClassVar[float] = 0.150

    def __init__(self, folder: Path) -> None:
        self.folder = folder  # the campaign's own folder: coder copies, generated files

    def prepare(self, store: ProjectStore) -> None:
        """Extra content this kind needs, made once before the first kill."""

    def write(self, store: ProjectStore, journal: Journal, rng: random.Random, tag: str) -> None:
        raise NotImplementedError

    def run_child(self, location: str, journal: Journal, rng: random.Random, tag: str) -> int:
        """The child's whole life (the default: open the project, then write until killed)."""
        store = open_project(location)
        self.write(store, journal, rng, tag)
        return 0

    def observe(self, db: Connection) -> State:
        raise NotImplementedError

    def acknowledged_by_exit(self, tag: str, exit_status: int | None, output: str) -> list[tuple[str, str]]:
        """Pairs acknowledged by how the child ended (the CLI: its exit status and output)."""
        return []


_READY_HOOK: list[Callable[[], object]] = []


def announce_ready() -> None:
    """Tell the parent the kill clock starts now (the host installs the hook in each child)."""
    for hook in _READY_HOOK:
        hook()


def set_ready_hook(hook: Callable[[], object]) -> None:
    _READY_HOOK[:] = [hook]
