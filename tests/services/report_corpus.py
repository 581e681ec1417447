"""A generated corpus for report tests: several coders, overlapping codes, multi-valued
attributes, chapters and paratext zones, one work without zones and one without a word count.

Deterministic (a seeded ``random.Random``); the test computes its expectations from the
segments CSV and from the plain specs here (texts, zones, attributes), never from the reports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from annotator.core.types import (
    ZONE_CHAPTER,
    ZONE_CHAPTER_HEADING,
    ZONE_END_NOTES,
    ZONE_NOTES,
    ZONE_STORY,
    ZONE_SUMMARY,
    ImportedDocument,
    ZoneSpec,
)
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.store.project import ProjectStore

CODERS = ("ana", "ben", "cy")
FANDOMS = ("Star Wars", "Good Omens", "Bleach")
RATINGS = ("General Audiences", "Teen And Up Audiences", "Explicit")
WORDS = ("tea", "rain", "sword", "letter", "kiss", "storm", "river", "ghost", "crown", "wolf")


@dataclass
class WorkSpec:
    id: int
    title: str
    text: str
    zones: list[ZoneSpec]
    attributes: dict[str, list[str]]
    chapter_starts: list[int] = field(default_factory=list)


@dataclass
class ReportCorpus:
    store: ProjectStore
    works: list[WorkSpec]
    codes: dict[str, int]  # path -> id
    document_memos: list[tuple[int, str, str]]  # (document id, coder, memo)


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize() + "."


def _work(rng: random.Random, number: int) -> tuple[str, list[ZoneSpec], list[int]]:
    parts: list[str] = []
    zones: list[ZoneSpec] = []
    chapter_starts: list[int] = []
    offset = 0

    def add(text: str, kind: str | None, chapter: int | None = None) -> tuple[int, int]:
        nonlocal offset
        if parts:
            parts.append("\n\n")  # separators belong to no zone
            offset += 2
        start = offset
        parts.append(text)
        offset += len(text)
        if kind:
            zones.append(ZoneSpec(kind, start, offset, chapter=chapter))
        return start, offset

    add(_sentence(rng), ZONE_SUMMARY)
    add(_sentence(rng), ZONE_NOTES)
    for chapter in range(1, rng.randint(2, 3) + 1):
        head, _ = add(f"Chapter {chapter}", ZONE_CHAPTER_HEADING, chapter)
        body = "\n".join(" ".join(_sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(3))
        _, end = add(body, ZONE_STORY, chapter)
        zones.append(ZoneSpec(ZONE_CHAPTER, head, end, f"Chapter {chapter}", chapter))
        chapter_starts.append(head)
    add(_sentence(rng), ZONE_END_NOTES)
    return "".join(parts), zones, chapter_starts


def build_report_corpus(store: ProjectStore, works: int = 6, spans_per_coder: int = 10) -> ReportCorpus:
    rng = random.Random(12)
    specs: list[WorkSpec] = []
    for number in range(works):
        text, zones, starts = _work(rng, number)
        attributes = {
            "rating": [RATINGS[number % 3]],
            "fandoms": list(rng.sample(FANDOMS, rng.randint(1, 2))),
            "language": ["English"],
            "words": [f"{len(text.split()) * 40:,}"],
            "published": [f"{2018 + number % 3}-0{1 + number % 9}-1{number % 9}"],
        }
        if number == works - 1:
            zones, starts = [], []  # a plain-text work: no zones, no chapters
            del attributes["words"]  # its words are counted from the text
        title = f"Work {number}"
        doc = documents.add_document(store, ImportedDocument(title, "text", text, attributes, zones))
        specs.append(WorkSpec(doc.id, title, text, zones, attributes, starts))
    trope = cb.add_code(store, "Trope")
    ids = {
        "Trope": trope.id,
        "Trope/Slow burn": cb.add_code(store, "Slow burn", trope.id).id,
        "Trope/Fluff": cb.add_code(store, "Fluff", trope.id).id,
        "Angst": cb.add_code(store, "Angst").id,
        "Humour": cb.add_code(store, "Humour").id,
    }
    coder_ids = {name: coders.ensure_coder(store, name).id for name in CODERS}
    paths = list(ids)
    with store.transaction() as session:
        for spec in specs:
            seen: set[tuple[int, int, int, int]] = set()
            for coder in CODERS:
                for i in range(spans_per_coder):
                    start = rng.randrange(0, len(spec.text) - 1)
                    end = min(len(spec.text), start + rng.randint(1, 90))
                    code = ids[rng.choice(paths)]
                    key = (start, end, code, coder_ids[coder])
                    if key in seen:
                        continue
                    seen.add(key)
                    memo = f"memo {coder} {i}" if i % 4 == 0 else ""
                    ann.apply_code_in(session, spec.text, spec.id, start, end, code, coder_ids[coder], memo)
    memos = [(specs[0].id, "ana", "A first reading: slow."), (specs[1].id, "ben", "Mostly fluff")]
    for doc_id, coder, text in memos:
        documents.set_document_memo(store, doc_id, coder, text)
    return ReportCorpus(store, specs, ids, memos)
