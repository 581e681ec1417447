"""Big work benchmark: a 20 MB AO3 work with ~10,600 zones, opened in the real main window.

Not a unit test. Runs offscreen:

    python benchmarks/bench_big_work.py [--megabytes N] [--runs N]

The work has 2,650 chapters (by default), each with a heading, a summary, notes, story text and
end notes, as AO3 lays a long work out: ~10,600 zones in ~20 MB. The real main window opens it
(3 coders, 3,000 annotations spread over it) and the benchmark prints, over the runs:

- open → first paint (the first screen painted with its highlights);
- open → fully loaded (every display block in the viewer, loaded in the background);
- the longest stall while it loads in the background: the largest gap between two turns of
  the event loop, measured by a 0-ms timer that records when it runs (what a key press waits);
- loading the whole text at once, for comparison.

Targets: first paint ≤ 100 ms, fully loaded ≤ 2 s, no stall over 16 ms.
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

from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert

from annotator.core import types as t
from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.services.codebook import add_code
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document
from annotator.services.projects import create_project
from annotator.store.models import Annotation, utcnow
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import AppSettings

WORDS = ["quiet", "river", "stone", "lantern", "harbour", "mist", "ember", "willow", "tide", "said"]


def figures(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(samples):7.1f}  p95 {p95:7.1f}  max {max(samples):7.1f} ms"


def ao3_work(megabytes: float, rng: random.Random) -> tuple[str, list[ZoneSpec]]:
    """A long chaptered work laid out as the AO3 importer lays it out."""
    parts: list[str] = []
    zones: list[ZoneSpec] = []
    size = 0
    chapter = 0
    per_chapter = 7_500
    target = int(megabytes * 1_000_000)

    def add(kind: str, body: str, number: int | None) -> None:
        nonlocal size
        zones.append(ZoneSpec(kind, size, size + len(body), chapter=number))
        parts.append(body + "\n\n")
        size += len(body) + 2

    while size < target:
        chapter += 1
        chapter_start = size
        add(t.ZONE_CHAPTER_HEADING, f"Chapter {chapter}: {rng.choice(WORDS).title()}", chapter)
        add(t.ZONE_CHAPTER_SUMMARY, " ".join(rng.choice(WORDS) for _ in range(30)) + ".", chapter)
        add(t.ZONE_CHAPTER_NOTES, " ".join(rng.choice(WORDS) for _ in range(20)) + ".", chapter)
        story = "\n\n".join(
            " ".join(rng.choice(WORDS) for _ in range(120)) + "." for _ in range(per_chapter // 800)
        )
        parts.append(story + "\n\n")
        size += len(story) + 2
        add(t.ZONE_CHAPTER_END_NOTES, " ".join(rng.choice(WORDS) for _ in range(15)) + ".", chapter)
        zones.append(ZoneSpec(t.ZONE_CHAPTER, chapter_start, size - 2, chapter=chapter))
    return "".join(parts), zones


class StallMeter:
    """Records the longest gap between runs of a 0-ms timer: how long input would wait."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.longest = 0.0
        self.timer = QTimer()
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.longest = 0.0
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        gap = self.clock.nsecsElapsed() / 1e6
        self.clock.restart()
        self.longest = max(self.longest, gap)

    def stop(self) -> float:
        self.timer.stop()
        return self.longest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    rng = random.Random(3)
    text, zones = ao3_work(args.megabytes, rng)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        settings = AppSettings(QSettings(str(folder / "bench.ini"), QSettings.Format.IniFormat))
        settings.set_coder_name("bench")
        store = create_project(folder / "big.annotator")
        doc_id = add_document(store, ImportedDocument("Big work", "ao3-html", text, zones=zones)).id
        coders = [ensure_coder(store, name).id for name in ("bench", "bea", "cam")]
        codes = [add_code(store, f"Code {n:02d}").id for n in range(30)]
        now, rows = utcnow(), []
        for i in range(3_000):
            start = rng.randrange(0, len(text) - 400)
            end = start + rng.randrange(5, 400)
            rows.append(
                {
                    "document_id": doc_id, "start": start, "end": end, "code_id": codes[i % 30],
                    "coder_id": coders[i % 3], "quote": text[start:end], "memo": "",
                    "created_at": now, "updated_at": now,
                }
            )  # fmt: skip
        with store.transaction() as session:
            session.execute(insert(Annotation), rows)
        window = MainWindow(settings)
        window.resize(1280, 850)
        window.show()
        app.processEvents()
        assert window.open_store(store)
        window.set_show_others(True)
        ws = window.workspace
        assert ws is not None
        viewer = ws.pane.viewer
        print(f"== a {len(text) / 1e6:.1f} M-character work, {len(zones):,} zones, 3,000 annotations ==")
        first, loaded, stalls, whole = [], [], [], []
        meter = StallMeter()
        for _ in range(args.runs):
            ws.pane.close_document()
            for _ in range(5):
                app.processEvents()
            t0 = time.perf_counter()
            ws.open_document(doc_id)
            viewer.viewport().repaint()
            first.append((time.perf_counter() - t0) * 1000)
            meter.start()
            deadline = time.perf_counter() + 120
            while not viewer.is_fully_loaded() and time.perf_counter() < deadline:
                app.processEvents()
            loaded.append((time.perf_counter() - t0) * 1000)
            stalls.append(meter.stop())
            ws.pane.close_document()
            app.processEvents()
            ws.open_document(doc_id)
            t1 = time.perf_counter()
            viewer._loader.load_all()  # the rest at once, as Ctrl+End loads it
            whole.append((time.perf_counter() - t1) * 1000)
        print(f"open -> first paint          {figures(first)}   (target <= 100 ms)")
        print(f"open -> fully loaded         {figures(loaded)}   (target <= 2,000 ms)")
        print(f"longest stall while loading  {figures(stalls)}   (target <= 16 ms)")
        print(f"the rest loaded at once      {figures(whole)}")
        window.close()
        store.close()


if __name__ == "__main__":
    main()
