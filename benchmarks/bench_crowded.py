"""Crowded paragraph benchmark: one paragraph under 10,000 overlapping annotations, in the app.

Not a unit test. Runs offscreen:

    python benchmarks/bench_crowded.py [--annotations N] [--runs N]

A work of 30 paragraphs (~37k characters) in an SQLite project with 3 coders and 30 codes; the
first paragraph carries N overlapping annotations (default 10,000: spans of 5–300 characters,
coders and codes interleaved as coding by turns leaves them). The real main window opens the
work with every coder's annotations shown, and the benchmark prints median, p95 and max of:

- repaint of the crowded screen (a click or a hover repaints it);
- scroll: the crowded paragraph scrolled out of view and back, until painted;
- coding: a span inside the crowded paragraph selected, "1" pressed (one committed
  transaction) until the highlight is painted;
- a click inside the crowded paragraph until painted.

Target: repaint ≤ 16 ms. Past 400 visible highlights the viewer draws the first 6 lanes one by
one and shades the rest by how many overlap (the margin says how many).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert

from annotator.core.types import ImportedDocument
from annotator.services.codebook import add_code
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document
from annotator.services.projects import create_project
from annotator.store.models import Annotation, utcnow
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings

WORDS = ["quiet", "river", "stone", "lantern", "harbour", "mist", "ember", "willow", "tide"]


def figures(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(samples):6.1f}  p95 {p95:6.1f}  max {max(samples):6.1f} ms"


def make_project(folder: Path, count: int) -> tuple[object, int, int]:
    rng = random.Random(7)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(200)) + "." for _ in range(30)]
    text = "\n\n".join(paragraphs)
    store = create_project(folder / "crowded.annotator")
    doc_id = add_document(store, ImportedDocument("Crowded", "text", text)).id
    coders = [ensure_coder(store, name).id for name in ("bench", "bea", "cam")]
    codes = [add_code(store, f"Code {n:02d}").id for n in range(30)]
    now, first, rows, seen = utcnow(), len(paragraphs[0]), [], set()
    while len(rows) < count:
        start = rng.randrange(0, first - 5)
        end = min(first, start + rng.randrange(5, 300))
        key = (start, end, codes[len(rows) % 30], coders[len(rows) % 3])
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "document_id": doc_id,
                "start": start,
                "end": end,
                "code_id": key[2],
                "coder_id": key[3],
                "quote": text[start:end],
                "memo": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    with store.transaction() as session:  # type: ignore[attr-defined]
        session.execute(insert(Annotation), rows)
    return store, doc_id, first


def timed(action: Callable[[], object], window: MainWindow) -> float:
    viewer = window.workspace.pane.viewer  # type: ignore[union-attr]
    t0 = time.perf_counter()
    action()
    viewer.viewport().repaint()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        settings = AppSettings(QSettings(str(folder / "bench.ini"), QSettings.Format.IniFormat))
        settings.set_coder_name("bench")
        store, doc_id, paragraph = make_project(folder, args.annotations)
        window = MainWindow(settings)
        window.resize(1280, 850)
        window.show()
        app.processEvents()
        assert window.open_store(store)  # type: ignore[arg-type]
        window.set_show_others(True)
        ws = window.workspace
        assert ws is not None
        t0 = time.perf_counter()
        ws.open_document(doc_id)
        viewer = ws.pane.viewer
        viewer.viewport().repaint()
        opened = (time.perf_counter() - t0) * 1000
        for _ in range(20):
            app.processEvents()
        print(f"== one paragraph under {args.annotations:,} overlapping annotations (3 coders, 30 codes) ==")
        print(f"open -> first paint           {opened:7.1f} ms")
        rng = random.Random(11)
        repaint, scroll, coding, click = [], [], [], []
        bar = viewer.verticalScrollBar()
        for _ in range(args.runs):
            repaint.append(timed(lambda: None, window))

            def away_and_back() -> None:
                bar.setValue(bar.maximum())
                viewer.viewport().repaint()
                bar.setValue(0)

            scroll.append(timed(away_and_back, window))
            start = rng.randrange(0, paragraph - 40)
            viewer.select_span(start, start + rng.randrange(5, 40))
            viewer.setFocus()
            coding.append(timed(lambda: QTest.keyClick(viewer, Qt.Key.Key_1), window))
            port = viewer.viewport()
            where = QPoint(port.width() // 2 + rng.randrange(-80, 80), 40 + rng.randrange(0, 150))
            click.append(timed(partial(QTest.mouseClick, port, Qt.MouseButton.LeftButton, pos=where), window))
            app.processEvents()
        print(f"repaint (crowded screen)      {figures(repaint)}   (target <= 16 ms)")
        print(f"scroll away and back          {figures(scroll)}   (two paints)")
        print(f"code a span inside -> painted {figures(coding)}   (target <= 16 ms)")
        print(f"click inside -> painted       {figures(click)}")
        window.close()
        store.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
