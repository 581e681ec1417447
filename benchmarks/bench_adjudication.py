"""Benchmark: the comparison window at realistic scale: open it, decide, undo (offscreen, real widgets).

The corpus is ``bench_agreement_store``'s (50 documents × 100,000 characters = 5M, 3 coders, 30
codes, ~300k annotations, ~70k disagreements), but its rows are inserted in a shuffled order, as
coding by several people leaves them interleaved in the table, not grouped by coder or document.
Then it times, in a real ``ComparisonWindow``:

- open: building the window (listing every disagreement, the first document, its highlights and
  lanes) until it is shown;
- decision: a click on "Accept <coder>" for the selected disagreement until the window has
  updated (the list row, the progress, the highlights, the next disagreement selected);
- undo: Ctrl+Z in the window until it has updated.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_adjudication.py [--docs 50] [--decisions 30]
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
from typing import Any

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_agreement import CODERS, synthetic_spans
from bench_agreement_store import N_CODES, _text
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.core.text import text_hash
from annotator.services.codebook import add_code
from annotator.services.coders import ensure_coder
from annotator.services.projects import create_project
from annotator.store.models import Annotation, Document
from annotator.store.project import ProjectStore
from annotator.ui.session import ProjectSession
from annotator.ui.team import ComparisonWindow


def build_project(path: Path, n_docs: int, length: int) -> tuple[ProjectStore, int]:
    store = create_project(path, codebook="empty")
    rng = random.Random(7)
    group = add_code(store, "theme")
    code_ids = {f"theme/{k:02d}": add_code(store, f"{k:02d}", group.id).id for k in range(N_CODES)}
    coder_ids = {name: ensure_coder(store, name).id for name in CODERS}
    texts = [_text(length, rng) for _ in range(n_docs)]
    with store.transaction() as session:
        doc_ids = []
        for i, text in enumerate(texts):
            doc = Document(
                title=f"Work {i}", source_format="text", text=text, text_hash=text_hash(text), length=length
            )
            session.add(doc)
            session.flush()
            doc_ids.append(doc.id)
    rows: dict[tuple[int, int, int, int, int], dict[str, Any]] = {}
    for s in synthetic_spans(n_docs, length, N_CODES, true_per_code=65):
        key = (doc_ids[s.document_id], code_ids[s.code], coder_ids[s.coder], s.start, s.end)
        rows[key] = {
            "document_id": key[0],
            "code_id": key[1],
            "coder_id": key[2],
            "start": s.start,
            "end": s.end,
            "quote": texts[s.document_id][s.start : s.end],
            "memo": "",
        }
    batch = list(rows.values())
    rng.shuffle(batch)  # interleaved, as real coding leaves them
    with store.transaction() as session:
        for begin in range(0, len(batch), 20_000):
            session.execute(insert(Annotation), batch[begin : begin + 20_000])
    return store, len(rows)


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{name:<9} n={len(times):<3} median {statistics.median(times) * 1000:8.1f} ms   "
        f"p95 {p95 * 1000:8.1f} ms   max {max(times) * 1000:8.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--length", type=int, default=100_000)
    parser.add_argument("--opens", type=int, default=3)
    parser.add_argument("--decisions", type=int, default=30)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    folder = tempfile.TemporaryDirectory()
    started = time.perf_counter()
    store, n_annotations = build_project(Path(folder.name) / "bench.annotator", args.docs, args.length)
    print(
        f"built: {args.docs} documents x {args.length:,} characters, {len(CODERS)} coders, {N_CODES} codes, "
        f"{n_annotations:,} annotations (shuffled) in {time.perf_counter() - started:.1f} s"
    )
    session = ProjectSession(store, "lead")
    opens: list[float] = []
    window: ComparisonWindow | None = None
    for _ in range(args.opens):
        if window is not None:
            window.close()
            window.deleteLater()
        t0 = time.perf_counter()
        window = ComparisonWindow(session)
        window.resize(1280, 720)
        window.show()
        app.processEvents()
        opens.append(time.perf_counter() - t0)
    assert window is not None
    print(f"disagreements: {window.book.total:,} in all documents, {window.model.rowCount():,} in the first")
    window.activateWindow()
    app.processEvents()
    decisions: list[float] = []
    undos: list[float] = []
    window.select_row(0)
    for _ in range(args.decisions):
        item = window.panel.item
        assert item is not None
        coder = next(iter(window.panel.coder_buttons))
        t0 = time.perf_counter()
        QTest.mouseClick(window.panel.coder_buttons[coder], Qt.MouseButton.LeftButton)
        app.processEvents()
        decisions.append(time.perf_counter() - t0)
    for _ in range(args.decisions):
        t0 = time.perf_counter()
        QTest.keyClick(window.disagreements, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        app.processEvents()
        undos.append(time.perf_counter() - t0)
    assert window.book.resolved == 0, window.book.resolved
    report("open", opens)
    report("decision", decisions)
    report("undo", undos)
    window.close()
    session.close()
    folder.cleanup()


if __name__ == "__main__":
    main()
