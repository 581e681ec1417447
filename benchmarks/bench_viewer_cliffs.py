"""Viewer cliffs benchmark: run-on lines of every kind opened, coded, scrolled and clicked in the app.

Not a unit test. Runs offscreen:

    python benchmarks/bench_viewer_cliffs.py [--quick] [--runs N]

An SQLite project holds one work per kind of run-on line (one line, no sentence end): Latin words
without punctuation (200k, 1M, 5M characters), one 5M-character "word" without spaces, 5M CJK
characters with CJK punctuation only, 5M CJK characters without punctuation, and the seeds' run-on
lines. Each is opened in the real main window (offscreen) the way the Documents panel opens it,
and the benchmark prints median, p95 and max over the runs of:

- first paint: from "open" to the first screen painted (``open_document`` + a completed repaint);
- coding: a span on screen selected, the "1" key pressed (apply the first code: one committed
  transaction) until the highlight is painted;
- scroll to the end: Ctrl+End (loads the rest of the text) until painted;
- a click on the text until painted.

It also prints how long splitting each whole text into display blocks takes (``display_breaks``).
Targets: first paint ≤ 100 ms, coding ≤ 16 ms.
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

from annotator.core.display import display_breaks
from annotator.core.types import ImportedDocument
from annotator.services.documents import add_document
from annotator.services.projects import create_project
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings
from annotator.ui.viewer import DocumentViewer

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
WORDS = ["quiet", "river", "stone", "lantern", "harbour", "mist", "ember", "willow", "tide"]


def latin_without_punctuation(size: int, rng: random.Random) -> str:
    out, n = [], 0
    while n < size:
        word = rng.choice(WORDS)
        out.append(word)
        n += len(word) + 1
    return " ".join(out)[:size]


def one_word(size: int) -> str:
    return ("abcdefghijklmnopqrstuvwxyz" * (size // 26 + 1))[:size]


def cjk(size: int, rng: random.Random, punctuation: bool) -> str:
    han = [chr(0x4E00 + i) for i in range(3000)]
    chars = rng.choices(han, k=size)
    if punctuation:
        for i in range(0, size, 23):
            chars[i] = "，" if i % 3 else "。"
    return "".join(chars)


def works(scale: int) -> list[tuple[str, str]]:
    rng = random.Random(11)
    seeds = " ".join(p.read_text(encoding="utf-8").replace("\n", " ") for p in sorted(SEEDS.glob("*.txt")))
    m = 1_000_000 // scale
    return [
        ("Latin words, no punctuation, 200k", latin_without_punctuation(200_000 // scale, rng)),
        ("Latin words, no punctuation, 1M", latin_without_punctuation(m, rng)),
        ("Latin words, no punctuation, 5M", latin_without_punctuation(5 * m, rng)),
        ("one 5M-character word", one_word(5 * m)),
        ("5M CJK, CJK punctuation only", cjk(5 * m, rng, True)),
        ("5M CJK, no punctuation", cjk(5 * m, rng, False)),
        ("the seeds' run-on lines", seeds),
    ]


def figures(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(samples):7.1f}  p95 {p95:7.1f}  max {max(samples):7.1f} ms"


def timed(action: Callable[[], object], viewer: DocumentViewer) -> float:
    t0 = time.perf_counter()
    action()
    viewer.viewport().repaint()
    return (time.perf_counter() - t0) * 1000


def bench(app: QApplication, window: MainWindow, label: str, text: str, doc_id: int, runs: int) -> None:
    ws = window.workspace
    assert ws is not None
    viewer = ws.pane.viewer
    t0 = time.perf_counter()
    breaks = display_breaks(text)
    split_ms = (time.perf_counter() - t0) * 1000
    print(f"\n== {label}: {len(text):,} characters, {len(breaks) + 1:,} display blocks ==")
    print(f"split into display blocks      {split_ms:7.1f} ms (whole text, once)")
    first, coding, end, click = [], [], [], []
    rng = random.Random(5)
    for _ in range(runs):
        ws.pane.close_document()
        for _ in range(3):
            app.processEvents()
        first.append(timed(lambda: ws.open_document(doc_id), viewer))
        start = rng.randrange(0, 1500)
        viewer.select_span(start, start + rng.randrange(5, 40))
        viewer.setFocus()
        coding.append(timed(lambda: QTest.keyClick(viewer, Qt.Key.Key_1), viewer))
        port = viewer.viewport()
        where = QPoint(
            port.width() // 2 + rng.randrange(-50, 50), port.height() // 3 + rng.randrange(-50, 50)
        )
        click.append(timed(partial(QTest.mouseClick, port, Qt.MouseButton.LeftButton, pos=where), viewer))
        end.append(
            timed(lambda: QTest.keyClick(viewer, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier), viewer)
        )
    print(f"open -> first paint            {figures(first)}   (target <= 100 ms)")
    print(f"code a selection -> painted    {figures(coding)}   (target <= 16 ms)")
    print(f"click on the text -> painted   {figures(click)}")
    print(f"Ctrl+End (loads all) -> painted {figures(end)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        settings = AppSettings(QSettings(str(Path(folder) / "bench.ini"), QSettings.Format.IniFormat))
        settings.set_coder_name("bench")
        store = create_project(Path(folder) / "cliffs.annotator")
        kinds = [
            (label, text, add_document(store, ImportedDocument(label, "text", text)).id)
            for label, text in works(10 if args.quick else 1)
        ]
        window = MainWindow(settings)
        window.resize(1200, 850)
        window.show()
        app.processEvents()
        assert window.open_store(store)
        for label, text, doc_id in kinds:
            bench(app, window, label, text, doc_id, args.runs)
        window.close()
        store.close()


if __name__ == "__main__":
    main()
