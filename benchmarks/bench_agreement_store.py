"""Benchmark: the agreement service end to end on an SQLite project (load spans + κ all pairs + αU).

The corpus is ``bench_agreement``'s synthetic one (50 documents × 100,000 characters = 5M, 3
coders, 30 codes, ~300k annotations), stored in a real project: documents of random words, the
codes under one group, annotations bulk-inserted. Then it times what ``annotator agreement``
does: resolve the selection, read the spans from the database, compute. Run:

    python benchmarks/bench_agreement_store.py [--docs 50] [--length 100000] [--keep FILE]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agreement import CODERS, synthetic_spans

from annotator.core.text import text_hash
from annotator.services.adjudication import list_disagreements
from annotator.services.agreement import TeamFilter, measure_agreement
from annotator.services.codebook import add_code
from annotator.services.coders import ensure_coder
from annotator.services.projects import create_project
from annotator.services.team_scope import load_spans, resolve_scope
from annotator.store.models import Annotation, Document
from annotator.store.project import ProjectStore

N_CODES = 30
WORDS = ("the", "a", "of", "and", "he", "she", "said", "turned", "hand", "away", "dark", "rey")


def _text(length: int, rng: random.Random) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length]


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
    spans = synthetic_spans(n_docs, length, N_CODES, true_per_code=65)
    rows: dict[tuple[int, int, int, int, int], dict[str, Any]] = {}
    for s in spans:
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
    with store.transaction() as session:
        batch = list(rows.values())
        for begin in range(0, len(batch), 20_000):
            session.execute(insert(Annotation), batch[begin : begin + 20_000])
    return store, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--length", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the project at this path and keep it")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.keep or Path(folder.name) / "bench.annotator"
    started = time.perf_counter()
    store, n_annotations = build_project(path, args.docs, args.length)
    print(
        f"built {path.name}: {args.docs} documents x {args.length:,} characters, {len(CODERS)} coders, "
        f"{N_CODES} codes, {n_annotations:,} annotations in {time.perf_counter() - started:.1f} s"
    )

    for _ in range(args.repeat):
        t0 = time.perf_counter()
        with store.reading() as session:
            scope = resolve_scope(session, TeamFilter())
            t1 = time.perf_counter()
            spans = load_spans(session, scope)
        t2 = time.perf_counter()
        result = measure_agreement(store)
        t3 = time.perf_counter()
        print(
            f"resolve {t1 - t0:.3f} s, load {len(spans):,} spans {t2 - t1:.3f} s; "
            f"measure_agreement end to end {t3 - t2:.3f} s "
            f"(κ for {len(result.pairs)} pairs x {len(result.codes)} codes incl. '*', αU per code)"
        )
    t0 = time.perf_counter()
    items = list_disagreements(store)
    print(f"list_disagreements: {len(items):,} disagreements in {time.perf_counter() - t0:.3f} s")
    store.close()
    folder.cleanup()


if __name__ == "__main__":
    main()
