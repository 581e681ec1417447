"""The hidden files a killed ``annotator new`` leaves beside projects, and tidying them away.

A new SQLite project is built in ``.NAME.creating-PID.HOST.RANDOM`` beside its target and only
then linked to ``NAME`` (:mod:`annotator.store.creation`). A process killed outright (``SIGKILL``,
a power cut) cannot remove that file, or its ``-journal``/``-wal``/``-shm``; nothing reads them,
but they pile up. Creating or opening a project in the folder removes those whose creating
process, on this host, no longer runs (the rule of ``io/atomic.py``'s stale temporaries: a pid
given to another process meanwhile keeps the file until that one ends too). Names without a
process id, from before this rule, are left alone: nothing tells whether their maker still runs.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

from annotator.core.processes import host_tag, is_running

CREATING = ".creating-"
_CREATING_NAME = re.compile(
    r"\.(?P<project>.+)\.creating-(?P<pid>[0-9]+)\.(?P<host>[0-9a-f]{8})\.[0-9a-f]+(?:-journal|-wal|-shm)?"
)


def creating_path(target: Path, pid: int | None = None) -> Path:
    """A new hidden name beside ``target`` to build it in, naming process ``pid`` (default: this one)."""
    maker = os.getpid() if pid is None else pid
    return target.with_name(f".{target.name}{CREATING}{maker}.{host_tag()}.{secrets.token_hex(4)}")


def remove_stale_creations(folder: Path) -> list[Path]:
    """Remove the half-built projects (and their side files) in ``folder`` whose maker is gone.

    Returns what was removed. POSIX only: elsewhere there is no harmless way to ask whether a
    process runs, and nothing is removed.
    """
    if os.name != "posix":
        return []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    here = host_tag()
    removed: list[Path] = []
    for name in names:
        match = _CREATING_NAME.fullmatch(name)
        if match is None or match["host"] != here or is_running(int(match["pid"])):
            continue
        with contextlib.suppress(FileNotFoundError):  # another process tidied it first
            (folder / name).unlink()
            removed.append(folder / name)
    return removed
