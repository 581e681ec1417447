"""Benchmark: the review queue of an updated work with 1,000 pending reviews (offscreen, real widgets).

A work of numbered sentences (padded with uncoded paragraphs to ``--chars``) is coded: 1,000
sentences, each by one of two coders with one of five codes. The re-download edits a word in
800 of them (changed) and deletes 200 (orphaned), and is applied with ``update_document``.
Then, in a real ``ReviewWindow`` on a real ``ProjectSession``:

- open: building the window (the queue, both texts, the first review shown) until it is shown;
- decision: the A key (accept) or D key (drop) on the current review until the window has
  updated (the list row, the progress, the report counts, the next review shown);
- undo: Ctrl+Z in the window until it has updated.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_review_queue.py [--chars 5000000] [--decisions 40]
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert

from annotator.core.types import ImportedDocument
from annotator.services.codebook import add_code
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document
from annotator.services.projects import create_project
from annotator.services.work_updates import update_document
from annotator.store.models import Annotation
from annotator.store.project import ProjectStore
from annotator.ui.session import ProjectSession
from annotator.ui.updates.review_window import ReviewWindow

CODED, DELETED = 1000, 200
WORDS = ["rain", "stars", "ship", "letter", "garden", "sword", "river", "lamp", "door", "winter"]


def sentences(rng: random.Random, count: int) -> list[str]:
    return [
        f"Sentence {i} tells of the {rng.choice(WORDS)} and the {rng.choice(WORDS)} by the "
        f"{rng.choice(WORDS)}."
        for i in range(count)
    ]


def build(path: Path, chars: int) -> tuple[ProjectStore, int, Path]:
    rng = random.Random(11)
    store = create_project(path, codebook="empty")
    group = add_code(store, "theme")
    codes = [add_code(store, f"code {k}", group.id).id for k in range(5)]
    coders = [ensure_coder(store, name).id for name in ("alice", "bob")]
    coded = sentences(rng, CODED)
    filler_line = "An uncoded paragraph of the story goes on about the weather and the road. " * 8
    fillers = max(0, (chars - sum(map(len, coded))) // len(filler_line))  # uncoded paragraphs in all
    parts: list[tuple[str, bool]] = []  # (paragraph, coded)
    for index, sentence in enumerate(coded):
        parts.append((sentence, True))
        count = (index + 1) * fillers // CODED - index * fillers // CODED
        parts.extend([(filler_line.strip(), False)] * count)
    old = "\n".join(part for part, _coded in parts)
    doc = add_document(store, ImportedDocument("The long work", "text", old, source_name="long.txt"))
    rows, at = [], 0
    for index, (part, is_coded) in enumerate(parts):
        if is_coded:
            rows.append(
                {
                    "document_id": doc.id,
                    "start": at,
                    "end": at + len(part),
                    "code_id": codes[index % len(codes)],
                    "coder_id": coders[index % 2],
                    "memo": "",
                    "quote": part,
                }
            )
        at += len(part) + 1
    with store.transaction() as session:
        session.execute(insert(Annotation), rows)
    gone = set(rng.sample(range(CODED), DELETED))
    edited_parts = []
    for part, is_coded in parts:
        if is_coded:
            if int(part.split()[1]) in gone:
                continue
            part = part.replace(" tells of ", " speaks of ")
        edited_parts.append(part)
    new_path = path.parent / "long-v2.txt"
    new_path.write_text("\n".join(edited_parts), encoding="utf-8")
    return store, doc.id, new_path


def timed(action: object, window: ReviewWindow) -> float:
    app = QApplication.instance()
    assert app is not None
    start = time.perf_counter()
    action()  # type: ignore[operator]
    app.processEvents()
    return (time.perf_counter() - start) * 1000


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(values)
    return (
        f"{name:<10} n={len(values):<3} median {median:7.1f} ms  p95 {p95:7.1f} ms  max {max(values):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000, help="length of the work (code points)")
    parser.add_argument("--decisions", type=int, default=40)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        store, document_id, new_path = build(Path(folder) / "bench.annotator", args.chars)
        started = time.perf_counter()
        report = update_document(store, new_path, document_id=document_id)
        update_ms = (time.perf_counter() - started) * 1000
        print(f"work: {len(new_path.read_text()):,} characters; update {update_ms:.0f} ms; {report.counts}")
        session = ProjectSession(store, "alice")
        started = time.perf_counter()
        window = ReviewWindow(session, document_id)
        window.show()
        app.processEvents()
        open_ms = (time.perf_counter() - started) * 1000
        print(f"open: {open_ms:.0f} ms for {window.model.rowCount():,} reviews")
        decisions, undos = [], []
        for step in range(args.decisions):
            item = window.current()
            key = Qt.Key.Key_A if item is not None and item.kind == "changed" else Qt.Key.Key_D
            if step % 5 == 4:
                key = Qt.Key.Key_D
            decisions.append(timed(lambda key=key: QTest.keyClick(window, key), window))
        for _ in range(min(10, args.decisions)):
            undos.append(
                timed(
                    lambda: QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier), window
                )
            )
        print(window.progress.text())
        print(summary("decision", decisions))
        print(summary("undo", undos))
        window.close()
        session.close()


if __name__ == "__main__":
    main()
