"""The sidecar flock that keeps annotator processes from deleting each other's live write-ahead log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.store.lock import EXCLUSIVE, SHARED, ProjectInUse, ProjectLock, lock_path

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from annotator.store.lock import ProjectLock
    database = Path(sys.argv[1])
    lock = ProjectLock.acquire(database, sys.argv[2], "annotator app")
    # What a file dialog does in the app's process: open and close the files by other descriptors.
    for path in (database, Path(str(database) + "-lock")):
        open(path, "rb").close()
    print("held", flush=True)
    sys.stdin.readline()
    lock.release()
    print("released", flush=True)
    """
)


class Holder:
    """Another process holding the lock, until told to let go (or killed)."""

    def __init__(self, database: Path, mode: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(database), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None and self.process.stdout.readline() == "held\n"

    def release(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline() == "released\n"
        self._end()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self._end()

    def _end(self) -> None:
        self.process.wait(timeout=10)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "project.annotator"
    path.write_bytes(b"SQLite format 3\x00")
    yield path


def test_the_app_excludes_every_other_use_and_is_named_in_the_refusal(database: Path) -> None:
    app = Holder(database, EXCLUSIVE)
    try:
        for mode in (SHARED, EXCLUSIVE):
            with pytest.raises(ProjectInUse) as refused:
                ProjectLock.acquire(database, mode, "annotator command")
            message = str(refused.value)
            assert f"open in annotator app (pid {app.process.pid})" in message
            assert "\n" not in message and str(database) in message
    finally:
        app.release()
    again = ProjectLock.acquire(database, SHARED, "annotator command")
    assert again is not None and again.held
    again.release()


def test_commands_share_the_project_but_keep_the_app_out(database: Path) -> None:
    command = Holder(database, SHARED)
    try:
        mine = ProjectLock.acquire(database, SHARED, "annotator command")
        assert mine is not None
        with pytest.raises(ProjectInUse, match="in use by another annotator command"):
            ProjectLock.acquire(database, EXCLUSIVE, "annotator app")
        mine.release()
    finally:
        command.release()


def test_a_killed_app_leaves_the_project_free_and_its_note_does_not_mislead(database: Path) -> None:
    app = Holder(database, EXCLUSIVE)
    app.kill()  # the kernel drops a dead process's flock; the note with its pid stays behind
    assert lock_path(database).exists()
    command = Holder(database, SHARED)
    try:
        with pytest.raises(ProjectInUse) as refused:
            ProjectLock.acquire(database, EXCLUSIVE, "annotator app")
        assert str(app.process.pid) not in str(refused.value)
    finally:
        command.release()


def test_waiting_gives_a_finishing_command_time(database: Path) -> None:
    command = Holder(database, SHARED)
    waiter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from annotator.store.lock import ProjectLock;"
            "lock = ProjectLock.acquire(Path(sys.argv[1]), 'exclusive', 'annotator app', wait=30);"
            "print('got it', flush=True)",
            str(database),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    command.release()
    out, _ = waiter.communicate(timeout=30)
    assert out == "got it\n"


def test_the_last_one_out_removes_the_lock_file(database: Path) -> None:
    first = ProjectLock.acquire(database, SHARED, "annotator command")
    second = ProjectLock.acquire(database, SHARED, "annotator command")
    assert first is not None and second is not None and lock_path(database).exists()
    first.release()
    assert lock_path(database).exists()  # still held by the second
    second.release()
    assert not lock_path(database).exists()
    second.release()  # releasing twice is harmless
    assert os.listdir(database.parent) == [database.name]
