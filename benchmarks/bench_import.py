"""Benchmark: importing a large AO3 HTML download with ``read_document`` (parse only, no store).

Synthetic work: the preface of the sample download (tests/io/data/ao3-single-chapter.html) and
as many chapters as it takes to reach ~5 MB, each with the real download's chapter layout
(``div.meta.group`` heading, summary and notes; ``div.userstuff`` story of the sample's
paragraphs; chapter end notes). Written to a temporary directory. Run:

    python benchmarks/bench_import.py [--megabytes 5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.io.importers import read_document

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "io" / "data" / "ao3-single-chapter.html"


def chapter_html(number: int, story: str) -> str:
    quote = '<blockquote class="userstuff"><p>{}</p></blockquote>'
    return (
        f'<div class="meta group"><h2 class="heading">Chapter {number}: Shift {number}</h2>\n'
        f"<p>Chapter Summary</p>{quote.format(f'Night {number}.')}\n"
        f"<p>Chapter Notes</p>{quote.format('Thanks for reading!')}\n"
        "</div>\n<!--chapter content-->\n"
        f'<div class="userstuff">{story}</div>\n<!--/chapter content-->\n'
        f'<div class="meta" id="endnotes{number}"><p>Chapter End Notes</p>'
        f"{quote.format(f'See you in chapter {number + 1}.')}</div>\n"
    )


def synthetic_work(megabytes: float) -> str:
    sample = SAMPLE.read_text(encoding="utf-8")
    story = re.search(r'<div class="userstuff">(.*?)</div>', sample, re.DOTALL)
    assert story is not None
    chapter_bytes = len(chapter_html(1, story.group(1)).encode("utf-8"))
    count = max(2, int(megabytes * 1_000_000 / chapter_bytes))
    chapters = "".join(chapter_html(n, story.group(1)) for n in range(1, count + 1))
    start = sample.index('<div id="chapters" class="userstuff">')
    end = sample.index('<div id="afterword">')
    opening = '<div id="chapters" class="userstuff">'
    return f"{sample[:start]}{opening}\n{chapters}</div>\n{sample[end:]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big-work.html"
        path.write_text(synthetic_work(args.megabytes), encoding="utf-8")
        size = path.stat().st_size
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            document = read_document(path)
            timings.append(time.perf_counter() - started)
    chapters = sum(1 for zone in document.zones if zone.kind == "chapter")
    print(
        f"read_document: {size / 1e6:.1f} MB AO3 HTML, {chapters} chapters, "
        f"{len(document.text) / 1e6:.1f}M characters, {len(document.zones)} zones: "
        f"best {min(timings):.2f} s, worst {max(timings):.2f} s over {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
