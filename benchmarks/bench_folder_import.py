"""Benchmark: ``annotator import PROJECT FOLDER`` on a folder of 1,000 AO3 HTML downloads.

The downloads copy the structure of a real AO3 HTML download (the preface of
tests/io/data/ao3-multi-chapter.html, itself laid out like otwarchive's download templates:
``div#preface`` with ``dl.tags``, ``div#chapters`` of ``div.meta.group`` headings and
``div.userstuff`` stories, ``div#afterword``), each with its own title, work id and text.
Sizes vary as on AO3: log-normal words per work, median ~5,000, clipped to 2,000–200,000, and
a few long works; ~1% of the files are broken (empty, binary, a PNG, a truncated file).

The real command runs as its own process, once into a fresh SQLite project and once into a
fresh PostgreSQL database, and the figures come from its own summary line (time per file is
measured around each file's import, inside the process). Run:

    python benchmarks/bench_folder_import.py [--files 1000] [--pg-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "io" / "data" / "ao3-multi-chapter.html"
VOCABULARY = (
    "the a and of to he she they said was had not his her night ship corridor light hand door "
    "looked turned quiet again never always morning stars silence waited knew thought almost "
    "something nothing before after through window voice breath slowly finally Hux Kylo Rey"
)
WORDS = VOCABULARY.split()
PUNCTUATION = (".", ".", ".", ",", "?", "!", "…", " —")
TIMING = re.compile(
    r"(?P<files>[\d,]+) files in (?P<total>[\d.]+) s: (?P<mean>[\d.]+ m?s) per file "
    r"\(median (?P<median>[\d.]+ m?s), p95 (?P<p95>[\d.]+ m?s), slowest (?P<max>[\d.]+ m?s): (?P<name>.*)\)"
)


def preface_and_afterword() -> tuple[str, str]:
    sample = SAMPLE.read_text(encoding="utf-8")
    head = sample[: sample.index('<div id="chapters"')]
    tail = sample[sample.index('<div id="afterword">') :]
    return head, tail


def paragraph(rng: random.Random, words: int) -> str:
    out: list[str] = []
    for index in range(words):
        word = rng.choice(WORDS)
        out.append(word.capitalize() if index == 0 or out[-1].endswith((".", "?", "!")) else word)
        if rng.random() < 0.08:
            out[-1] += rng.choice(PUNCTUATION)
    return "<p>“" + " ".join(out) + ".”</p>"


def work_html(rng: random.Random, number: int, words: int, head: str, tail: str) -> str:
    title = f"Work {number}: {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}"
    preface = head.replace("The Long Shift", title).replace("1234567", str(40_000_000 + number))
    chapters = max(1, min(60, words // rng.randint(2_000, 6_000)))
    parts = ['<div id="chapters" class="userstuff">']
    per_chapter = words // chapters
    for chapter in range(1, chapters + 1):
        story, written = [], 0
        while written < per_chapter:
            size = rng.randint(20, 120)
            story.append(paragraph(rng, size))
            written += size
        parts.append(
            f'<div class="meta group"><h2 class="heading">Chapter {chapter}: Part {chapter}</h2></div>\n'
            f'<!--chapter content-->\n<div class="userstuff">{"".join(story)}</div>\n'
            "<!--/chapter content-->"
        )
    parts.append("</div>\n")
    return preface + "\n".join(parts) + tail


def broken_file(rng: random.Random, number: int) -> tuple[str, bytes]:
    kind = number % 4
    if kind == 0:
        return f"broken_{number:04d}_empty.html", b""
    if kind == 1:
        return f"broken_{number:04d}_binary.html", rng.randbytes(20_000)
    if kind == 2:
        return f"broken_{number:04d}_image.html", b"\x89PNG\r\n\x1a\n" + rng.randbytes(5_000)
    return f"broken_{number:04d}_truncated.epub", b"PK\x03\x04" + rng.randbytes(3_000)


def make_folder(folder: Path, count: int, seed: int = 1) -> tuple[int, int]:
    """Write the downloads; returns (good files, total words)."""
    rng = random.Random(seed)
    head, tail = preface_and_afterword()
    good = total_words = 0
    for number in range(count):
        if number % 100 == 50:  # ~1% broken
            name, data = broken_file(rng, number)
            (folder / name).write_bytes(data)
            continue
        if number % 200 == 7:  # a few long works
            words = rng.randint(100_000, 200_000)
        else:
            words = int(min(200_000, max(2_000, rng.lognormvariate(8.5, 0.7))))
        (folder / f"work_{number:04d}.html").write_text(work_html(rng, number, words, head, tail), "utf-8")
        good += 1
        total_words += words
    return good, total_words


def run_import(project: str, folder: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(
        [sys.executable, "-m", "annotator", "new", project, "--codebook", "empty"], check=True, env=env
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "import", project, str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
    )
    wall = time.perf_counter() - started
    lines = done.stderr.strip().splitlines()
    match = TIMING.search(lines[-1]) if lines else None
    if match is None:
        raise SystemExit(f"no timing line from the import:\n{done.stderr[-2000:]}")
    refused = [line for line in lines if line.startswith("failed: ")]
    return {
        **match.groupdict(),
        "wall": f"{wall:.1f}",
        "summary": done.stdout.strip().splitlines()[-1],
        "refused": str(len(refused)),
        "progress": str(sum(1 for line in lines if line.startswith("imported "))),
    }


def report(backend: str, figures: dict[str, str]) -> None:
    files = int(figures["files"].replace(",", ""))
    rate = files / float(figures["total"])
    print(
        f"{backend:10s} {figures['summary']}; {figures['refused']} refusal lines, "
        f"{figures['progress']} progress lines\n"
        f"{'':10s} import {figures['total']} s ({figures['wall']} s with start-up), {rate:.1f} files/s; "
        f"per file median {figures['median']}, p95 {figures['p95']}, max {figures['max']} ({figures['name']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--pg-url", default=os.environ.get("ANNOTATOR_TEST_PG_URL", ""))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "downloads"
        folder.mkdir()
        good, words = make_folder(folder, args.files)
        megabytes = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        broken = args.files - good
        print(f"{args.files} files ({good} good, {broken} broken), {words:,} words, {megabytes:.0f} MB")
        report("SQLite", run_import(str(Path(temp) / "bench.annotator"), folder))
        if not args.pg_url:
            print("PostgreSQL skipped: give --pg-url or set ANNOTATOR_TEST_PG_URL")
            return
        server = make_url(args.pg_url)
        name = f"annotator_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = server.set(database=name).render_as_string(hide_password=False)
            report("PostgreSQL", run_import(url, folder))
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
