"""The segments export's second process, and the turns in which the two write one file.

A million-row export is CPU-bound in Python (reading tuples, building lines), so on two cores a
second process formats half the rows. The rows are cut into blocks in file order; this process
(the exporter) formats the even blocks, the worker the odd ones, each while the other writes.
They take turns at the file: the exporter sends the worker the offset where its block goes,
the worker writes it there (``pwrite`` on the exporter's own descriptor, passed at start) and
answers with the offset after it. Nothing else is written anywhere: no part files, so nothing
to clean up, and the file fills in order as it would from one process.

Both read one snapshot (:mod:`annotator.store.shared_snapshot`): the worker connects, the
exporter holds off commits while both begin reading, and from then on each sees the same rows.

The worker never decides anything. If it cannot start, join or finish, the exporter writes its
blocks itself (cutting off any half-written block first): the file is the same either way. When
the exporter ends, normally or not (even killed), the worker's input closes and it exits; it
holds no file of its own. Run as ``python -m annotator.services.segment_export_worker``; it
imports neither SQLAlchemy nor the rest of the services, so it is ready in ~0.1 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from annotator.core.errors import one_line
from annotator.io.csv_segment_lines import SegmentLines
from annotator.store.raw_rows import utf8_reading
from annotator.store.shared_snapshot import ReaderTicket, join, open_reader

_SYNC_DATA = getattr(os, "fdatasync", os.fsync)
_BUSY_TIMEOUT = 10.0  # seconds the worker's SQLite connection waits for a lock (it takes none)
Block = tuple[list[bytes], int]
"""A block's lines as UTF-8 chunks, and how many lines."""


@dataclass(frozen=True)
class WorkerJob:
    """What the worker formats: the SQL of its blocks, in file order, and the line builder."""

    lines: SegmentLines
    blocks: Sequence[str]
    batch_size: int
    descriptor: int


def format_block(lines: SegmentLines, rows: Any) -> Block:
    """The lines of one block's row batches (a generator, closed here whatever happens)."""
    chunks: list[bytes] = []
    count = 0
    with closing(rows):
        for chunk, made in lines.chunks(rows):
            chunks.append(chunk)
            count += made
    return chunks, count


def write_at(descriptor: int, chunks: Sequence[bytes], offset: int) -> int:
    """Write ``chunks`` one after another from ``offset``; return the offset after them."""
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            written = os.pwrite(descriptor, view, offset)
            offset += written
            view = view[written:]
    return offset


class ExportWorker:
    """The exporter's handle on a running worker process. Every wait is bounded or ends with the
    process; a method that finds the worker failed or gone returns None or False."""

    def __init__(self, process: subprocess.Popen[bytes], requests: Connection, answers: Connection) -> None:
        self._process = process
        self._requests = requests
        self._answers = answers

    @classmethod
    def start(cls, ticket: ReaderTicket, descriptor: int) -> ExportWorker:
        """Start a worker that may write to ``descriptor`` and have it connect to the project."""
        package_root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
        process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            pass_fds=(descriptor,),
            env={**os.environ, "PYTHONPATH": path},
        )
        assert process.stdin is not None and process.stdout is not None
        # The pipes as message connections; the file objects let go of their descriptors.
        requests = Connection(os.dup(process.stdin.fileno()), readable=False)
        answers = Connection(os.dup(process.stdout.fileno()), writable=False)
        process.stdin.close()
        process.stdout.close()
        worker = cls(process, requests, answers)
        worker._send("connect", ticket)
        return worker

    def _send(self, *message: Any) -> bool:
        try:
            self._requests.send(message)
        except OSError:  # the worker is gone (a broken pipe)
            return False
        return True

    def _answer(self, expected: str, timeout: float | None) -> tuple[Any, ...] | None:
        try:
            if timeout is not None and not self._answers.poll(timeout):
                return None
            answer = self._answers.recv()
        except (EOFError, OSError):
            return None
        return answer if answer[0] == expected else None

    def ready(self, timeout: float) -> bool:
        """Whether the worker has started and connected within ``timeout`` seconds."""
        return self._answer("ready", timeout) is not None

    def join(self, snapshot: str, timeout: float) -> bool:
        """Have the worker begin reading in the exporter's snapshot; whether it did."""
        return self._send("begin", snapshot) and self._answer("begun", timeout) is not None

    def give(self, job: WorkerJob) -> bool:
        return self._send("job", job)

    def turn(self, offset: int) -> bool:
        """Let the worker write its next block at ``offset``."""
        return self._send("turn", offset)

    def written(self) -> tuple[int, int] | None:
        """Wait for the worker's block: (the offset after it, its line count), or None if it failed."""
        answer = self._answer("wrote", None)
        return None if answer is None else (answer[1], answer[2])

    def stop(self) -> None:
        """Close the pipes (so the worker exits) and wait for it; kill it if it does not end soon."""
        self._requests.close()
        self._answers.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class _BackgroundSync:
    """Flushes the file to the disk from a thread every ``every`` bytes written, so the writer's
    final ``fsync`` (see :mod:`annotator.io.atomic`) waits for the last part only."""

    def __init__(self, descriptor: int, every: int = 64 << 20) -> None:
        self._descriptor, self._every, self._unsynced = descriptor, every, 0
        self._due = threading.Semaphore(0)
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="segments-sync", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            self._due.acquire()
            if self._stopping:
                return
            try:
                _SYNC_DATA(self._descriptor)
            except OSError:
                return  # e.g. not a disk file; the final fsync reports a real failure

    def wrote(self, size: int) -> None:
        self._unsynced += size
        if self._unsynced >= self._every:
            self._unsynced = 0
            self._due.release()

    def close(self) -> None:
        self._stopping = True
        self._due.release()
        self._thread.join()


