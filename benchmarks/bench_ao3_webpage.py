"""Benchmark: a saved AO3 work page against the download of the same work (parse only, no store).

A synthetic work of ``--chapters`` chapters of ``--paragraphs`` paragraphs (~600 characters each),
written as the work's page ("Entire Work", with the site around it) and as the HTML download by
tests/io/ao3_pages.py. Prints median, p95 and max of ``read_html`` on each. Run:

    python benchmarks/bench_ao3_webpage.py [--chapters 60] [--paragraphs 150] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.io.ao3_webpage import read_html
from tests.io.ao3_pages import Chapter, Work, download_html, work_page_html

SENTENCE = "She walked the long way home, counting the streetlights and the reasons to stay. "


def build(chapters: int, paragraphs: int) -> Work:
    return Work(
        work_id=123456,
        title="The Long Way Home",
        authors=["writer"],
        tags={"fandoms": ["Some Fandom"], "additional_tags": [f"tag {n}" for n in range(40)]},
        summary="A summary.",
        notes="Some notes.",
        end_notes="End notes.",
        chapters=[
            Chapter([SENTENCE * 7] * paragraphs, title=f"Part {n}", notes="A chapter note.")
            for n in range(1, chapters + 1)
        ],
    )


def measure(label: str, data: bytes, repeat: int) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        doc = read_html(data, "work.html")
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{label:<10} {len(data) / 2**20:5.1f} MB -> {len(doc.text):,} chars: median "
        f"{statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=60)
    parser.add_argument("--paragraphs", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    work = build(args.chapters, args.paragraphs)
    measure("web page", work_page_html(work).encode(), args.repeat)
    measure("download", download_html(work).encode(), args.repeat)


if __name__ == "__main__":
    main()
