"""The command line while the project is busy or the disk is full: a wait, then one line, exit 1.

Each command runs as a real process. ``annotator code`` meets a segment import paused inside its
write transaction (a worker of ``tests/concurrency.py``); the disk fills up for real (a small
tmpfs) or the process may not grow files (RLIMIT_FSIZE, as ``ulimit -f`` sets it). In every case
stderr is the one ``annotator: error: …`` line, and the project is intact afterwards.
"""

from __future__ import annotations

import csv
import io
import os
import platform
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from annotator.core.types import ImportedDocument
from annotator.io.csv_codebook import CodebookRow, write_codebook_csv
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.services.projects import create_project
from tests.cli.conftest import Run
from tests.concurrency import Race, call

REPO = Path(__file__).resolve().parents[2]
TEXT = "".join(f"Line {n}: the tide came in while nobody was watching.\n" for n in range(80))
SEGMENTS = 400

# The real command, with two knobs a test needs: a shorter busy timeout (the real one is 10 s)
# and a file size limit set once Python has started (as `ulimit -f` would, for the command only).
RUNNER = """
import resource, sys
import annotator.store.project as project
busy_ms, file_size = int(sys.argv[1]), int(sys.argv[2])
if busy_ms:
    project.BUSY_TIMEOUT_MS = busy_ms
if file_size:
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
from annotator.cli import main
sys.exit(main(sys.argv[3:]))
"""

pytestmark = pytest.mark.slow


def annotator(*argv: str, busy_ms: int = 0, file_size: int = 0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(argv, busy_ms, file_size),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(),
        timeout=60,
    )


def _command(argv: tuple[str, ...], busy_ms: int = 0, file_size: int = 0) -> list[str]:
    return [sys.executable, "-c", RUNNER, str(busy_ms), str(file_size), *argv]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


def assert_one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("annotator: error: ") and done.stderr.count("\n") == 1, done.stderr
    for word in words:
        assert word in done.stderr


def _code(project: str, start: int, end: int, coder: str = "cli") -> tuple[str, ...]:
    span = ("--document", "1", "--start", str(start), "--end", str(end))
    return ("code", project, *span, "--code", "Calm", "--coder", coder)


def _segments_file(tmp_path: Path) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["document_id", "start", "end", "text", "code_path", "coder"])
    for n in range(SEGMENTS):
        start = n * 9
        writer.writerow([1, start, start + 6, TEXT[start : start + 6], "Imported", "importer"])
    path = tmp_path / "segments.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _new_project(location: str) -> None:
    store = create_project(location, codebook="empty")
    try:
        documents.add_document(store, ImportedDocument(title="Tide", source_format="text", text=TEXT))
        cb.add_code(store, "Calm")
        ann.apply_code(store, 1, 0, 4, 1, coders.ensure_coder(store, "earlier").id)  # earlier work
    finally:
        store.close()


# --- a long import holds the project -----------------------------------------------------------


def test_code_during_a_long_segment_import(project_target: str, backend: str, tmp_path: Path) -> None:
    """SQLite has one writer: `code` waits, then says the project is busy. PostgreSQL: it codes."""
    _new_project(project_target)
    segments = _segments_file(tmp_path)
    with Race(project_target, 1) as race:
        [importer] = race.workers
        race.start([(importer, call("import_segments_file", str(segments), pause="write"))])
        during = annotator(*_code(project_target, 3, 9), busy_ms=300)
        if backend == "sqlite":
            assert_one_line_error(during, "the project is busy", "nothing was saved")
        else:
            assert during.returncode == 0 and during.stdout.startswith("annotation "), during.stderr
        race.finish()
        assert importer.outcome is not None and importer.outcome.ok, importer.outcome
        assert importer.outcome.result["imported"] == SEGMENTS
    after = annotator(*_code(project_target, 5, 11))
    assert after.returncode == 0, after.stderr
    info = annotator("info", project_target, "--json")
    assert info.returncode == 0
    expected = 1 + SEGMENTS + 1 + (backend == "postgresql")  # earlier, import, after, during
    assert f'"annotations": {expected},' in info.stdout


