"""Atomic file writes: the target is either the old file or the complete new one, never half of each.

Exporters write to a file object; callers hand them one from :func:`atomic_write_text`, which writes
a temporary file next to the target, flushes it to disk and only then renames it over the target.
A crash, a full disk or an exception in the exporter leaves the previous file untouched.

The temporary file is ``.NAME.PID.HOST.RANDOM.tmp`` beside the target ``NAME``. Any exception
(``KeyboardInterrupt`` and ``SystemExit`` too) removes it. A writer killed outright (``SIGKILL``,
a power cut) cannot, so each write first removes the temporary files of its target that a
process of this host left and that is no longer running (:func:`remove_stale_temporaries`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

from annotator.core.processes import host_tag as _host_tag
from annotator.core.processes import is_running as _is_running

T = TypeVar("T")
_SUFFIX = ".tmp"


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new one gets the usual 0666 minus the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    # The rename itself is only durable once the directory entry is on disk (POSIX).
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on directories; the data itself is synced
    finally:
        os.close(fd)


def temporary_prefix(target: Path, pid: int | None = None) -> str:
    """How the names of ``target``'s temporary files written by process ``pid`` (default: this
    one) begin; ``tempfile`` adds a random part and :data:`_SUFFIX`."""
    return f".{target.name}.{os.getpid() if pid is None else pid}.{_host_tag()}."


def _writer_pid(name: str, target: Path) -> int | None:
    """The process id in ``name`` if it names a temporary file of ``target`` written on this host."""
    start = f".{target.name}."
    if not (name.startswith(start) and name.endswith(_SUFFIX)):
        return None
    parts = name[len(start) : -len(_SUFFIX)].split(".")
    if len(parts) != 3 or not parts[0].isdigit() or parts[1] != _host_tag():
        return None  # another target's name that starts alike, another host's file, or not ours
    return int(parts[0])


def remove_stale_temporaries(target: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files of ``target`` whose writer (on this host) no longer runs; return them.

    A file goes only when no process has its writer's id: if the id was given to another process
    meanwhile, the file waits for that one to end too, erring on the side of a live writer. POSIX
    only (elsewhere nothing is removed: there is no harmless way to ask whether a process runs).
    """
    if os.name != "posix":
        return []
    target = Path(target).expanduser()
    directory = target.parent if str(target.parent) else Path(".")
    removed: list[Path] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        pid = _writer_pid(name, target)
        if pid is None or _is_running(pid):
            continue
        with contextlib.suppress(FileNotFoundError):  # another writer removed it first
            (directory / name).unlink()
            removed.append(directory / name)
    return removed


def atomic_write_text(
    path: str | os.PathLike[str], writer_fn: Callable[[TextIO], T], encoding: str = "utf-8-sig"
) -> T:
    """Call ``writer_fn`` with a text file that replaces ``path`` only if it returns normally.

    The file is opened with ``newline=""`` so the writer's own line ends (``\\r\\n`` from the csv
    module) reach the disk unchanged. Returns whatever ``writer_fn`` returns.
    """
    target = Path(path).expanduser()
    directory = target.parent if str(target.parent) else Path(".")
    mode = _mode_for(target)
    with contextlib.suppress(OSError):  # tidying up must never stop the write itself
        remove_stale_temporaries(target)
    temp: Path | None = None
    try:
        fd, temp_name = tempfile.mkstemp(prefix=temporary_prefix(target), suffix=_SUFFIX, dir=directory)
        temp = Path(temp_name)
        try:
            handle = os.fdopen(fd, "w", encoding=encoding, newline="")
        except BaseException:
            os.close(fd)  # e.g. an unknown encoding: the descriptor has no file object to close it
            raise
        with handle:
            result = writer_fn(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
        raise
    _fsync_directory(directory)
    return result
