"""Viewer benchmark: prints figures for the DocumentViewer against the naive QTextEdit approach.

Not a unit test. Runs offscreen:

    python benchmarks/bench_viewer.py [--quick]

(a) a ~1M-word work in paragraphs (~5.5 MB) with 100k annotations; (b) a 1 MB single-line work;
(c) the naive approach (QTextEdit + one QTextCursor.mergeCharFormat per annotation, as QualCoder
does) on the same data, measured on a slice and extrapolated linearly.
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

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTextEdit, QWidget

from annotator.core.offsets import OffsetMap
from annotator.core.types import ZoneSpec
from annotator.ui.viewer import DocumentViewer, Highlight

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
COLOURS = [QColor.fromHsv(i * 12, 200, 220).name() for i in range(30)]


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make_text(words: int, paragraphs: bool, rng: random.Random) -> str:
    vocabulary = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    pool = [*vocabulary.split(), "😀", "café", "naïve"]
    out: list[str] = []
    n = 0
    while n < words:
        size = rng.randint(40, 220) if paragraphs else words
        out.append(" ".join(rng.choices(pool, k=min(size, words - n))))
        n += size
    return ("\n" if paragraphs else " ").join(out)


def make_zones(text: str) -> list[ZoneSpec]:
    first = text.find("\n") if "\n" in text else min(len(text), 300)
    second = text.find("\n", first + 1) if "\n" in text else min(len(text), 900)
    return [
        ZoneSpec("summary", 0, first),
        ZoneSpec("notes", first + 1, second),
        ZoneSpec("story", second + 1, len(text)),
    ]


def make_highlights(length: int, count: int, rng: random.Random) -> list[Highlight]:
    """Random spans, 30 colours; lengths from a phrase to a few paragraphs; clustered starts."""
    out = []
    centres = [rng.randrange(length) for _ in range(max(1, count // 6))]
    for i in range(count):
        base = rng.choice(centres) + rng.randint(-400, 400) if i % 2 else rng.randrange(length)
        start = min(max(0, base), length - 2)
        span = max(2, min(int(rng.lognormvariate(4.6, 0.9)), 4000))
        end = min(length, start + span)
        out.append(
            Highlight(
                i + 1,
                start,
                end,
                COLOURS[i % 30],
                f"Code {i % 30}",
                f"coder{i % 3}",
                "memo" if i % 5 == 0 else "",
                dimmed=i % 3 == 2,
            )
        )
    return out


def timed(action: Callable[[], object], then_paint: QWidget | None = None) -> float:
    """Milliseconds for ``action`` (and, if given, a synchronous repaint of ``then_paint``)."""
    t0 = time.perf_counter()
    action()
    if then_paint is not None:
        then_paint.repaint()
    return (time.perf_counter() - t0) * 1000


def median_ms(samples: list[float]) -> str:
    median = statistics.median(samples)
    return f"{median:7.1f} ms (median of {len(samples)}, max {max(samples):.1f})"


def bench_viewer(app: QApplication, label: str, text: str, hs: list[Highlight]) -> dict[str, float]:
    print(f"\n== {label}: {len(text) / 1e6:.2f} M chars, {len(hs):,} annotations ==")
    print(
        f"store load of the text and zones (SQLite, not part of first paint): "
        f"{store_load_ms(text, make_zones(text)):.1f} ms"
    )
    viewer = DocumentViewer()
    viewer.resize(1000, 800)
    viewer.show()
    app.processEvents()
    rss0 = rss_mb()
    zones = make_zones(text)
    t0 = time.perf_counter()
    viewer.set_document(text, zones)
    t1 = time.perf_counter()
    viewer.set_highlights(hs)
    t2 = time.perf_counter()
    viewer.viewport().repaint()
    t3 = time.perf_counter()
    first = (t3 - t0) * 1000
    print(f"first paint (set_document + set_highlights + repaint): {first:7.1f} ms  [target ≤ 100]")
    print(
        f"   set_document {1000 * (t1 - t0):.1f} ms, set_highlights {1000 * (t2 - t1):.1f} ms,"
        f" paint {1000 * (t3 - t2):.1f} ms; shown at first paint: "
        f"{viewer.document().characterCount() / 1000:,.0f} k chars"
    )
    omap = timed(lambda: OffsetMap(text))
    print(
        f"   of which OffsetMap(text) (core/offsets.py, built once per document): {omap:.1f} ms;"
        f" without it: {first - omap:.1f} ms"
    )
    rounds = []
    t4 = time.perf_counter()
    while not viewer.is_fully_loaded():  # the rest of the text, and highlight warm-up, when idle
        rounds.append(timed(app.processEvents))
    for _ in range(10):
        rounds.append(timed(app.processEvents))
    print(
        f"rest loaded in the background: {1000 * (time.perf_counter() - t4):.0f} ms in "
        f"{len(rounds)} event-loop rounds (longest {max(rounds):.1f} ms, median "
        f"{statistics.median(rounds):.1f}); display blocks {viewer.document().blockCount():,}"
    )
    rng = random.Random(7)
    adds = []
    for k in range(20):
        start = rng.randrange(0, 1500)
        h = Highlight(10_000_000 + k, start, start + 60, COLOURS[k], "New", "me")
        adds.append(timed(partial(viewer.add_highlight, h), viewer.viewport()))
    print(f"add one highlight → painted:   {median_ms(adds)}  [target ≤ 16]")
    removes = [timed(partial(viewer.remove_highlight, 10_000_000 + k), viewer.viewport()) for k in range(20)]
    print(f"remove one highlight → painted:{median_ms(removes)}")
    bar = viewer.verticalScrollBar()
    scrolls = []
    for _ in range(50):
        scrolls.append(timed(lambda: bar.setValue(bar.value() + bar.pageStep()), viewer.viewport()))
    print(f"scroll one page + repaint:     {median_ms(scrolls)}  [target ≤ 16]")
    clicks = []
    clicked: list[int] = []
    viewer.annotationClicked.connect(clicked.append)
    for k in range(20):
        found = _point_on_highlight(viewer, k)
        if found is None:
            continue
        click = partial(QTest.mouseClick, viewer.viewport(), Qt.MouseButton.LeftButton, pos=found)
        clicks.append(timed(click, viewer.viewport()))
    if clicks:
        print(f"click → annotationClicked + repaint: {median_ms(clicks)} ({len(clicked)} clicks)")
    far = hs[len(hs) // 2]
    jump = timed(partial(viewer.scroll_to_span, far.start, far.end), viewer.viewport())
    print(f"scroll_to_span mid-document + repaint: {jump:.1f} ms")
    rss = rss_mb() - rss0
    print(f"RSS increase: {rss:+.1f} MB")
    viewer.close()
    viewer.deleteLater()
    app.processEvents()
    return {
        "first": first,
        "add": statistics.median(adds),
        "scroll": statistics.median(scrolls),
        "rss": rss,
    }


def store_load_ms(text: str, zones: list[ZoneSpec]) -> float:
    """Milliseconds to read the text and zones back from a fresh SQLite project."""
    from annotator.core.types import ImportedDocument
    from annotator.services.documents import add_document, load_document
    from annotator.services.projects import create_project

    with tempfile.TemporaryDirectory() as folder:
        store = create_project(Path(folder) / "bench.annotator", codebook="empty")
        doc_id = add_document(store, ImportedDocument("bench", "text", text, zones=zones)).id
        ms = timed(lambda: load_document(store, doc_id))
        store.close()
    return ms


def _point_on_highlight(viewer: DocumentViewer, k: int) -> QPoint | None:
    visible = viewer._visible_lines()
    if not visible.lines:
        return None
    box = visible.lines[k % len(visible.lines)]
    return QPoint(int((box.left + box.right) / 2), int(box.top + box.height / 2))


def bench_naive(
    app: QApplication, label: str, text: str, hs: list[Highlight], n: int, ours: dict[str, float]
) -> None:
    sample = hs[:n]
    print(f"\n-- naive {label}: QTextEdit + mergeCharFormat × {n:,} (of {len(hs):,}) --")
    edit = QTextEdit()
    edit.resize(1000, 800)
    edit.setReadOnly(True)
    edit.document().setUndoRedoEnabled(False)
    edit.show()
    app.processEvents()
    rss0 = rss_mb()
    load = timed(partial(edit.setPlainText, text), edit.viewport())
    print(f"load + first paint: {load:9.1f} ms")
    offsets = OffsetMap(text)

    def apply() -> None:
        cursor = QTextCursor(edit.document())
        fmt = QTextCharFormat()
        for h in sample:
            cursor.setPosition(offsets.to_utf16(h.start))
            cursor.setPosition(offsets.to_utf16(h.end), QTextCursor.MoveMode.KeepAnchor)
            fmt.setBackground(QColor(h.colour))
            cursor.mergeCharFormat(fmt)
        edit.viewport().repaint()

    applied = timed(apply)
    scale = len(hs) / n
    total = load + applied * scale
    print(
        f"apply {n:,}: {applied:9.1f} ms → extrapolated linearly to {len(hs):,}: "
        f"{applied * scale / 1000:.1f} s (measured on {n:,}, ×{scale:.0f})"
    )
    rss = rss_mb() - rss0
    print(f"RSS increase (with {n:,} formats): {rss:+.1f} MB")
    print(
        f"ratios naive/ours: first paint with all highlights {total / ours['first']:.0f}×, "
        f"memory {rss / max(ours['rss'], 0.1):.1f}× (naive memory understated: "
        f"{n:,} of {len(hs):,} formats); overlaps: naive shows only the last colour"
    )
    edit.close()
    edit.deleteLater()
    app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    words, annotations, naive_n = (200_000, 20_000, 2_000) if args.quick else (1_000_000, 100_000, 10_000)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    rng = random.Random(42)
    text = make_text(words, paragraphs=True, rng=rng)
    hs = make_highlights(len(text), annotations, rng)
    ours_a = bench_viewer(app, f"(a) {words:,} words in paragraphs", text, hs)
    one_line = make_text(200_000, False, rng)[:1_000_000]
    one_line = one_line[: one_line.rfind(" ")]
    density = max(1, int(annotations * len(one_line) / len(text)))
    hs_b = make_highlights(len(one_line), density, rng)
    ours_b = bench_viewer(app, "(b) 1 MB single line", one_line, hs_b)
    bench_naive(app, "(a)", text, hs, naive_n, ours_a)
    bench_naive(app, "(b)", one_line, hs_b, 50 if args.quick else 100, ours_b)


if __name__ == "__main__":
    main()
