"""A small corpus for segment tests: zoned chapters, hostile cells, attributes, two coders.

``build_corpus`` is deterministic, so two projects built with it have the same document, code
and coder ids: what the segments CSV round-trip needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.types import (
    ZONE_CHAPTER,
    ZONE_CHAPTER_HEADING,
    ZONE_END_NOTES,
    ZONE_STORY,
    ZONE_SUMMARY,
    ImportedDocument,
    ZoneSpec,
)
from annotator.services import annotations as ann
from annotator.services import codebook as cb
from annotator.services import coders, documents
from annotator.store.project import ProjectStore

SUMMARY = "A summary, short."
HEADING_1 = "Chapter 1"
BODY_1 = 'She said “hi” and "bye",\nthen left.'
HEADING_2 = "Chapter 2"
BODY_2 = "=SUM(A1) is not a formula; @someone neither."
END_NOTES = "-- thanks for reading!"
TEXT_A = "\n\n".join([SUMMARY, HEADING_1, BODY_1, HEADING_2, BODY_2, END_NOTES])
TEXT_B = "\tTabbed opening line.\n\nPlain words follow here."
TEXT_C = "A work nobody coded."


def at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _zones_a() -> list[ZoneSpec]:
    h1, b1, h2, b2, notes = (at(TEXT_A, p) for p in (HEADING_1, BODY_1, HEADING_2, BODY_2, END_NOTES))
    return [
        ZoneSpec(ZONE_SUMMARY, *at(TEXT_A, SUMMARY)),
        ZoneSpec(ZONE_CHAPTER, h1[0], b1[1], "Chapter 1", 1),
        ZoneSpec(ZONE_CHAPTER, h2[0], b2[1], "Chapter 2", 2),
        # One story zone over both chapters, headings inside it: the heading is the innermost zone.
        ZoneSpec(ZONE_STORY, h1[0], b2[1]),
        ZoneSpec(ZONE_CHAPTER_HEADING, *h1, chapter=1),
        ZoneSpec(ZONE_CHAPTER_HEADING, *h2, chapter=2),
        ZoneSpec(ZONE_END_NOTES, *notes),
    ]


@dataclass
class Corpus:
    store: ProjectStore
    doc_a: int
    doc_b: int
    doc_c: int
    trope: int
    slow_burn: int
    pining: int
    angst: int
    plus: int


def build_corpus(store: ProjectStore, *, with_annotations: bool = True) -> Corpus:
    add = documents.add_document
    doc_a = add(
        store,
        ImportedDocument(
            title="=Ship fic",
            source_format="text",
            text=TEXT_A,
            zones=_zones_a(),
            attributes={
                "zeta_note": ["z"],
                "fandoms": ["Star Wars", "Kylo Ren"],
                "rating": ["Explicit"],
                "warnings": ["No Archive Warnings Apply"],
            },
        ),
    )
    doc_b = add(
        store,
        ImportedDocument(
            title="Plain",
            source_format="text",
            text=TEXT_B,
            attributes={"rating": ["Teen"], "language": ["English"]},
        ),
    )
    doc_c = add(
        store,
        ImportedDocument(
            title="Unused", source_format="text", text=TEXT_C, attributes={"series": ["Never exported"]}
        ),
    )
    trope = cb.add_code(store, "Trope")
    slow_burn = cb.add_code(store, "Slow burn", trope.id)
    pining = cb.add_code(store, "Mutual pining", slow_burn.id)
    angst = cb.add_code(store, "Angst")
    plus = cb.add_code(store, "+Plus/minus")  # a "/" in a name and a formula trigger
    corpus = Corpus(store, doc_a.id, doc_b.id, doc_c.id, trope.id, slow_burn.id, pining.id, angst.id, plus.id)
    if with_annotations:
        _annotate(corpus)
    return corpus


def _annotate(c: Corpus) -> None:
    ana = coders.ensure_coder(c.store, "ana").id
    ben = coders.ensure_coder(c.store, "@ben").id
    apply = ann.apply_code
    apply(c.store, c.doc_a, *at(TEXT_A, HEADING_1), c.trope, ana)
    apply(c.store, c.doc_a, *at(TEXT_A, BODY_1), c.slow_burn, ana, memo='=cmd|" /C calc"!A0')
    apply(c.store, c.doc_a, *at(TEXT_A, BODY_2), c.pining, ben, memo="\r\nstarts with a line break")
    apply(c.store, c.doc_a, *at(TEXT_A, END_NOTES), c.angst, ben, memo="@mention")
    apply(c.store, c.doc_a, 0, 9, c.plus, ana)  # in the summary, before any chapter
    apply(c.store, c.doc_b, 0, 5, c.angst, ana, memo="-minus\nsecond line")
    apply(c.store, c.doc_b, *at(TEXT_B, "Plain words"), c.trope, ben, memo="\ttab")
