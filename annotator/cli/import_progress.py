"""``annotator import``: one transaction per file, a throttled progress line, each refusal by name.

A folder of a thousand downloads takes minutes; the researcher sees how far it got
("imported 250/1000 (3 refused) …", at most every two seconds, on stderr), a ``failed:`` line
the moment a file is refused, notes on files read in a guessed encoding or repaired, and at the
end the counts (stdout, as scripts read them) and the time per file (stderr). A broken file
never stops the rest; a file stored is stored for good, even if the import is interrupted.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from annotator.cli.terminal import safe
from annotator.io.file_selection import FileSelection
from annotator.services.documents import ImportReport, import_files
from annotator.store.notify import announce
from annotator.store.project import ProjectStore

PROGRESS_FROM = 10  # files; shorter imports finish before progress lines would help
PROGRESS_EVERY = 2.0  # seconds between progress lines


@dataclass
class _Tally:
    """What the import did so far, and how long each file took (seconds, by file name)."""

    report: ImportReport = field(default_factory=ImportReport)
    timings: list[tuple[float, str]] = field(default_factory=list)
    refused: int = 0


def import_selection(
    store: ProjectStore,
    selection: FileSelection,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> int:
    """Import the selected files and print as it goes; the exit status (1 if any file failed)."""
    out, err = out or sys.stdout, err or sys.stderr
    for _item, message in selection.problems:
        print(f"failed: {safe(message)}", file=err, flush=True)
    files, tally = selection.files, _Tally(refused=len(selection.problems))
    total, started = len(files), clock()
    shown = started
    try:
        for done, path in enumerate(files, start=1):
            before = clock()
            one = import_files(store, [path])
            tally.timings.append((clock() - before, path.name))
            _add(tally, one, out, err)
            now = clock()
            if total >= PROGRESS_FROM and (now - shown >= PROGRESS_EVERY or done == total):
                shown = now
                print(f"imported {done}/{total} ({tally.refused} refused) …", file=err, flush=True)
    finally:
        if tally.report.imported:
            announce(store, tally.report.change.to_payload())
    report = tally.report
    skipped = len(report.duplicates)
    print(
        f"imported {len(report.imported)}, skipped {skipped} duplicate{'' if skipped == 1 else 's'}, "
        f"failed {tally.refused}",
        file=out,
    )
    if total >= PROGRESS_FROM:
        print(timing_line(tally.timings, clock() - started), file=err)
    return 1 if tally.refused else 0


def _add(tally: _Tally, one: ImportReport, out: TextIO, err: TextIO) -> None:
    report = tally.report
    report.imported.extend(one.imported)
    report.duplicates.extend(one.duplicates)
    report.failed.extend(one.failed)
    report.notes.extend(one.notes)
    tally.refused += len(one.failed)
    for _path, message in one.failed:
        print(f"failed: {safe(message)}", file=err, flush=True)
    for path, existing in one.duplicates:
        print(f"skipped {safe(Path(path).name)}: same text as document {existing}", file=out)
    for path, note in one.notes:
        print(f"note: {safe(Path(path).name)}: {safe(note)}", file=out)


def timing_line(timings: list[tuple[float, str]], elapsed: float) -> str:
    """E.g. "1,000 files in 52.1 s: 52 ms per file (median 31 ms, p95 140 ms, slowest 1.9 s: big.html)"."""
    if not timings:
        return f"0 files in {elapsed:.1f} s"
    seconds = sorted(taken for taken, _name in timings)
    slowest, name = max(timings)
    p95 = seconds[min(len(seconds) - 1, math.ceil(0.95 * len(seconds)) - 1)]
    return (
        f"{len(timings):,} files in {elapsed:.1f} s: {_duration(elapsed / len(timings))} per file "
        f"(median {_duration(statistics.median(seconds))}, p95 {_duration(p95)}, "
        f"slowest {_duration(slowest)}: {safe(name)})"
    )


def _duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"
