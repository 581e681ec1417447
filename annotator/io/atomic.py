"""Atomic file writes: the target is either the old file or the complete new one, never half of each.

Exporters write to a file object; callers hand them one from :func:`atomic_write_text`, which writes
a temporary file next to the target, flushes it to disk and only then renames it over the target.
A crash, a full disk or an exception in the exporter leaves the previous file untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

T = TypeVar("T")


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
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            result = writer_fn(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_directory(directory)
    return result
