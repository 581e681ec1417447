"""Benchmark: every report on 1,000 works, 5M characters, 3 coders, 30 codes, 100k annotations.

Each report (the service call the CLI and the Reports window make: gathering the data from the
project and computing) is timed over ``--runs`` runs; printed are the median, the p95 (95th
percentile) and the max, in seconds. Target: every report in ≤ 1 s. Then each chart is drawn
from its report (the figure built and rendered to PNG, SVG and PDF): target ≤ 300 ms. Each line
also gives the median CPU time of this process, which other work on a shared machine inflates
less than the wall clock.

The baseline is what a user does today: export the segments CSV with the project's exporter
(once, not timed) and run a plain pandas ``groupby`` over it (read the CSV, then segments,
works and characters per code and coder), timed in the same run (with ``--charts-only`` too).
pandas is used here only (``pip install pandas`` if it is missing); it is no dependency of the app.

The project (works with a full AO3 preface: rating, fandoms (1–3), relationships, characters,
tags, words, published date; summary, notes, 2–4 chapters with headings, end notes; two thirds
of the annotations with a memo-free span, overlapping freely) is built once per ``--workdir``.

Run:

    python benchmarks/bench_reports.py [--backend sqlite|postgresql|both] [--runs 7] [--workdir DIR]
                                       [--charts-only]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.io.atomic import atomic_write_text
from annotator.services import codebook as cb
from annotator.services.coders import ensure_coder
from annotator.services.documents import add_document_in
from annotator.services.projects import create_project
from annotator.services.reports import (
    Proximity,
    ReportFilter,
    cooccurrence_report,
    crosstab_report,
    document_report,
    frequencies_report,
    positions_report,
)
from annotator.services.reports_lists import cooccurrence_cell, list_memos, retrieve_segments
from annotator.services.segments import export_segments
from annotator.store.models import Annotation
from annotator.store.project import ProjectError, open_project

WORKS = 1_000
CHARACTERS = 5_000  # per work: 5M in all
ANNOTATIONS = 100_000
CODERS = ("ana", "ben", "cy")
GROUPS = 6  # each with 4 sub-codes: 30 codes
VOCABULARY = (
    "tea",
    "rain",
    "sword",
    "letter",
    "kiss",
    "storm",
    "river",
    "ghost",
    "she",
    "said",
    "“no”",
    "and",
)
PG_DATABASE = "annotator_bench_reports"


def _text(rng: random.Random, size: int) -> str:
    words: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(VOCABULARY)
        words.append(word + ("\n" if rng.random() < 0.03 else " "))
        length += len(words[-1])
    return "".join(words)[:size]


def _work(rng: random.Random, n: int) -> ImportedDocument:
    parts = [_text(rng, 300), _text(rng, 200)]
    zones = [ZoneSpec("summary", 0, 300), ZoneSpec("notes", 302, 502)]
    offset = 504
    chapters = rng.randint(2, 4)
    body = (CHARACTERS - 800) // chapters
    for chapter in range(1, chapters + 1):
        heading = f"Chapter {chapter}\n"
        chunk = heading + _text(rng, body - len(heading))
        zones += [
            ZoneSpec("chapter", offset, offset + len(chunk), f"Chapter {chapter}", chapter),
            ZoneSpec("chapter_heading", offset, offset + len(heading) - 1, chapter=chapter),
            ZoneSpec("story", offset + len(heading), offset + len(chunk), chapter=chapter),
        ]
        parts.append(chunk)
        offset += len(chunk) + 2
    end_notes = _text(rng, CHARACTERS - offset)
    zones.append(ZoneSpec("end_notes", offset, offset + len(end_notes)))
    parts.append(end_notes)
    fandoms = ["Star Wars", "Good Omens", "Bleach", "Haikyuu!!", "Supernatural"]
    return ImportedDocument(
        title=f"Work {n}",
        source_format="text",
        text="\n\n".join(parts),
        zones=zones,
        attributes={
            "rating": [rng.choice(["General Audiences", "Teen And Up Audiences", "Mature", "Explicit"])],
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": rng.sample(fandoms, rng.randint(1, 3)),
            "relationships": [f"A/{rng.randint(1, 20)}"],
            "characters": [f"C{k}" for k in rng.sample(range(40), 3)],
            "additional_tags": [f"tag {k}" for k in rng.sample(range(60), rng.randint(2, 8))],
            "language": ["English"],
            "words": [f"{rng.randint(500, 150_000):,}"],
            "published": [f"{rng.randint(2012, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"],
        },
    )


def build(target: str) -> None:
    rng = random.Random(12)
    store = create_project(target, codebook="empty")
    try:
        texts: dict[int, str] = {}
        with store.transaction() as session:
            for n in range(WORKS):
                doc = _work(rng, n)
                texts[add_document_in(session, doc).id] = doc.text
        codes = []
        for g in range(GROUPS):
            group = cb.add_code(store, f"Group {g}")
            codes.append(group.id)
            codes += [cb.add_code(store, f"Code {g}.{k}", group.id).id for k in range(4)]
        coders = [ensure_coder(store, name).id for name in CODERS]
        doc_ids = sorted(texts)
        rows: list[dict[str, Any]] = []
        for i in range(ANNOTATIONS):
            doc = doc_ids[i % len(doc_ids)]
            work = texts[doc]
            start = rng.randrange(0, len(work) - 2)
            end = min(len(work), start + rng.randint(10, 300))
            rows.append(
                {
                    "document_id": doc,
                    "code_id": rng.choice(codes),
                    "coder_id": coders[i % len(coders)],
                    "start": start,
                    "end": end,
                    "quote": work[start:end],
                    "memo": f"memo {i}" if i % 10 == 0 else "",
                }
            )
        with store.transaction() as session:
            for lo in range(0, len(rows), 20_000):
                session.execute(insert(Annotation), rows[lo : lo + 20_000])
    finally:
        store.close()


def _count(target: str) -> int:
    try:
        store = open_project(target)
    except ProjectError:
        return -1
    try:
        with store.reading() as session:
            return int(session.scalar(select(func.count()).select_from(Annotation)) or 0)
    finally:
        store.close()


def prepared(backend: str, workdir: Path, pg_url: str) -> str:
    if backend == "sqlite":
        target = str(workdir / "reports.annotator")
        if _count(target) != ANNOTATIONS:
            Path(target).unlink(missing_ok=True)
            build(target)
        return target
    server = make_url(pg_url)
    target = server.set(database=PG_DATABASE).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_DATABASE}
            )
            if not (exists and _count(target) == ANNOTATIONS):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
                build(target)
                with create_engine(target, isolation_level="AUTOCOMMIT").connect() as c:
                    c.execute(text("VACUUM ANALYZE"))
    finally:
        admin.dispose()
    return target


def pandas_groupby(csv_path: Path) -> Callable[[], Any]:
    import pandas as pd

    def run() -> Any:
        frame = pd.read_csv(csv_path, encoding="utf-8-sig")
        frame["characters"] = frame["end"] - frame["start"]
        return frame.groupby(["code_path", "coder"]).agg(
            segments=("annotation_id", "size"),
            works=("document_id", "nunique"),
            characters=("characters", "sum"),
        )

    return run


def timed(label: str, action: Callable[[], Any], runs: int) -> float:
    action()  # warm: imports, the first connection
    times, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"  {label:<44} median {statistics.median(times):6.3f}  p95 {p95:6.3f}  max {times[-1]:6.3f}"
        f"  (cpu median {statistics.median(cpu):6.3f})"
    )
    return times[-1]


def bench(backend: str, target: str, workdir: Path, runs: int, charts_only: bool = False) -> None:
    store = open_project(target)
    csv_path = workdir / f"segments-{backend}.csv"
    try:
        atomic_write_text(csv_path, lambda out: export_segments(store, out))
        print(
            f"{backend}: {WORKS:,} works, {ANNOTATIONS:,} annotations, {len(CODERS)} coders, "
            f"{GROUPS * 5} codes (seconds)"
        )
        story = ReportFilter(part="story")
        reports: list[tuple[str, Callable[[], Any]]] = [
            ("frequencies", lambda: frequencies_report(store)),
            (
                "frequencies --story-only --coders ana,ben",
                lambda: frequencies_report(store, ReportFilter(("ana", "ben"), part="story")),
            ),
            ("crosstab --by fandom", lambda: crosstab_report(store, "fandom")),
            ("crosstab --by words_band", lambda: crosstab_report(store, "words_band", story)),
            ("crosstab --by freeform", lambda: crosstab_report(store, "freeform")),
            ("cooccurrence (overlap)", lambda: cooccurrence_report(store)),
            ("cooccurrence --distance 200", lambda: cooccurrence_report(store, Proximity("distance", 200))),
            (
                "cooccurrence --proximity paragraph",
                lambda: cooccurrence_report(store, Proximity("paragraph")),
            ),
            ("cooccurrence --proximity chapter", lambda: cooccurrence_report(store, Proximity("chapter"))),
            (
                "cooccurrence --cell (overlap)",
                lambda: cooccurrence_cell(store, "Group 0/Code 0.0", "Group 1/Code 1.0"),
            ),
            ("positions", lambda: positions_report(store)),
            ("document", lambda: document_report(store, 500)),
            ("retrieve --code 'Group 0' (16.6k hits)", lambda: retrieve_segments(store, "Group 0")),
            (
                "retrieve --code 'Group 0' --within 'Group 1'",
                lambda: retrieve_segments(store, "Group 0", within="Group 1"),
            ),
            ("memos --search 'memo 1'", lambda: list_memos(store, "memo 1")),
        ]
        baseline = timed("baseline: pandas read_csv + groupby", pandas_groupby(csv_path), runs)
        if not charts_only:
            worst = max(timed(label, action, runs) for label, action in reports)
            verdict = "meets" if worst <= 1.0 else "MISSES"
            print(
                f"  slowest report max {worst:.3f} s: {verdict} the 1 s target; "
                f"pandas baseline max {baseline:.3f} s"
            )
        bench_charts(store, runs)
    finally:
        store.close()


def bench_charts(store: Any, runs: int) -> None:
    """Each chart drawn from its computed report (figure built, then rendered to a file's bytes)."""
    from annotator.io.report_charts import figure_bytes, report_figure
    from annotator.services.report_output import code_colours

    colours = code_colours(store)
    computed = [
        ("frequencies", frequencies_report(store)),
        ("crosstab --by fandom", crosstab_report(store, "fandom")),
        ("crosstab --by words_band", crosstab_report(store, "words_band")),
        ("cooccurrence (overlap)", cooccurrence_report(store)),
        ("positions", positions_report(store)),
        ("document", document_report(store, 500)),
    ]
    print("  charts (build the figure and render it):")
    worst = 0.0
    for label, report in computed:
        for fmt in ("png", "svg", "pdf"):
            action = lambda r=report, f=fmt: figure_bytes(report_figure(r, colours), f)  # noqa: E731
            worst = max(worst, timed(f"chart {label} ({fmt})", action, runs))
    verdict = "meets" if worst <= 0.3 else "MISSES"
    print(f"  slowest chart max {worst:.3f} s: {verdict} the 300 ms target")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--charts-only", action="store_true", help="time the charts only")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/annotator-bench-reports"))
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        target = prepared(backend, args.workdir, args.pg_url)
        bench(backend, target, args.workdir, args.runs, args.charts_only)


if __name__ == "__main__":
    main()
