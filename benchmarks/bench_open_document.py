"""Open-document benchmark: how long a researcher waits to see a big, heavily coded work.

Not a unit test. Runs offscreen:

    python benchmarks/bench_open_document.py [--quick]

An SQLite project holds (a) a ~1M-word work in paragraphs (~5.4 M characters) with 100k
annotations, 90 % by the researcher and 10 % by a colleague, and (b) a 1 MB single-line work at
the same density. Each is opened in the app's real ``DocumentPane`` (the centre of the main
window) the way a double-click in the Documents panel opens it, and the benchmark prints:

- text read: ``load_document`` alone (the text and zones from the store);
- first paint: from "open" to the first screen painted with its highlights (``open_document``
  then a completed ``viewport().repaint()``), and the same after the text was read;
- everything: until every annotation is read and indexed (the pane reads the first screen's
  annotations before the paint and the rest on the next turn of the event loop);
- for comparison, reading the same annotations the way panels and exports do
  (``list_annotations``: quotes, timestamps, one frozen object each), which the viewer used to do
  before its first paint.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_coding import Work, bulk_annotate
from bench_viewer import make_text, make_zones
from PySide6.QtWidgets import QApplication

from annotator.services.annotations import list_annotations
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import load_document
from annotator.services.highlights import highlight_rows
from annotator.services.projects import create_project
from annotator.store.project import ProjectStore
from annotator.ui.document_pane import DocumentPane
from annotator.ui.session import ProjectSession


def best_and_median(samples: list[float]) -> str:
    return f"median {statistics.median(samples):7.1f} ms (best {min(samples):6.1f})"


def open_once(app: QApplication, pane: DocumentPane, doc_id: int) -> tuple[float, float]:
    """Milliseconds from "open" to (first screen painted, every annotation read and indexed)."""
    pane.close_document()
    for _ in range(5):
        app.processEvents()
    t0 = time.perf_counter()
    pane.open_document(doc_id)
    pane.viewer.viewport().repaint()
    t1 = time.perf_counter()
    deadline = t1 + 60
    while not pane.is_fully_loaded() and time.perf_counter() < deadline:
        app.processEvents()
    t2 = time.perf_counter()
    return (t1 - t0) * 1000, (t2 - t0) * 1000


def bench(app: QApplication, store: ProjectStore, work: Work, runs: int) -> None:
    print(
        f"\n== {work.label}: {len(work.text) / 1e6:.2f} M chars, "
        f"{len(highlight_rows(store, work.doc_id)):,} annotations =="
    )
    session = ProjectSession(store, "me")
    pane = DocumentPane(session)
    pane.resize(1100, 800)
    pane.show()
    app.processEvents()
    text_ms, first, full = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        load_document(store, work.doc_id)
        text_ms.append((time.perf_counter() - t0) * 1000)
        paint, everything = open_once(app, pane, work.doc_id)
        first.append(paint)
        full.append(everything)
    lean, rich = [], []
    for _ in range(max(2, runs // 2)):
        t0 = time.perf_counter()
        highlight_rows(store, work.doc_id)
        lean.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        list_annotations(store, work.doc_id)
        rich.append((time.perf_counter() - t0) * 1000)
    after_text = [f - t for f, t in zip(first, text_ms, strict=True)]
    print(f"text read from the store       {best_and_median(text_ms)}")
    print(f"open -> first paint            {best_and_median(first)}   (target <= 100 ms after the text)")
    print(f"  of which after the text read {best_and_median(after_text)}")
    print(f"open -> all annotations shown  {best_and_median(full)}")
    print(f"annotations read, viewer rows  {best_and_median(lean)}")
    print(f"annotations read, full objects {best_and_median(rich)}   (the old open path's read)")
    pane.close()
    session.deleteLater()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size, fewer runs")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    runs = 3 if args.quick else 7
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        store = create_project(Path(folder) / "bench.annotator")
        me = ensure_coder(store, "me").id
        colleague = ensure_coder(store, "colleague").id
        codes = [c.id for c in list_codes(store)]
        rng = random.Random(7)
        big_text = make_text(1_000_000 // scale, True, rng)
        big = Work(store, "1M-word work in paragraphs", big_text, make_zones(big_text))
        line_text = make_text(200_000 // scale, False, rng)[: 1_000_000 // scale]
        line = Work(store, "1 MB single line", line_text, make_zones(line_text))
        for work in (big, line):
            count = round(100_000 / scale * len(work.text) / len(big_text))
            bulk_annotate(store, work, count * 9 // 10, me, codes)
            bulk_annotate(store, work, count // 10, colleague, codes)
        for work in (big, line):
            bench(app, store, work, runs)
        store.close()


if __name__ == "__main__":
    main()
