"""Open benchmark: how long the whole window takes to show a project, and whether it freezes meanwhile.

Not a unit test. Runs offscreen:

    python benchmarks/bench_open.py [--quick] [--runs N] [--no-pg] [--before]

Each run opens a project through the window's real open path (``MainWindow.open_location``: the
open and the first reads in a worker, the window built from what they read) and measures, with
a 10 ms ``QTimer`` ticking on the GUI thread:

- open → shown: from the request until the workspace is shown with its first work open;
- gap while pending: the longest stretch the GUI thread was away while the open was pending
  (a frozen window shows here: it was the whole lock, or seconds on a slow server);
- gap overall: the same including building the window itself (widgets, first paint), which
  only the GUI thread can do.

Projects: the demo (five seed works, a few codings) and a large one (1,000 works with AO3-like
metadata, 200k annotations by two coders; ``--quick``: 200 works, 20k), on SQLite and, when
``ANNOTATOR_TEST_PG_URL`` is set, on PostgreSQL directly and through a loopback proxy adding
100 ms each way (200 ms per round trip, a distant server). ``--before`` also times the old path
(the open in a worker, the first reads on the GUI thread), for comparison.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert

from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.paths import seeds_dir
from annotator.services.annotations import apply_code
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document_in, import_files, list_documents
from annotator.services.projects import create_project
from annotator.store.models import Annotation, utcnow
from annotator.store.project import ProjectStore
from annotator.ui.app import create_application
from annotator.ui.main_window import MainWindow
from annotator.ui.opening import open_for_app
from annotator.ui.settings import AppSettings
from annotator.ui.workers import run_in_background
from tests.conftest import PG_URL, fresh_pg_database
from tests.latency_proxy import latency_proxy
from tests.ui.loop_clock import LoopClock

TIMEOUT = 600.0  # seconds one open may take before the benchmark gives up


def demo(location: str) -> None:
    store = create_project(location, codebook="fandom")
    try:
        import_files(store, sorted(seeds_dir().glob("*.txt")))
        first = list_documents(store)[0].id
        code = next(c for c in list_codes(store) if c.path == "Trope/Slow burn").id
        coder = ensure_coder(store, "alice").id
        for start in range(0, 400, 40):
            apply_code(store, first, start, start + 20, code, coder)
    finally:
        store.close()


def large(location: str, works: int, annotations: int) -> None:
    """``works`` seed-sized works with AO3 metadata and ``annotations`` codings by two coders."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    store = create_project(location, codebook="fandom")
    try:
        with store.transaction() as session:
            for n in range(works):
                body = f"Work {n}.\n\n{seeds[n % len(seeds)]}"
                add_document_in(
                    session,
                    ImportedDocument(
                        title=f"Work {n}",
                        source_format="text",
                        text=body,
                        source_name=f"work{n}.txt",
                        attributes={
                            "rating": [random.Random(n).choice(["General", "Teen", "Mature", "Explicit"])],
                            "fandoms": ["Star Wars", "Kylo Ren"],
                            "additional_tags": [f"tag {k}" for k in range(8)],
                        },
                        zones=[
                            ZoneSpec("title", 0, len(f"Work {n}.")),
                            ZoneSpec("story", len(f"Work {n}.") + 2, len(body)),
                        ],
                    ),
                )
        documents = [(d.id, d.length) for d in list_documents(store)]
        codes = [c.id for c in list_codes(store)]
        coders = [ensure_coder(store, name).id for name in ("alice", "bob")]
        rng, now = random.Random(11), utcnow()
        rows, seen = [], set()
        while len(rows) < annotations:
            doc, length = documents[0] if len(rows) < 2_000 else rng.choice(documents)  # a busy first work
            start = rng.randrange(0, max(1, length - 200))
            key = (doc, rng.choice(codes), rng.choice(coders), start, start + rng.randrange(5, 200))
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                dict(
                    zip(("document_id", "code_id", "coder_id", "start", "end"), key, strict=True),
                    quote="…",
                    memo="",
                    created_at=now,
                    updated_at=now,
                )
            )
        with store.transaction() as session:
            for begin in range(0, len(rows), 20_000):
                session.execute(insert(Annotation), rows[begin : begin + 20_000])
    finally:
        store.close()


