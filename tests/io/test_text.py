"""Plain-text import: encodings, normalisation, and AO3 structure in the flattened seeds."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.types import (
    ZONE_CHAPTER,
    ZONE_CHAPTER_END_NOTES,
    ZONE_CHAPTER_HEADING,
    ZONE_CHAPTER_NOTES,
    ZONE_CHAPTER_SUMMARY,
    ZONE_END_NOTES,
    ZONE_STORY,
)
from annotator.io.errors import DocumentImportError
from annotator.io.text import read_text
from tests.io.builders import assert_well_formed, zone_texts

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def read_seed(prefix: str):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return read_text(path.read_bytes(), path.name)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.name[:3])
def test_every_seed_imports_with_its_file_stem_as_title(path: Path) -> None:
    doc = read_text(path.read_bytes(), path.name)
    assert doc.title == path.stem
    assert doc.source_format == "text"
    assert doc.source_name == path.name
    assert doc.text == path.read_text(encoding="utf-8")  # already NFC with no CR: unchanged
    assert doc.attributes == {}
    assert_well_formed(doc)


def test_seed_000_has_two_chapters_a_preface_and_trailing_notes() -> None:
    doc = read_seed("000")
    chapters = [zone for zone in doc.zones if zone.kind == ZONE_CHAPTER]
    assert [(zone.chapter, zone.label) for zone in chapters] == [(1, "Chapter 1"), (2, "Chapter 2")]
    assert chapters[0].start == 0
    first, second = zone_texts(doc, ZONE_CHAPTER)
    assert first.endswith("He flips you over so he's on top. You let him.")
    assert second.startswith("Chapter 2 Summary: Wow")
    assert second.endswith('"Please never fear me again."')  # the trailing notes are the work's
    assert zone_texts(doc, ZONE_CHAPTER_HEADING) == ["Chapter 2"]
    assert zone_texts(doc, ZONE_CHAPTER_SUMMARY) == [
        "Summary: Wow, me and Kylo have a lot of people to disappoint."
    ]
    (notes,) = zone_texts(doc, ZONE_CHAPTER_NOTES)
    assert notes.startswith("Notes: Jeez, where the hell did this come from?")
    assert notes.endswith("(See the end of the chapter for more notes .)")
    story_one, story_two = zone_texts(doc, ZONE_STORY)
    assert story_one == first
    assert story_two.startswith("He's everywhere at once.")
    assert story_two.endswith('"Please never fear me again."')
    (end_notes,) = zone_texts(doc, ZONE_END_NOTES)
    assert end_notes.startswith("Notes: If I know you")
    assert end_notes.endswith("if yes, what gender are we?")
    assert "Notes: Ok, lets talk" in end_notes
    assert {zone.chapter for zone in doc.zones if zone.kind != ZONE_END_NOTES} == {1, 2}


@pytest.mark.parametrize(
    ("prefix", "story_end", "notes_start"),
    [
        ("001", "They both laughed.", "Notes: yo, if you found any errors"),
        ("002", "but it will sure as hell improve it.", "Notes: This is actually my first test"),
    ],
)
def test_one_chapter_seeds_end_with_their_notes(prefix: str, story_end: str, notes_start: str) -> None:
    doc = read_seed(prefix)
    assert [zone.kind for zone in doc.zones] == [ZONE_STORY, ZONE_END_NOTES]
    (story,) = zone_texts(doc, ZONE_STORY)
    (notes,) = zone_texts(doc, ZONE_END_NOTES)
    assert doc.zones[0].start == 0
    assert story.endswith(story_end)
    assert notes.startswith(notes_start)
    assert doc.zones[1].end == len(doc.text.rstrip())


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_seeds_without_notes_are_one_story_zone(prefix: str) -> None:
    doc = read_seed(prefix)
    assert [(zone.kind, zone.start, zone.end) for zone in doc.zones] == [
        (ZONE_STORY, 0, len(doc.text.rstrip()))
    ]


def test_the_word_notes_inside_the_story_is_not_a_zone() -> None:
    text = (
        "She read her notes: nothing useful. Notes were everywhere, he thought. "
        "The chapter notes said otherwise. He took Notes: none. The end."
    )
    doc = read_text(text.encode(), "story.txt")
    assert [zone.kind for zone in doc.zones] == [ZONE_STORY]


def test_a_notes_sentence_deep_inside_a_long_story_is_not_the_end_notes() -> None:
    text = "It began. Notes: the ship is leaving. " + "They ran and ran. " * 2_000 + "The end."
    doc = read_text(text.encode(), "story.txt")
    assert [zone.kind for zone in doc.zones] == [ZONE_STORY]


def test_chapter_mentions_in_prose_are_not_markers() -> None:
    text = "He read Chapter 2 of the manual. Chapter 3 was worse. chapter 2 is lowercase. The end."
    doc = read_text(text.encode(), "story.txt")
    assert [zone.kind for zone in doc.zones] == [ZONE_STORY]


def test_chapters_on_their_own_lines_with_titles() -> None:
    text = "Chapter 1: Arrival\nThey came.\n\nChapter 2: The Return\nThey left.\n"
    doc = read_text(text.encode(), "story.txt")
    assert [(z.label, z.chapter) for z in doc.zones if z.kind == ZONE_CHAPTER] == [
        ("Chapter 1: Arrival", 1),
        ("Chapter 2: The Return", 2),
    ]
    assert zone_texts(doc, ZONE_CHAPTER_HEADING) == ["Chapter 1: Arrival", "Chapter 2: The Return"]
    assert zone_texts(doc, ZONE_STORY) == ["They came.", "They left."]


def test_a_flattened_chapter_title_ends_at_its_preface() -> None:
    text = (
        "It began. Chapter 2: The Long Night Notes: Sorry for the wait! (See the end of the "
        "chapter for more notes.) It went on. Notes: Thanks for reading."
    )
    doc = read_text(text.encode(), "story.txt")
    assert zone_texts(doc, ZONE_CHAPTER_HEADING) == ["Chapter 2: The Long Night"]
    assert [z.label for z in doc.zones if z.kind == ZONE_CHAPTER] == [
        "Chapter 1",
        "Chapter 2: The Long Night",
    ]
    assert zone_texts(doc, ZONE_CHAPTER_NOTES) == [
        "Notes: Sorry for the wait! (See the end of the chapter for more notes.)"
    ]
    assert zone_texts(doc, ZONE_STORY) == ["It began.", "It went on."]
    assert zone_texts(doc, ZONE_END_NOTES) == ["Notes: Thanks for reading."]


def test_end_notes_of_a_middle_chapter_need_the_pointer_in_its_preface() -> None:
    text = (
        "One. Chapter 2 Notes: Hi. (See the end of the chapter for more notes.) Two happens. "
        "Notes: Bye from two. Chapter 3 Summary: Three things. Notes: More. Three happens. "
        "Notes: Not a chapter-end note without a pointer? It is the work's: it ends the text."
    )
    doc = read_text(text.encode(), "story.txt")
    assert zone_texts(doc, ZONE_CHAPTER_END_NOTES) == ["Notes: Bye from two."]
    assert [z.chapter for z in doc.zones if z.kind == ZONE_CHAPTER_END_NOTES] == [2]
    assert zone_texts(doc, ZONE_CHAPTER_SUMMARY) == ["Summary: Three things."]
    # Without a pointer or a line break the end of "Notes:" is a guess: its first sentence.
    assert zone_texts(doc, ZONE_CHAPTER_NOTES) == [
        "Notes: Hi. (See the end of the chapter for more notes.)",
        "Notes: More.",
    ]
    assert zone_texts(doc, ZONE_STORY)[1:] == ["Two happens.", "Three happens."]
    assert zone_texts(doc, ZONE_END_NOTES)[0].startswith("Notes: Not a chapter-end note")


def test_chapter_numbers_out_of_sequence_are_ignored() -> None:
    text = "One. Chapter 3 He ran. Chapter 2 She ran. Chapter 4 Nobody ran."
    doc = read_text(text.encode(), "story.txt")
    assert [z.label for z in doc.zones if z.kind == ZONE_CHAPTER] == ["Chapter 1", "Chapter 2"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "Café “quoted”".encode(), "Café “quoted”"),
        (codecs.BOM_UTF16_LE + "Café “quoted”".encode("utf-16-le"), "Café “quoted”"),
        (codecs.BOM_UTF16_BE + "Café “quoted”".encode("utf-16-be"), "Café “quoted”"),
        (codecs.BOM_UTF32_LE + "Café “quoted”".encode("utf-32-le"), "Café “quoted”"),
        ("He said “hello” — it’s fine.".encode("cp1252"), "He said “hello” — it’s fine."),
        ("Café crème “naïve” à côté.".encode("cp1252"), "Café crème “naïve” à côté."),
        (
            "Привет, как дела? Это русский текст о дружбе.".encode("cp1251"),
            "Привет, как дела? Это русский текст о дружбе.",
        ),
    ],
)
def test_encodings_are_detected(data: bytes, expected: str) -> None:
    assert read_text(data, "x.txt").text == expected


@pytest.mark.parametrize(
    ("data", "expected", "notes"),
    [
        (
            "Гарри улыбнулся.".encode("koi8_r"),
            "Гарри улыбнулся.",
            ("read as KOI8-R (no encoding declared)",),
        ),
        (
            "Chapter 1\n\nHe waited.".encode("utf-16-be"),
            "Chapter 1\n\nHe waited.",
            ("read as UTF-16 BE (no byte-order mark)",),
        ),
        (
            "Das gehört mir.".encode().decode("cp1252").encode(),
            "Das gehört mir.",
            ("repaired double-encoded UTF-8 (mojibake) in 1 place",),
        ),
        ("Das gehört mir.".encode(), "Das gehört mir.", ()),
    ],
    ids=["koi8-r", "utf-16-be", "double-encoded", "plain-utf-8"],
)
def test_the_document_says_how_it_was_read(data: bytes, expected: str, notes: tuple[str, ...]) -> None:
    doc = read_text(data, "x.txt")
    assert (doc.text, doc.notes) == (expected, notes)


def test_text_is_normalised() -> None:
    doc = read_text("Cafe\u0301\r\nline\rtwo\u2028three\x07".encode(), "x.txt")
    assert doc.text == "Café\nline\ntwo\nthree"


@pytest.mark.parametrize("data", [b"", b"   \n\t \r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"  \n"])
def test_empty_text_is_an_error(data: bytes) -> None:
    with pytest.raises(DocumentImportError, match=r"^x\.txt: file is empty$"):
        read_text(data, "x.txt")


FRAGMENTS = [
    "Chapter 1",
    "Chapter 2",
    "Chapter 3",
    "Chapter 2: A Title",
    "Summary:",
    "Notes:",
    "notes",
    "(See the end of the chapter for more notes.)",
    "She ran.",
    "“Go!”",
    "He said",
    ".",
    " ",
    "\n",
    "\n\n",
    "e\u0301",
    "🏳️‍🌈",
    "\r\n",
    "\t",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40), st.booleans())
def test_any_mix_of_ao3_labels_gives_valid_zones(fragments: list[str], spaced: bool) -> None:
    text = (" " if spaced else "").join(fragments) + " The end."
    doc = read_text(text.encode(), "mix.txt")
    assert_well_formed(doc)
    for zone in doc.zones:
        covered = doc.text[zone.start : zone.end]
        assert covered == covered.strip()
    chapters = [zone.chapter or 0 for zone in doc.zones if zone.kind == ZONE_CHAPTER]
    if chapters:  # consecutive; a text may open at "Chapter 2" (an excerpt)
        assert chapters == list(range(chapters[0], chapters[0] + len(chapters)))
        assert chapters[0] in {1, 2}
