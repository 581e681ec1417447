"""Start-up as a user meets it: whole processes, timed from spawn to exit (or to first paint).

Measured in one run, several times each (median, p95, max; the machine is shared, so look at
the median and rerun when the max is far off):

- ``python -c pass``: the interpreter alone, the floor for any command;
- ``annotator --version`` and ``annotator info DEMO``;
- the app to first paint: ``annotator gui DEMO`` with ``ANNOTATOR_EXIT_AFTER_FIRST_PAINT`` set,
  which prints the wall-clock time the viewer first painted the document's text and quits. On a
  project file the app's first screen (``annotator.ui.first_screen``) paints first: the start of
  the very work the main window opens, read with ``sqlite3``, in the viewer's place and font,
  before SQLAlchemy and numpy are imported; the hook counts that viewer's paint by its class
  (``FirstScreenViewer``) and quits before the main window is built, so this case's CPU time no
  longer includes opening the project (a ``--before`` copy older than the first screen still
  counts the main window's viewer, and its CPU time does);
- the app to the main window's own first paint of the work (``ANNOTATOR_EXIT_AFTER_FIRST_PAINT``
  set to ``main-window``): the project open, every panel built, the work codable;
- a plain ``QPlainTextEdit`` showing the same text, to first paint (what Qt alone costs);
- ``annotator code DEMO --from-csv FILE`` with many rows: codings applied per second.

With ``--before DIR`` (a folder holding another copy of the ``annotator`` package, e.g. the tree
before a change: ``git worktree add DIR REV`` or a copy of ``annotator/``), the three annotator
cases run with that copy too (``PYTHONPATH=DIR``), interleaved with the others, so a before/after
comparison meets the same load.

Each case is also reported as the CPU time (user + system, every thread) its processes used:
when other jobs load the machine, wall times stretch with the queue for the cores while CPU time
stays close to what the start-up itself costs, so compare CPU times on a shared machine.

Byte-compile first (``python -m compileall -q annotator``, and the same in DIR) and do not set
``PYTHONDONTWRITEBYTECODE``: otherwise every run compiles every module again, which is not what
a user's installed copy does.

Usage: ``python benchmarks/bench_startup.py [--runs N] [--rows N] [--before DIR]``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.codebook import join_path

PLAIN_EDITOR = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched is editor.viewport():
            painted = time.time()
            QTimer.singleShot(0, lambda: (print(f"first-paint {painted:.6f}", flush=True), app.quit()))
        return False

app = QApplication(sys.argv[:1])
editor = QPlainTextEdit()
editor.setReadOnly(True)
editor.setPlainText(open(sys.argv[1], encoding="utf-8").read())
watcher = FirstPaint()
editor.viewport().installEventFilter(watcher)
editor.resize(1200, 800)
editor.show()
app.exec()
"""


def summary(name: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"{name:<44} median {statistics.median(ordered) * 1000:7.0f} ms   "
        f"p95 {p95 * 1000:7.0f} ms   max {ordered[-1] * 1000:7.0f} ms   (n={len(ordered)})"
    )