def percentiles(samples: list[float]) -> str:
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[18] if len(samples) >= 2 else samples[0]
    return f"median {statistics.median(samples):7.0f}  p95 {p95:7.0f}  max {max(samples):7.0f}"


class Bench:
    def __init__(self, app: QApplication, settings: AppSettings) -> None:
        self.app = app
        self.settings = settings

    def once(self, location: str, before: bool) -> tuple[float, float, float]:
        """(open → shown, gap while pending, gap overall), in milliseconds."""
        win = MainWindow(self.settings)
        win.show()
        for _ in range(5):
            self.app.processEvents()
        shown_yet = [False]  # the old path: set once the first reads begin on this thread
        if before:
            while_pending = LoopClock(counting=lambda: not shown_yet[0])
        else:
            while_pending = LoopClock(counting=lambda: win.opening is not None)
        overall = LoopClock()
        while_pending.start()
        overall.start()
        t0 = time.perf_counter()
        if before:  # as the app did before: the open in a worker, then the first reads right here

            def show(store: ProjectStore) -> None:
                shown_yet[0] = True
                win.open_store(store)

            run_in_background(lambda _w: open_for_app(location), show, win.show_error)
        else:
            win.open_location(location)
        while win.workspace is None or win.workspace.pane.document is None:
            self.app.processEvents()
            if time.perf_counter() - t0 > TIMEOUT or win.last_error:
                raise SystemExit(f"open failed: {win.last_error or 'timed out'}")
        win.repaint()  # the first paint is part of showing it
        shown = time.perf_counter() - t0
        gaps = (while_pending.stop(), overall.stop())
        win.close()
        win.deleteLater()
        for _ in range(5):
            self.app.processEvents()
        return shown * 1000, gaps[0] * 1000, gaps[1] * 1000

    def report(self, label: str, location: str, runs: int, before: bool) -> None:
        self.once(location, before)  # warm-up: Python imports, fonts, the first widgets
        samples = [self.once(location, before) for _ in range(runs)]
        shown, pending, overall = ([s[i] for s in samples] for i in range(3))
        path = "old path " if before else ""
        print(f"{path}{label} ({runs} runs, ms)")
        print(f"  open → shown        {percentiles(shown)}")
        print(f"  gap while pending   {percentiles(pending)}")
        print(f"  gap overall         {percentiles(overall)}")


def new_locations(stack: ExitStack, folder: Path, name: str, use_pg: bool) -> list[tuple[str, str]]:
    """(backend, location) of a new, empty project called ``name`` on each backend."""
    made = [("SQLite", str(folder / f"{name}.annotator"))]
    if use_pg:
        made.append(("PostgreSQL", stack.enter_context(fresh_pg_database())))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="200 works and 20k annotations in the large project"
    )
    parser.add_argument("--runs", type=int, default=7, help="timed opens per case (3 through the slow proxy)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument(
        "--before", action="store_true", help="also time the old path (reads on the GUI thread)"
    )
    args = parser.parse_args()
    works, annotations = (200, 20_000) if args.quick else (1_000, 200_000)
    use_pg = bool(PG_URL) and not args.no_pg
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        QCoreApplication.setOrganizationName("annotator-bench")
        QCoreApplication.setApplicationName("annotator-bench")
        settings = AppSettings(QSettings(str(folder / "bench.ini"), QSettings.Format.IniFormat))
        settings.set_coder_name("alice")
        bench = Bench(app, settings)
        projects = []
        for backend, location in new_locations(stack, folder, "demo", use_pg):
            demo(location)
            projects.append((f"{backend} demo", location))
        for backend, location in new_locations(stack, folder, "large", use_pg):
            t0 = time.perf_counter()
            large(location, works, annotations)
            took = time.perf_counter() - t0
            print(f"({backend}: built {works} works, {annotations} annotations in {took:.0f} s)")
            projects.append(
                (f"{backend} large ({works} works, {annotations // 1000}k annotations)", location)
            )
        for label, location in projects:
            for before in (False, True) if args.before else (False,):
                bench.report(label, location, args.runs, before)
        if use_pg:
            for label, location in projects:
                if not label.startswith("PostgreSQL"):
                    continue
                with latency_proxy(location, delay=0.1) as (_proxy, slow):
                    for before in (False, True) if args.before else (False,):
                        bench.report(f"{label} + 200 ms round trips", slow, min(args.runs, 3), before)


if __name__ == "__main__":
    main()
