"""Atomic writes: the target holds the old content or the complete new content, nothing in between."""

from __future__ import annotations

import codecs
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import TextIO

import pytest

from annotator.io.atomic import atomic_write_text, remove_stale_temporaries, temporary_prefix

REPO = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="stale files are recognised by POSIX process ids")


def test_writes_with_bom_and_untranslated_line_ends(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert atomic_write_text(target, lambda out: out.write("a,b\r\nc\n")) == 7
    assert target.read_bytes() == codecs.BOM_UTF8 + b"a,b\r\nc\n"


def test_a_failing_writer_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")

    def half_then_fail(out: TextIO) -> None:
        out.write("new content that never lands")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write_text(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write_text(target, lambda out: out.write("new"), encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.csv"
    atomic_write_text(fresh, lambda out: out.write("x"))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's private 0600


def test_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic_write_text(tmp_path / "nope" / "out.csv", lambda out: out.write("x"))


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_an_interrupt_or_exit_in_the_writer_removes_the_temporary_file(
    tmp_path: Path, stop: type[BaseException]
) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    seen: list[str] = []

    def interrupted(out: TextIO) -> None:
        out.write("half")
        seen.extend(os.listdir(tmp_path))
        raise stop

    with pytest.raises(stop):
        atomic_write_text(target, interrupted)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.csv"]
    # While it wrote, the temporary file was beside the target and named after this process.
    [temp] = [name for name in seen if name != "out.csv"]
    assert temp.startswith(temporary_prefix(target)) and f".{os.getpid()}." in temp


def _dead_pid() -> int:
    """The id of a process that has ended (and been waited for)."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(child.stdout)


@posix_only
def test_the_next_write_removes_temporary_files_whose_writer_is_gone(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    dead = _dead_pid()
    stale = tmp_path / f"{temporary_prefix(target, dead)}abc_123{'.tmp'}"
    kept = [
        tmp_path / f"{temporary_prefix(target)}live1234.tmp",  # this process: still writing
        tmp_path / f".out.csv.{dead}.0badhost.abc_123.tmp",  # written on another host
        tmp_path / f"{temporary_prefix(tmp_path / 'other.csv', dead)}abc_123.tmp",  # another target
        tmp_path / ".out.csv.abc_123.tmp",  # no writer named: nothing says it is stale
    ]
    for path in [stale, *kept]:
        path.write_text("half", encoding="utf-8")
    atomic_write_text(target, lambda out: out.write("new"), encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new"
    assert not stale.exists()
    assert all(path.exists() for path in kept)
    assert remove_stale_temporaries(target) == []


_KILLED_WRITER = """
import sys
from annotator.io.atomic import atomic_write_text

def write(out):
    out.write("half of the new file")
    out.flush()
    print("writing", flush=True)
    sys.stdin.readline()  # killed while waiting here

atomic_write_text(sys.argv[1], write)
"""


@posix_only
def test_a_writer_killed_mid_write_leaves_the_target_and_the_next_write_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    with subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as child:
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    [left] = [name for name in os.listdir(tmp_path) if name != "out.csv"]
    assert left.startswith(temporary_prefix(target, child.pid))
    assert target.read_bytes() == b"old"
    atomic_write_text(target, lambda out: out.write("new"), encoding="utf-8")
    assert os.listdir(tmp_path) == ["out.csv"]
    assert target.read_bytes() == b"new"
