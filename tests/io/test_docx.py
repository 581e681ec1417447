"""Word import: paragraphs in order joined by a blank line, headings zoned, title from properties,
real Word files read as their reader sees them, and the same file always giving the same text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annotator.core.types import ZONE_HEADING
from annotator.io.docx import read_docx
from annotator.io.errors import DocumentImportError
from tests.io.builders import assert_well_formed, docx_bytes, epub_bytes, zone_texts

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "real"

# pandoc's expected reading of nested_smart_tags.docx (jgm/pandoc test/docx/nested_smart_tags.native)
SMART_TAGS_PARAGRAPHS = (
    "159. And It Came to Pass in the Course of Those Many Days",
    "I heard",
    "“And it came to pass in the course of those many days that the king of Egypt died; and the "
    "children of Israel sighed by reason of the bondage, and they cried, and their cry came up unto "
    "God by reason of the bondage. And God heard their groaning” (Exodus 2:23-4). This means that "
    "they suffered so much that they could not bear it any longer. And they so pleaded with prayer, "
    "that “their cry came up unto God.”",
    "But we can see that they were saying, “Would that we had… when we sat by the flesh-pots, when "
    "we did eat bread to the full.” And they also said, “We remember the fish, which we would eat in "
    "Egypt for naught; the cucumbers, and the melons, and the leeks, and the onions, and the garlic.”",
    "The thing is that, indeed, they were very fond of the work in Egypt. This is the meaning of "
    "“But mingled themselves with the nations, and learned their works.” It means that if Israel are "
    "under the dominion of a certain nation, that nation controls them and they cannot retire from "
    "their dominion. Thus, they tasted sufficient flavor in that work and could not be redeemed.",
    "So what did the Creator do? “The king of Egypt died,” meaning they had lost this servitude. "
    "Thus they could no longer work; they understood that if there is no perfection of the Mochin, "
    "the servitude is also incomplete. Hence, “and the children of Israel sighed by reason of the "
    "bondage.” The work means that they did not suffice for the work, that they had no liveliness in "
    "the servitude.",
    "This is the meaning of “the king of Egypt died,” that all the dominations of the king of Egypt, "
    "which he was providing for and nourishing, had died. This is why they had room for prayer. And "
    "they were immediately salvaged. And afterwards, when they walked in the desert and came to a "
    "state of Katnut (smallness), they craved the servitude that they had had prior to the death of "
    "the king of Egypt.",
)


def real_sample(name: str) -> bytes:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"real Word samples are not here ({REAL}); they live outside the project")
    return path.read_bytes()


def test_paragraphs_headings_and_tables_in_order() -> None:
    doc = read_docx(docx_bytes(), "story.docx")
    assert doc.source_format == "docx"
    assert doc.title == "A Story"
    assert doc.attributes == {"title": ["A Story"]}
    assert doc.text == (
        "Chapter One\n\nIt was a dark night.\n\nShe said “hello” and left.\n\nLine one\nline two"
        "\n\ncell a\n\ncell b\n\nChapter Two\n\nMorning came."
    )
    assert zone_texts(doc, ZONE_HEADING) == ["Chapter One", "Chapter Two"]
    assert_well_formed(doc)


def test_merged_table_cells_from_word_are_each_read_once_in_reading_order() -> None:
    # Rows of 4, 4, 3, 2 and 1 cells over a 4-column grid (gridSpan 1, 2, 3 and 4).
    doc = read_docx(real_sample("tbl-cell-props.docx"), "tbl-cell-props.docx")
    assert doc.text == "\n\n".join("abcdefghijklmn")
    assert_well_formed(doc)


def test_tracked_insertions_from_word_are_accepted() -> None:
    doc = read_docx(real_sample("track_changes_insertion.docx"), "track_changes_insertion.docx")
    assert doc.text == "This is a text with two exciting insertions."


def test_nested_smart_tags_keep_their_words_and_a_style_based_on_a_heading_is_a_heading() -> None:
    doc = read_docx(real_sample("nested_smart_tags.docx"), "nested_smart_tags.docx")
    assert doc.text.split("\n\n") == list(SMART_TAGS_PARAGRAPHS)
    # "Myheading2" is a custom style based on the (Hebrew-locale) style "heading 2".
    assert zone_texts(doc, ZONE_HEADING) == [SMART_TAGS_PARAGRAPHS[0]]
    assert_well_formed(doc)


@pytest.mark.parametrize(
    "name", ["tbl-cell-props.docx", "track_changes_insertion.docx", "nested_smart_tags.docx"]
)
def test_a_real_file_gives_the_same_text_and_hash_every_time(name: str) -> None:
    data = real_sample(name)
    imports = [read_docx(data, name) for _ in range(5)]
    hashes = {hashlib.sha256(doc.text.encode()).hexdigest() for doc in imports}
    assert len(hashes) == 1
    assert {tuple(doc.zones) for doc in imports} == {tuple(imports[0].zones)}


def test_title_falls_back_to_the_file_stem() -> None:
    assert read_docx(docx_bytes(title=None), "dir/My Story.docx").title == "My Story"


def test_a_document_without_text_is_an_error() -> None:
    with pytest.raises(DocumentImportError, match=r"^e\.docx: the document contains no text$"):
        read_docx(docx_bytes(empty=True), "e.docx")


def test_a_zip_that_is_not_a_word_document_is_an_error() -> None:
    data = epub_bytes({"OEBPS/content.opf": "<package/>"})
    with pytest.raises(DocumentImportError, match=r"^x\.docx: not a valid Word document"):
        read_docx(data, "x.docx")


def test_bytes_that_are_not_a_zip_are_an_error() -> None:
    with pytest.raises(
        DocumentImportError, match=r"^x\.docx: not a valid Word document \(not a zip archive\)$"
    ):
        read_docx(b"Just some text pretending.", "x.docx")