def children_cpu_seconds() -> float:
    """User + system CPU time of every child process waited for so far (all their threads)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_process(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300
    )
    return time.perf_counter() - started


def to_first_paint(argv: list[str], env: dict[str, str]) -> float:
    started = time.time()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, check=False)
    marks = [line for line in done.stdout.splitlines() if line.startswith("first-paint ")]
    if not marks:
        raise RuntimeError(f"no first paint from {argv}: {done.stderr[-500:]}")
    return float(marks[-1].split()[1]) - started


def make_demo(folder: Path, env: dict[str, str]) -> Path:
    project = folder / "demo.annotator"
    annotator = [sys.executable, "-m", "annotator"]
    subprocess.run([*annotator, "demo", str(project), "--no-gui"], env=env, check=True, capture_output=True)
    return project


def first_text(project: Path, folder: Path) -> Path:
    """The text the app shows first (the first document), for the plain editor to hold."""
    with sqlite3.connect(project) as connection:
        (text,) = connection.execute("SELECT text FROM documents ORDER BY id LIMIT 1").fetchone()
    path = folder / "first.txt"
    path.write_text(text, encoding="utf-8")
    return path


def codings_csv(project: Path, folder: Path, rows: int) -> Path:
    """``rows`` codings spread over the demo's works, 3 coders, several codes, interleaved."""
    with sqlite3.connect(project) as connection:
        lengths = connection.execute("SELECT id, length(text) FROM documents").fetchall()
        codes = connection.execute("SELECT id, name, parent_id FROM codes").fetchall()
    names = {code_id: (name, parent) for code_id, name, parent in codes}

    def path_of(code_id: int) -> list[str]:
        name, parent = names[code_id]
        return [name] if parent is None else [*path_of(parent), name]

    parents = {parent for _, _, parent in codes}
    leaves = [join_path(path_of(code_id)) for code_id, _, _ in codes if code_id not in parents]
    leaves = [leaf for leaf in leaves if "," not in leaf and '"' not in leaf][:20]
    rng = random.Random(15)
    path = folder / "codings.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("document,start,end,code,coder,memo\n")
        for _ in range(rows):
            document, length = rng.choice(lengths)
            start = rng.randrange(0, max(1, length - 200))
            end = start + rng.randint(1, 200)
            out.write(
                f"{document},{start},{min(end, length)},{rng.choice(leaves)},coder {rng.randint(1, 3)},\n"
            )
    return path


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=7)
    options.add_argument("--rows", type=int, default=50_000)
    options.add_argument("--before", type=Path, metavar="DIR", help="another copy of the package to compare")
    args = options.parse_args()
    if args.before is not None:
        args.before = args.before.resolve()  # before the chdir below
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        # ``python -m`` puts the working directory first on sys.path: run from here, so that a
        # checkout in the working directory does not shadow the package under test (or --before's).
        os.chdir(folder)
        config = folder / "config"
        (config / "annotator").mkdir(parents=True)
        # A coder already chosen, so the app opens straight on the project (no first-run question).
        (config / "annotator" / "Annotator.conf").write_text(
            "[General]\ncoder_name=bench\n", encoding="utf-8"
        )
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config)}
        project = make_demo(folder, env)
        text = first_text(project, folder)
        python, annotator = [sys.executable], [sys.executable, "-m", "annotator"]
        print(f"demo project: {project} (first work {len(text.read_text(encoding='utf-8')):,} characters)")
        timed = {
            "python -c pass": lambda: whole_process([*python, "-c", "pass"], env),
            "annotator --version": lambda: whole_process([*annotator, "--version"], env),
            "annotator info DEMO": lambda: whole_process([*annotator, "info", str(project)], env),
            "app to first paint (annotator gui DEMO)": lambda: to_first_paint(
                [*annotator, "gui", str(project)], {**env, "ANNOTATOR_EXIT_AFTER_FIRST_PAINT": "1"}
            ),
            "app to the main window's paint (codable)": lambda: to_first_paint(
                [*annotator, "gui", str(project)], {**env, "ANNOTATOR_EXIT_AFTER_FIRST_PAINT": "main-window"}
            ),
            "plain QPlainTextEdit to first paint": lambda: to_first_paint(
                [*python, "-c", PLAIN_EDITOR, str(text)], env
            ),
        }
        if args.before is not None:
            before = {**env, "PYTHONPATH": str(args.before)}
            probe = [*python, "-c", "import annotator; print(annotator.__file__)"]
            where = subprocess.run(probe, env=before, capture_output=True, text=True, check=True).stdout
            if not Path(where.strip()).is_relative_to(args.before):
                raise SystemExit(f"--before {args.before}: the copy there is not the one imported ({where})")
            timed |= {
                "annotator --version (before)": lambda: whole_process([*annotator, "--version"], before),
                "annotator info DEMO (before)": lambda: whole_process(
                    [*annotator, "info", str(project)], before
                ),
                "app to first paint (before)": lambda: to_first_paint(
                    [*annotator, "gui", str(project)], {**before, "ANNOTATOR_EXIT_AFTER_FIRST_PAINT": "1"}
                ),
            }
        results: dict[str, list[float]] = {name: [] for name in timed}
        cpu: dict[str, list[float]] = {name: [] for name in timed}
        for _ in range(args.runs):  # interleaved, so a burst of load hits every case alike
            for name, measure in timed.items():
                cpu_before = children_cpu_seconds()
                results[name].append(measure())
                cpu[name].append(children_cpu_seconds() - cpu_before)
        print("wall time, from spawn:")
        for name, walls in results.items():
            print(summary(name, walls))
        print("CPU time of the same processes (user + system), to their exit:")
        for name, cpus in cpu.items():
            print(summary(name, cpus))

        csv_path = codings_csv(project, folder, args.rows)
        rates = []
        for run in range(3):
            copy = folder / f"coded{run}.annotator"
            copy.write_bytes(project.read_bytes())
            seconds = whole_process([*annotator, "code", str(copy), "--from-csv", str(csv_path)], env)
            rates.append(args.rows / seconds)
        print(
            f"annotator code --from-csv, {args.rows:,} rows (whole process): "
            f"median {statistics.median(rates):,.0f} rows/s, min {min(rates):,.0f}, max {max(rates):,.0f}"
        )


if __name__ == "__main__":
    main()
