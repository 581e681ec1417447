"""Write the second part of a large text export in a spawned process, then append it to the first.

A million-row segments export is CPU-bound in one Python process (fetching tuples and building
lines, ~8 s). Its rows split into two contiguous key ranges, so :func:`export_in_two` lets the
calling process write the first range straight to ``out`` while one worker process writes the
second range to a temporary UTF-8 file, then appends that file to ``out``. On two cores the
wall time nearly halves; the output is byte-identical because both halves run the same line code.

The worker is started with the ``spawn`` method, never ``fork``: the GUI exports from a worker
thread of a Qt process, and forking a threaded process can deadlock the child. The job is pickled
to the worker, so it must be a module-level class with a ``write(out)`` method.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import BinaryIO, Protocol, TextIO

from annotator.services.errors import ServiceError

_COPY_CHUNK = 1 << 20  # bytes (or characters) per read when appending the worker's part
_BYTE_COPY_ENCODINGS = frozenset({"utf-8", "utf-8-sig"})


class PartWriter(Protocol):
    """A picklable job: writes its rows (no header) to ``out`` and returns how many it wrote."""

    def write(self, out: TextIO) -> int: ...


def _run_part(job: PartWriter, temp_path: str, results: Connection) -> None:
    """The worker process: write ``job`` to the temporary file and report the row count or why not."""
    try:
        with open(temp_path, "w", encoding="utf-8", newline="") as handle:
            count = job.write(handle)
        results.send(("done", count))
    except BaseException as exc:  # KeyboardInterrupt too: the parent reports it, the worker just ends
        text = str(exc).strip().splitlines()
        results.send(("failed", f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")))
    finally:
        results.close()


def temp_folder_for(out: TextIO) -> Path | None:
    """The folder of ``out`` when it is a named file (so the part lands on the same disk), else None."""
    name = getattr(out, "name", None)
    if isinstance(name, str) and name and os.path.isfile(name):
        return Path(name).resolve().parent
    return None


def _make_temp_file(folder: Path | None) -> str:
    """An empty temporary file in ``folder``, or in the system's temporary folder if that fails."""
    for candidate in (folder, None):
        try:
            fd, path = tempfile.mkstemp(prefix=".segments-part.", suffix=".tmp", dir=candidate)
        except OSError:
            if candidate is None:
                raise
            continue
        os.close(fd)
        return path
    raise AssertionError("unreachable")


def _append(temp_path: str, out: TextIO) -> None:
    """Append the worker's UTF-8 part to ``out``: as bytes when ``out`` is a plain UTF-8 file."""
    out.flush()
    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    # Bytes pass through unchanged only if ``out`` would encode to the same UTF-8 and translate
    # no "\n" (text mode on a platform whose line end is "\n" at most); otherwise go through text.
    same_bytes = (
        isinstance(encoding, str)
        and codecs.lookup(encoding).name in _BYTE_COPY_ENCODINGS
        and os.linesep == "\n"
    )
    if buffer is not None and same_bytes:
        buffer.flush()
        with open(temp_path, "rb") as part:
            if not _copy_in_kernel(part, buffer):
                shutil.copyfileobj(part, buffer, _COPY_CHUNK)
        buffer.flush()
    else:
        with open(temp_path, encoding="utf-8", newline="") as text_part:
            shutil.copyfileobj(text_part, out, _COPY_CHUNK)


def _copy_in_kernel(part: BinaryIO, target: BinaryIO) -> bool:
    """Append ``part`` to the file under ``target`` without passing it through Python (Linux
    ``copy_file_range``: ~3× faster for a few hundred MB). False, with nothing copied, where the
    kernel cannot do it; an error once some bytes were copied, so half a part never passes."""
    copy = getattr(os, "copy_file_range", None)
    try:
        if copy is None or not target.seekable():
            return False
        source_fd, target_fd = part.fileno(), target.fileno()
        size = os.fstat(source_fd).st_size
    except (OSError, ValueError, io.UnsupportedOperation):
        return False
    copied = 0
    while copied < size:
        try:
            step = copy(source_fd, target_fd, size - copied)
        except OSError:
            if copied == 0:
                return False
            raise
        if step == 0:
            if copied == 0:
                return False
            raise OSError(f"appending the export's second part stopped after {copied} of {size} bytes")
        copied += step
    target.seek(0, os.SEEK_END)  # the buffered writer learns where the file now ends
    return True


def export_in_two(
    write_first: Callable[[TextIO], int],
    second: PartWriter,
    out: TextIO,
    temp_folder: Path | None = None,
) -> int:
    """Run ``second.write`` in a spawned worker while ``write_first(out)`` runs here; append; return rows.

    ``out`` receives the first part, then the second. If the worker fails, a :class:`ServiceError`
    says why; the temporary file is removed in every case and a still-running worker is ended, so
    an exception here (KeyboardInterrupt included) leaves nothing behind.
    """
    temp_path = _make_temp_file(temp_folder)
    process = None
    receiver: Connection | None = None
    try:
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_run_part, args=(second, temp_path, sender), name="segments-export", daemon=True
        )
        process.start()
        sender.close()  # only the worker holds the sending end now, so its death ends recv()
        count = write_first(out)
        try:
            status, value = receiver.recv()
        except EOFError:
            status, value = "failed", "the worker process ended without finishing"
        process.join()
        if status != "done":
            raise ServiceError(f"the export's second worker failed: {value}")
        _append(temp_path, out)
        return count + int(value)
    finally:
        if process is not None and process.is_alive():
            process.terminate()
            process.join()
        if receiver is not None:
            receiver.close()
        with contextlib.suppress(OSError):
            os.unlink(temp_path)