class TurnWriter:
    """Writes the blocks into ``descriptor`` from ``offset`` on, in order: the even ones formatted
    here by ``format_here(sql)``, the odd ones by the worker (all of them here without one)."""

    def __init__(
        self,
        blocks: Sequence[str],
        format_here: Callable[[str], Block],
        worker: ExportWorker | None,
        descriptor: int,
        offset: int,
    ) -> None:
        self.blocks, self.format_here, self.worker = blocks, format_here, worker
        self.descriptor, self.offset = descriptor, offset
        self.count = 0
        self.by_worker = 0  # blocks the worker wrote
        self._pending: int | None = None  # the block the worker is writing, if any
        self._sync = _BackgroundSync(descriptor)

    def run(self) -> int:
        """Write every block; return the number of lines."""
        try:
            for index, sql in enumerate(self.blocks):
                if self.worker is not None and index % 2 == 1:
                    self._settle()
                    if self.worker is not None and self.worker.turn(self.offset):
                        self._pending = index
                        continue
                    self._give_up()
                # Formatted while the worker writes its block; written once that has landed.
                chunks, lines = self.format_here(sql)
                self._settle()
                self._write(chunks, lines)
            self._settle()
        finally:
            self._sync.close()
        return self.count

    def _write(self, chunks: Sequence[bytes], lines: int) -> None:
        end = write_at(self.descriptor, chunks, self.offset)
        self._sync.wrote(end - self.offset)
        self.offset, self.count = end, self.count + lines

    def _settle(self) -> None:
        """Wait for the worker's pending block; write it here if the worker failed."""
        if self._pending is None:
            return
        index, self._pending = self._pending, None
        assert self.worker is not None
        done = self.worker.written()
        if done is not None:
            self._sync.wrote(done[0] - self.offset)
            self.offset, self.count = done[0], self.count + done[1]
            self.by_worker += 1
            return
        self._give_up()
        os.ftruncate(self.descriptor, self.offset)  # whatever part of its block it wrote
        self._write(*self.format_here(self.blocks[index]))

    def _give_up(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None


# --- the worker process ---------------------------------------------------------------------


def _serve(requests: Connection, answers: Connection) -> None:
    _, ticket = requests.recv()
    connection = open_reader(ticket, _BUSY_TIMEOUT)
    answers.send(("ready",))
    _, snapshot = requests.recv()
    join(connection, ticket, snapshot)
    answers.send(("begun",))
    _, job = requests.recv()
    with utf8_reading(connection, ticket.backend, job.batch_size) as batches:
        for sql in job.blocks:
            chunks, lines = format_block(job.lines, batches(sql))
            _, offset = requests.recv()
            answers.send(("wrote", write_at(job.descriptor, chunks, offset), lines))
    requests.recv()  # the exporter closes the pipe when it is done: EOFError


def main() -> int:
    requests = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # a stray print goes to the error stream, never into the answers
    try:
        _serve(requests, answers)
    except EOFError:
        return 0  # the exporter finished, gave up on this worker, or ended
    except BaseException as exc:  # told to the exporter, which then writes these blocks itself
        with suppress(OSError):
            answers.send(("failed", f"{type(exc).__name__}: {one_line(exc)}"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
