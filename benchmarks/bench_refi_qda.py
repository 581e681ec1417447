"""Benchmark: REFI-QDA import (read, detect the position convention, store) and export.

Two inputs: the real NVivo 12.6 export in ``../shared/refi-qda/samples`` (one 635k-character
source, 97 codings), when present, and a synthetic NVivo-shaped project (CRLF text with a BOM,
emoji, UTF-16 positions) of ``--codings`` codings over ``--megabytes`` of text. Each run imports
into a new SQLite project, exports it, imports that export into another new project (annotator's
own round trip), imports the first file again (every source and coding already there), and undoes
and redoes the first import. Prints median, p95 and max of the whole run, and each step. Run:

    python benchmarks/bench_refi_qda.py [--repeat 5] [--megabytes 2] [--codings 20000]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.text import normalise_text
from annotator.io.refi_qda.positions import export_offsets
from annotator.services.projects import create_project
from annotator.services.refi_qda_export import export_qdpx
from annotator.services.refi_qda_import import import_qdpx
from annotator.services.refi_qda_undo import ImportedQdpx
from tests.io.refi_builders import nvivo_project, selection

REAL = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "refi-qda"
    / "samples"
    / "nvivo-win-12.6-oltas.qdpx"
)


def synthetic(megabytes: float, codings: int) -> bytes:
    # Varied words, as real comments are: repeated lines would compress like a zip bomb and be refused.
    words = [
        "na",
        "mi",
        "van",
        "nem",
        "mertétek",
        "kötelezővé",
        "tenni",
        "😀",
        "harminc",
        "centis",
        "pengével",
        "egyből",
        "oltást",
    ]
    pick = random.Random(7)
    lines, size = [], 0
    while size < megabytes * 2**20:
        line = " ".join(pick.choice(words) + str(pick.randrange(1000)) for _ in range(12)) + ".\r\n"
        lines.append(line)
        size += len(line.encode())
    raw = "".join(lines)
    text = normalise_text(raw)
    units = export_offsets(text, utf16=True, crlf=True)
    starts = [i for i in range(1, len(text)) if text[i - 1] == " " and text[i].isalpha()]
    step = max(1, len(starts) // codings)
    chosen = starts[::step][:codings]
    ends = [text.find(" ", s) for s in chosen]  # whole words, as coders select them
    selections = "".join(selection(units[s], units[e]) for s, e in zip(chosen, ends, strict=True) if e > s)
    return nvivo_project(raw, selections)


def timed(label: str, repeat: int, run: Callable[[Path], None]) -> None:
    times = []
    for number in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            run(Path(folder) / f"p{number}.annotator")
            times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{label}: median {statistics.median(times):.3f} s, p95 {p95:.3f} s, max {times[-1]:.3f} s")


def import_and_export(data: bytes, name: str) -> Callable[[Path], None]:
    def run(location: Path) -> None:
        store = create_project(location, codebook="empty")
        again = create_project(location.with_name("again.annotator"), codebook="empty")
        try:
            steps = [time.perf_counter()]
            report = import_qdpx(store, data, name)
            steps.append(time.perf_counter())
            out = io.BytesIO()
            export_qdpx(store, out)
            steps.append(time.perf_counter())
            import_qdpx(again, out.getvalue(), "export.qdpx")
            steps.append(time.perf_counter())
            repeated = import_qdpx(store, data, name)
            steps.append(time.perf_counter())
            command = ImportedQdpx(store, report)
            command.revert()
            steps.append(time.perf_counter())
            command.apply()
            steps.append(time.perf_counter())
            labels = ("import", "export", "re-import of the export", "same file again", "undo", "redo")
            timings = ", ".join(
                f"{label} {b - a:.3f} s" for label, a, b in zip(labels, steps, steps[1:], strict=False)
            )
            print(f"  {report.annotations} codings ({repeated.duplicate_codings} again), {timings}")
        finally:
            store.close()
            again.close()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--codings", type=int, default=20_000)
    args = parser.parse_args()
    if REAL.exists():
        timed("real NVivo sample, whole run", args.repeat, import_and_export(REAL.read_bytes(), REAL.name))
    data = synthetic(args.megabytes, args.codings)
    timed(
        f"synthetic {args.megabytes} MB, {args.codings} codings, whole run",
        args.repeat,
        import_and_export(data, "synthetic.qdpx"),
    )


if __name__ == "__main__":
    main()
