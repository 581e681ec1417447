"""Benchmark: importing a novel-length Word document with ``read_docx`` (parse only, no store).

Synthetic document in Word's own XML (tests/io/docx_parts.py): ``--paragraphs`` paragraphs of
~600 characters with a tracked insertion and deletion, a smart tag and a hyperlink each; every
20th paragraph has a footnote and a comment range, every 50th is a heading followed by a 3×3
table with a merged cell and a text box. Run:

    python benchmarks/bench_docx.py [--paragraphs 3000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.io.docx import read_docx
from tests.io.docx_parts import cell, docx_package, para, row, run, separator_notes, table, text_box

SENTENCE = "She walked the long way home, counting the streetlights and the reasons to stay. "


def paragraph(number: int) -> str:
    parts = [
        run(SENTENCE * 3),
        f'<w:ins w:id="{number}0" w:author="A">{run("newly added words ")}</w:ins>',
        f'<w:del w:id="{number}1" w:author="A"><w:r><w:delText>gone </w:delText></w:r></w:del>',
        f'<w:smartTag w:uri="urn:smarttags" w:element="place">{run("Paris")}</w:smartTag>',
        f'<w:hyperlink w:anchor="x">{run(" a link ")}</w:hyperlink>',
        run(SENTENCE * 3),
    ]
    if number % 20 == 0:
        parts.append(f'<w:r><w:footnoteReference w:id="{number}"/></w:r>')
        parts.insert(1, f'<w:commentRangeStart w:id="{number}"/>')
        parts.insert(
            3, f'<w:commentRangeEnd w:id="{number}"/><w:r><w:commentReference w:id="{number}"/></w:r>'
        )
    block = para(*parts)
    if number % 50 == 0:
        merged = cell(para(run("merged")), props='<w:gridSpan w:val="2"/>')
        grid = table(
            row(merged, cell(para(run("c")))),
            row(*(cell(para(run(f"r{n}"))) for n in range(3))),
            row(*(cell(para(run(f"s{n}"))) for n in range(3))),
            columns=3,
        )
        heading = para(run(f"Chapter {number // 50}"), text_box(para(run("An aside."))), style="Heading1")
        block = heading + grid + block
    return block


def build(paragraphs: int) -> bytes:
    body = "".join(paragraph(n) for n in range(1, paragraphs + 1))
    noted = range(20, paragraphs + 1, 20)
    footnotes = separator_notes("footnote") + "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:footnoteRef/></w:r>{run(" A note.")}</w:p></w:footnote>'
        for n in noted
    )
    comments = "".join(
        f'<w:comment w:id="{n}" w:author="Reviewer"><w:p>{run("Nice line.")}</w:p></w:comment>' for n in noted
    )
    styles = (
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
        '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    )
    return docx_package(body, footnotes=footnotes, comments=comments, styles=styles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    data = build(args.paragraphs)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        document = read_docx(data, "novel.docx")
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{args.paragraphs} paragraphs, {len(data) / 2**20:.1f} MB docx -> "
        f"{len(document.text):,} characters, {len(document.zones)} zones"
    )
    print(f"read_docx: median {statistics.median(times):.3f} s, p95 {p95:.3f} s, max {times[-1]:.3f} s")


if __name__ == "__main__":
    main()
