"""Benchmark: checking a whole merge source before merging it, at 100k annotations.

A coder's copy of ``--docs`` works of ``--length`` characters, coded with ``--annotations`` spans
by three coders under 30 codes (bulk-inserted, quotes cut from the texts), on SQLite and, with
``--pg-url``, PostgreSQL. It times ``read_checked_source`` (read every row in one snapshot,
stream the texts, check spans, quotes, hashes, codebook), first keeping no text (the target has
every document) and then keeping all (a new target), with the peak of memory Python allocated
during the check; then a whole merge into an empty target, and the same source with one
fabricated quote refused. Run:

    python benchmarks/bench_merge_validation.py [--docs 50] [--length 100000] [--annotations 100000]
        [--backend sqlite|postgresql|both] [--pg-url URL] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agreement_store import _text
from hostile_cases_merge import Locations

from annotator.core.text import text_hash
from annotator.services.codebook import add_code
from annotator.services.coders import ensure_coder
from annotator.services.merge import merge_projects
from annotator.services.merge_validation import DamagedSourceError, read_checked_source
from annotator.services.projects import create_project
from annotator.store.models import Annotation, Document
from annotator.store.project import ProjectStore

CODERS = ("ana", "ben", "cy")


def build_source(location: str, n_docs: int, length: int, n_annotations: int) -> ProjectStore:
    store = create_project(location, codebook="empty")
    rng = random.Random(11)
    group = add_code(store, "Theme")
    codes = [add_code(store, f"Code {k:02d}", group.id).id for k in range(30)]
    coders = [ensure_coder(store, name).id for name in CODERS]
    texts = [_text(length, rng) for _ in range(n_docs)]
    with store.transaction() as session:
        doc_ids = []
        for i, text in enumerate(texts):
            hashed = text_hash(text)
            doc = Document(
                title=f"Work {i}", source_format="text", text=text, text_hash=hashed, length=len(text)
            )
            session.add(doc)
            session.flush()
            doc_ids.append(doc.id)
    rows: dict[tuple[int, ...], dict[str, Any]] = {}
    while len(rows) < n_annotations:
        d = rng.randrange(n_docs)
        start = rng.randrange(length - 200)
        end = start + rng.randrange(1, 200)
        key = (doc_ids[d], rng.choice(codes), rng.choice(coders), start, end)
        rows[key] = dict(zip(("document_id", "code_id", "coder_id", "start", "end"), key, strict=True)) | {
            "quote": texts[d][start:end],
            "memo": "",
        }
    batch = list(rows.values())
    with store.transaction() as session:
        for begin in range(0, len(batch), 20_000):
            session.execute(insert(Annotation), batch[begin : begin + 20_000])
    return store


def timed(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def bench(backend: str, locations: Locations, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    source = build_source(locations.new(backend, "source"), args.docs, args.length, args.annotations)
    print(
        f"{backend}: built {args.docs} x {args.length:,} characters, {args.annotations:,} annotations "
        f"in {time.perf_counter() - started:.1f} s"
    )
    with source.reading() as session:
        every_hash = set(session.scalars(select(Document.text_hash)))
    seconds, contents = timed(lambda: read_checked_source(source, keep_texts_unless=every_hash), args.repeat)
    print(f"  check, target has every text:  {seconds:.3f} s ({len(contents.annotations):,} annotations)")
    seconds, contents = timed(lambda: read_checked_source(source), args.repeat)
    print(f"  check, keeping every text:     {seconds:.3f} s ({len(contents.texts)} texts kept)")
    del contents
    tracemalloc.start()
    read_checked_source(source, keep_texts_unless=every_hash)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  peak Python memory of a check: {peak / 2**20:.0f} MB "
        f"(the texts alone are {args.docs * args.length / 2**20:.0f} MB)"
    )
    target = create_project(locations.new(backend, "target"), codebook="empty")
    started = time.perf_counter()
    report = merge_projects(target, source)
    print(
        f"  whole merge into an empty target: {time.perf_counter() - started:.3f} s "
        f"({report.annotations_added:,} annotations, {len(report.documents_added)} documents)"
    )
    target.close()
    with source.transaction() as session:
        first = session.scalar(select(Annotation.id).order_by(Annotation.id).limit(1))
        session.execute(update(Annotation).where(Annotation.id == first).values(quote="fabricated"))
    target = create_project(locations.new(backend, "target"), codebook="empty")
    started = time.perf_counter()
    try:
        merge_projects(target, source)
    except DamagedSourceError as exc:
        print(f"  one fabricated quote refused in {time.perf_counter() - started:.3f} s: {exc.problems[0]}")
    target.close()
    source.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--length", type=int, default=100_000)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg-url", default=os.environ.get("ANNOTATOR_TEST_PG_URL", ""))
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    if not args.pg_url:
        backends = tuple(b for b in backends if b == "sqlite")
    with tempfile.TemporaryDirectory() as workdir:
        locations = Locations(Path(workdir), args.pg_url)
        try:
            for backend in backends:
                bench(backend, locations, args)
        finally:
            locations.close()


if __name__ == "__main__":
    main()