def _sleeping(pid: int) -> bool:
    """Whether the process sleeps in nanosleep (SQLite's busy handler waiting for the lock)."""
    try:
        number = int(Path(f"/proc/{pid}/syscall").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return False
    return number in NANOSLEEP


NANOSLEEP = {"x86_64": {35, 230}, "aarch64": {101, 115}}.get(platform.machine(), set())


@pytest.mark.skipif(not NANOSLEEP or not Path("/proc/self/syscall").exists(), reason="needs Linux /proc")
def test_code_waits_for_a_segment_import_and_then_codes(tmp_path: Path) -> None:
    project = str(tmp_path / "waiting.annotator")
    _new_project(project)
    segments = _segments_file(tmp_path)
    with Race(project, 1) as race:
        [importer] = race.workers
        race.start([(importer, call("import_segments_file", str(segments), pause="write"))])
        waiting = subprocess.Popen(
            _command(_code(project, 3, 9)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=_env(),
        )
        try:
            deadline = time.monotonic() + 20
            while not _sleeping(waiting.pid):  # a condition, not a delay: it is waiting for the lock
                assert waiting.poll() is None, waiting.communicate()
                assert time.monotonic() < deadline, "annotator code never waited for the lock"
                time.sleep(0.01)
            race.finish()
            out, err = waiting.communicate(timeout=30)
        finally:
            if waiting.poll() is None:
                waiting.kill()
                waiting.wait()
        assert waiting.returncode == 0, err
        assert out.startswith("annotation ") and not err
        assert importer.outcome is not None and importer.outcome.ok, importer.outcome


# --- a full disk -------------------------------------------------------------------------------


@contextmanager
def _small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a small tmpfs here ({mounted.stderr.strip()}); the file size limit case runs"
        )
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError:
                continue
    return filler


def _codebook_file(tmp_path: Path) -> Path:
    out = io.StringIO(newline="")
    write_codebook_csv([CodebookRow((f"New group {n}", f"New code {n}")) for n in range(40)], out)
    path = tmp_path / "codebook.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _work_file(tmp_path: Path) -> Path:
    path = tmp_path / "long work.txt"
    path.write_text("A long work that will not fit.\n" * 20_000, encoding="utf-8")
    return path


def _contents(project: Path) -> tuple[str, dict[str, int]]:
    with closing(sqlite3.connect(project)) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "codes", "coders", "annotations")
        }
    return check, counts


@pytest.mark.parametrize("limit", ["full tmpfs", "file size limit"])
def test_a_full_disk_is_one_line_and_the_project_stays_intact(tmp_path: Path, limit: str) -> None:
    with _small_disk(tmp_path) if limit == "full tmpfs" else _folder(tmp_path / "disk") as disk:
        project = disk / "full.annotator"
        _new_project(str(project))
        check, before = _contents(project)
        assert check == "ok" and before["annotations"] == 1
        commands = {
            "code": _code(str(project), 3, 9, coder="newcomer"),
            "import": ("import", str(project), str(_work_file(tmp_path))),
            "import-codebook": ("import-codebook", str(project), str(_codebook_file(tmp_path))),
        }
        # An open reader keeps the write-ahead log at its start: each command has to grow it.
        with closing(sqlite3.connect(project)) as reader:
            reader.execute("SELECT count(*) FROM codes").fetchone()
            for name, argv in commands.items():
                if limit == "full tmpfs":
                    filler = _fill(disk)
                    done = annotator(*argv)
                    filler.unlink()
                    assert_one_line_error(done, "the disk is full", "nothing was saved")
                else:
                    done = annotator(*argv, file_size=1024)
                    assert_one_line_error(done, "could not be written", "nothing was saved")
                assert _contents(project) == ("ok", before), name
        for argv in commands.values():  # with room again, the same commands work
            assert annotator(*argv).returncode == 0
        check, after = _contents(project)
        assert check == "ok" and after["annotations"] == 2 and after["documents"] == 2


@contextmanager
def _folder(path: Path) -> Iterator[Path]:
    path.mkdir()
    yield path


# --- any database failure is one line --------------------------------------------------------------


def test_a_raw_database_error_reaching_the_command_line_is_one_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import exc

    from annotator.services import projects  # ``annotator info`` imports project_info when it runs
    from annotator.store import quick_info

    # The failures are raised where the project is opened the usual way, not by the sqlite3 read.
    monkeypatch.setattr(quick_info, "quick_project_info", lambda _target: None)

    project = str(tmp_path / "p.annotator")
    assert run("new", project, "--codebook", "empty")[0] == 0
    failures = {
        "the project is busy": exc.OperationalError("SELECT 1", {}, Exception("database is locked")),
        "could not be written": exc.OperationalError("SELECT 1", {}, Exception("disk I/O error")),
        "the database failed": exc.InvalidRequestError("this session is in 'prepared' state\nsecond line"),
    }
    for words, failure in failures.items():

        def fail(*_args: object, failure: Exception = failure) -> None:
            raise failure

        monkeypatch.setattr(projects, "project_info", fail)
        status, out, err = run("info", project)
        assert status == 1 and not out
        assert err.startswith("annotator: error: ") and err.count("\n") == 1, err
        assert words in err
