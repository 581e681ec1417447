"""A worker process for the concurrency tests (driven by ``tests/concurrency.py``).

It opens one project, then runs the service calls it is sent, one JSON line each, and pauses where
it is told to, so a test can bring several processes to the same moment of their transactions:

- ``"write"``: just before the first INSERT, UPDATE or DELETE of a write transaction (everything
  the action checks has been read; nothing is written yet),
- ``"commit"``: just before a write transaction commits,
- ``"sql:REGEX"``: just before the first statement matching REGEX.

It reports on stdout, one JSON line each: ``ready``; ``begin`` and ``began`` (SQLite: asking for
the write lock with BEGIN IMMEDIATE, and having it); ``paused``, saying whether inside a write
transaction (then it waits for a ``go`` line); and how the call ended: ``done`` with its result,
``refused`` with a user error's type and message, or ``crashed`` with a traceback (what the tests
must never see).
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import json
import re
import sys
import traceback
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from annotator.core.errors import USER_ERRORS
from annotator.store.project import WRITE_OPTION, ProjectStore, open_project

_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class _Pause:
    where: str | None = None
    done = False


PAUSE = _Pause()


def say(**message: Any) -> None:
    sys.stdout.write(json.dumps(message, default=_plain) + "\n")
    sys.stdout.flush()


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot send {type(value).__name__}")


def _writing(connection: Any) -> bool:
    return bool(connection.get_execution_options().get(WRITE_OPTION, False))


def _pause(connection: Any) -> None:
    PAUSE.done = True
    say(event="paused", writing=_writing(connection))
    line = sys.stdin.readline()
    if line.strip() != "go":
        raise SystemExit(f"expected go, got {line!r}")


@event.listens_for(Engine, "before_cursor_execute")
def _before_statement(
    connection: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
) -> None:
    if statement.startswith("BEGIN IMMEDIATE"):
        say(event="begin")
        return
    where = PAUSE.where
    if where is None or PAUSE.done:
        return
    first_write = where == "write" and _writing(connection) and _WRITES.match(statement)
    if first_write or (where.startswith("sql:") and re.search(where[4:], statement)):
        _pause(connection)


@event.listens_for(Engine, "after_cursor_execute")
def _after_statement(
    _connection: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
) -> None:
    if statement.startswith("BEGIN IMMEDIATE"):
        say(event="began")


@event.listens_for(Engine, "commit")
def _before_commit(connection: Any) -> None:
    if PAUSE.where == "commit" and not PAUSE.done and _writing(connection):
        _pause(connection)


# --- calls that need more than the store and plain values ----------------------------------------


def import_segments_file(store: ProjectStore, path: str) -> Any:
    from annotator.services.segment_import import import_segments

    with open(path, encoding="utf-8-sig", newline="") as handle:
        return import_segments(store, handle, Path(path).name)


def merge_from_location(store: ProjectStore, location: str) -> Any:
    from annotator.services.merge import merge_from

    report = merge_from(store, location)
    return {"added": report.annotations_added, "duplicates": report.annotations_duplicate}


def delete_code_ids(store: ProjectStore, code_id: int) -> dict[str, list[int]]:
    from annotator.services.codebook import delete_code

    snapshot = delete_code(store, code_id)
    return {
        "codes": [row["id"] for row in snapshot.codes],
        "annotations": [row["id"] for row in snapshot.annotations],
    }


CALLS = {f.__name__: f for f in (import_segments_file, merge_from_location, delete_code_ids)}


def _function(name: str) -> Any:
    if ":" not in name:
        return CALLS[name]
    module, function = name.split(":")
    return getattr(importlib.import_module(module), function)


def main() -> None:
    store = open_project(sys.argv[1])
    say(event="ready")
    for line in sys.stdin:
        command = json.loads(line)
        PAUSE.where, PAUSE.done = command.get("pause"), False
        try:
            result = _function(command["call"])(store, *command.get("args", []), **command.get("kwargs", {}))
        except USER_ERRORS as exc:
            say(event="refused", type=type(exc).__name__, message=str(exc))
        except BaseException:
            say(event="crashed", traceback=traceback.format_exc())
        else:
            say(event="done", result=result)
        PAUSE.where = None
    store.close()


if __name__ == "__main__":
    main()
