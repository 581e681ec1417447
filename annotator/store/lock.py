"""Who may use an SQLite project file at the same time: one app, or any number of CLI commands.

SQLite guards its file with POSIX record locks, which belong to the whole process: when *any*
code in the process opens and closes the project file by another descriptor (a file dialog
sniffing MIME types, the user importing the project file as a work), every lock SQLite held is
silently dropped. Another process then believes it is alone, checkpoints and deletes the live
write-ahead log, and the first process goes on writing into a deleted file: acknowledged work is
lost. That cannot be repaired from inside SQLite, so annotator processes agree among themselves
with a second lock that no stray ``open()``/``close()`` can drop: a BSD ``flock`` on a sidecar file
``PROJECT-lock`` (an ``flock`` belongs to its open file description, not to the process).

- The desktop app holds it **exclusively** while a project is open: a second app or a CLI
  command is refused with a one-line reason naming the app's process id, and changes nothing.
- CLI commands (and merges reading a coder's copy) hold it **shared**: they run side by side, as
  SQLite's own locking then works (none of them opens the file another way).

The holder of the exclusive lock writes its process id and purpose into the file, for the
message. PostgreSQL projects need none of this: the server arbitrates.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock; SQLite's own locks only
    fcntl = None  # type: ignore[assignment]

EXCLUSIVE = "exclusive"
SHARED = "shared"
LOCK_SUFFIX = "-lock"


class ProjectInUse(Exception):
    """Another annotator process holds the project in a way that excludes this use."""


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    purpose: str

    def describe(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"{self.purpose} (pid {self.pid}{where})"


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + LOCK_SUFFIX)


def read_holder(path: Path) -> Holder | None:
    """Who wrote the lock file last (the exclusive holder), if it says."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        return Holder(int(data["pid"]), str(data.get("host", "")), str(data.get("purpose", "annotator")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class ProjectLock:
    """A held ``flock`` on ``PROJECT-lock``; :meth:`release` (or process exit) lets it go."""

    def __init__(self, path: Path, fd: int, mode: str) -> None:
        self.path = path
        self.mode = mode
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, database: Path, mode: str, purpose: str, wait: float = 0.0) -> ProjectLock | None:
        """Take the lock beside ``database``; ``None`` where the platform has no ``flock``.

        Waits up to ``wait`` seconds for others to finish, then raises :class:`ProjectInUse`.
        """
        if fcntl is None:
            return None
        path = lock_path(database)
        deadline = time.monotonic() + wait
        operation = (fcntl.LOCK_EX if mode == EXCLUSIVE else fcntl.LOCK_SH) | fcntl.LOCK_NB
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
            try:
                fcntl.flock(fd, operation)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() >= deadline:
                    raise ProjectInUse(_in_use_message(database, path, mode)) from None
                time.sleep(0.05)
                continue
            # A releasing holder may have unlinked the file between our open and our flock:
            # then we hold a lock nobody else can see. Start again on the file now at the path.
            if _same_file(fd, path):
                break
            os.close(fd)
        lock = cls(path, fd, mode)
        if mode == EXCLUSIVE:
            lock._write_holder(purpose)
        elif os.fstat(fd).st_size:
            os.ftruncate(fd, 0)  # a crashed app's note: nobody holds it exclusively now
        return lock

    def _write_holder(self, purpose: str) -> None:
        assert self._fd is not None
        data = {"pid": os.getpid(), "host": socket.gethostname(), "purpose": purpose}
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, json.dumps(data).encode(), 0)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None or fcntl is None:
            return
        try:
            # The last one out removes the file; only an exclusive holder may (see acquire).
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass
        else:
            if _same_file(fd, self.path):
                self.path.unlink(missing_ok=True)
        finally:
            os.close(fd)  # closing the last descriptor releases the flock


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _alive(holder: Holder) -> bool:
    if holder.host != socket.gethostname():
        return True  # cannot tell; trust the note
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _in_use_message(database: Path, path: Path, wanted: str) -> str:
    holder = read_holder(path)
    if holder is not None and not _alive(holder):
        holder = None
    if holder is not None and wanted == SHARED:
        return f"{database} is open in {holder.describe()}; close it there, or work in the app"
    if holder is not None:
        return f"{database} is open in {holder.describe()}; close it there first"
    return f"{database} is in use by another annotator command; try again when it has finished"
