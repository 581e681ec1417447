"""AO3 EPUBs as Calibre writes them (renamed classes, split files) read like the HTML download."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from annotator.core.types import (
    PARATEXT_ZONES,
    ZONE_CHAPTER,
    ZONE_CHAPTER_END_NOTES,
    ZONE_CHAPTER_HEADING,
    ZONE_CHAPTER_NOTES,
    ZONE_CHAPTER_SUMMARY,
    ZONE_END_NOTES,
    ZONE_HEADING,
    ZONE_STORY,
    ImportedDocument,
)
from annotator.io.ao3_epub import read_ao3_epub
from annotator.io.ao3_html import read_ao3_html
from annotator.io.html_text import SCENE_BREAK
from tests.io.builders import assert_well_formed, rewrite_entry, zone_texts
from tests.io.calibre_builders import Chapter, Renaming, Work, calibre_epub, download_html

EIGHT_CHAPTERS = Work(
    tuple(
        Chapter(
            heading=f"Chapter {n}: The {word} Day",
            story=f"<p>The {word} day began at the forge.</p><p>It ended with <i>{word}</i> sparks.</p>",
            summary=f"<p>What happens on the {word} day.</p>" if n == 4 else "",
            notes=f"<p>Notes before chapter {n}.</p>" if n in (2, 5, 8) else "",
            end_notes=f"<p>Notes after chapter {n}.</p>" if n in (3, 5, 8) else "",
        )
        for n, word in enumerate(
            ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"], start=1
        )
    ),
    inspired=(
        '<a href="https://archiveofourown.org/works/777">Sparks Fly</a> by '
        '<a href="https://archiveofourown.org/users/remixer">remixer</a>',
        '<a href="https://archiveofourown.org/works/778">Cold Iron</a> by '
        '<a href="https://archiveofourown.org/users/smith">smith</a>',
    ),
)
RENAMINGS = {
    "as-in-the-real-file": Renaming(),
    "other-numbers": Renaming(
        meta="calibre4", chapters="userstuff3", story="userstuff7", paragraph="calibre2"
    ),
    "no-userstuff-no-heading-class": Renaming(
        meta="calibre3", chapters="calibre5", story="calibre6", heading="calibre9", dt="calibre1"
    ),
}


def _zones(doc: ImportedDocument) -> list[tuple[str, int | None, str, str]]:
    return [(zone.kind, zone.chapter, zone.label, doc.text[zone.start : zone.end]) for zone in doc.zones]


@pytest.mark.parametrize("names", RENAMINGS.values(), ids=RENAMINGS.keys())
def test_an_eight_chapter_calibre_epub_reads_like_its_html_download(names: Renaming) -> None:
    from_html = read_ao3_html(download_html(EIGHT_CHAPTERS).encode(), "work.html")
    from_epub = read_ao3_epub(calibre_epub(EIGHT_CHAPTERS, names), "work.epub")
    assert_well_formed(from_epub)
    headings = [chapter.heading for chapter in EIGHT_CHAPTERS.chapters]
    assert zone_texts(from_epub, ZONE_CHAPTER_HEADING) == headings
    assert [zone.chapter for zone in from_epub.zones if zone.kind == ZONE_CHAPTER] == list(range(1, 9))
    assert [
        (z.chapter, from_epub.text[z.start : z.end]) for z in from_epub.zones if z.kind == ZONE_STORY
    ] == [
        (n, f"The {word} day began at the forge.\n\nIt ended with {word} sparks.")
        for n, word in enumerate(
            ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"], start=1
        )
    ]
    notes = [
        (z.chapter, from_epub.text[z.start : z.end]) for z in from_epub.zones if z.kind == ZONE_CHAPTER_NOTES
    ]
    assert notes == [(n, f"Notes before chapter {n}.") for n in (2, 5, 8)]
    end_notes = [
        (z.chapter, from_epub.text[z.start : z.end])
        for z in from_epub.zones
        if z.kind == ZONE_CHAPTER_END_NOTES
    ]
    assert end_notes == [(n, f"Notes after chapter {n}.") for n in (3, 5, 8)]
    assert zone_texts(from_epub, ZONE_CHAPTER_SUMMARY) == ["What happens on the fourth day."]
    assert zone_texts(from_epub, ZONE_END_NOTES)[0] == "Thank you for reading."
    assert "See the end of the chapter" not in from_epub.text
    assert from_epub.attributes["relationships"] == ["Ash/Ember"]
    assert from_epub.attributes["words"] == from_html.attributes["words"]
    assert from_epub.attributes == from_html.attributes
    assert _zones(from_epub) == _zones(from_html)
    assert from_epub.text == from_html.text


def test_each_chapters_end_notes_sit_inside_its_chapter_zone() -> None:
    doc = read_ao3_epub(calibre_epub(EIGHT_CHAPTERS, RENAMINGS["other-numbers"]), "work.epub")
    chapters = {zone.chapter: zone for zone in doc.zones if zone.kind == ZONE_CHAPTER}
    for zone in doc.zones:
        if zone.kind == ZONE_CHAPTER_END_NOTES:
            assert zone.chapter is not None
            chapter = chapters[zone.chapter]
            assert chapter.start < zone.start < zone.end == chapter.end


def _without_ids(content: bytes) -> bytes:
    return re.sub(rb' id="(preface|chapters|endnotes\d*|afterword)"', b"", content)


def test_the_parts_are_found_by_shape_when_their_ids_are_gone_too() -> None:
    data = calibre_epub(EIGHT_CHAPTERS, RENAMINGS["no-userstuff-no-heading-class"])
    names = [f"Ash_and_Ember_split_{index:03d}.xhtml" for index in range(len(EIGHT_CHAPTERS.chapters) + 3)]
    for name in names:
        data = rewrite_entry(data, name, _without_ids)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rewritten = b"".join(archive.read(name) for name in names)
    assert b"Chapter 3:" in rewritten and b"Works inspired by this one" in rewritten
    assert re.search(rb' id="(preface|chapters|endnotes\d*|afterword)"', rewritten) is None
    doc = read_ao3_epub(data, "work.epub")
    from_html = read_ao3_html(download_html(EIGHT_CHAPTERS).encode(), "work.html")
    assert zone_texts(doc, ZONE_CHAPTER_HEADING) == [chapter.heading for chapter in EIGHT_CHAPTERS.chapters]
    assert doc.attributes == from_html.attributes
    assert doc.text == from_html.text
    assert _zones(doc) == _zones(from_html)


def test_a_one_chapter_calibre_epub_has_no_chapter_heading() -> None:
    work = Work((Chapter("Chapter 1", "<p>Only one chapter.</p><p>And its end.</p>"),))
    from_html = read_ao3_html(download_html(work).encode(), "work.html")
    from_epub = read_ao3_epub(calibre_epub(work, RENAMINGS["other-numbers"]), "work.epub")
    assert zone_texts(from_epub, ZONE_CHAPTER_HEADING) == []
    assert zone_texts(from_epub, ZONE_STORY) == ["Only one chapter.\n\nAnd its end."]
    assert from_epub.text == from_html.text
    assert _zones(from_epub) == _zones(from_html)


def test_a_story_that_opens_with_a_chapter_heading_of_its_own_keeps_its_text() -> None:
    story = "<h2>Chapter 1</h2><p>The author typed the heading into the story.</p>"
    work = Work((Chapter("Chapter 1: Start", story), Chapter("Chapter 2: End", "<p>Second.</p>")))
    from_epub = read_ao3_epub(calibre_epub(work, RENAMINGS["no-userstuff-no-heading-class"]), "work.epub")
    assert zone_texts(from_epub, ZONE_CHAPTER_HEADING) == ["Chapter 1: Start", "Chapter 2: End"]
    assert zone_texts(from_epub, ZONE_STORY) == [
        "Chapter 1\n\nThe author typed the heading into the story.",
        "Second.",
    ]


def test_works_inspired_by_this_one_are_kept_as_paratext_from_html_and_epub() -> None:
    for doc in (
        read_ao3_html(download_html(EIGHT_CHAPTERS).encode(), "work.html"),
        read_ao3_epub(calibre_epub(EIGHT_CHAPTERS), "work.epub"),
    ):
        assert doc.text.endswith(
            "End Notes\n\nThank you for reading.\n\n"
            "Works inspired by this one\n\nSparks Fly by remixer\n\nCold Iron by smith"
        )
        assert zone_texts(doc, ZONE_END_NOTES) == [
            "Thank you for reading.",
            "Sparks Fly by remixer\n\nCold Iron by smith",
        ]
        assert zone_texts(doc, ZONE_HEADING)[-1] == "Works inspired by this one"
        assert all("Sparks Fly" not in story for story in zone_texts(doc, ZONE_STORY))
        # Paratext, so agreement that leaves out paratext leaves the list out too.
        start = doc.text.index("Sparks Fly")
        kinds = {zone.kind for zone in doc.zones if zone.start <= start < zone.end}
        assert kinds and kinds <= PARATEXT_ZONES


SCENE_BREAK_STORIES = {
    "hr": "<p>Before the break.</p><hr/><p>After the break.</p>",
    "nbsp-br-run": "<p>Before the break.<br/>&nbsp;<br/>&nbsp;<br/>&nbsp;<br/>After the break.</p>",
    "blank-paragraphs": "<p>Before the break.</p><p>&nbsp;</p><p>&nbsp;</p><p>After the break.</p>",
}


@pytest.mark.parametrize("story", SCENE_BREAK_STORIES.values(), ids=SCENE_BREAK_STORIES.keys())
def test_a_scene_break_reads_the_same_from_html_and_epub(story: str) -> None:
    work = Work((Chapter("Chapter 1: One", story), Chapter("Chapter 2: Two", "<p>More.</p>")))
    from_html = read_ao3_html(download_html(work).encode(), "work.html")
    from_epub = read_ao3_epub(calibre_epub(work), "work.epub")
    expected = f"Before the break.\n\n{SCENE_BREAK}\n\nAfter the break."
    assert zone_texts(from_html, ZONE_STORY)[0] == expected
    assert zone_texts(from_epub, ZONE_STORY)[0] == expected
    assert from_epub.text == from_html.text


def test_one_blank_line_is_a_paragraph_break_not_a_scene_break() -> None:
    story = "<p>First thought.<br/>&nbsp;<br/>Second thought.</p><p>&nbsp;</p><p>Third thought.</p>"
    work = Work((Chapter("Chapter 1: One", story), Chapter("Chapter 2: Two", "<p>More.</p>")))
    for doc in (
        read_ao3_html(download_html(work).encode(), "work.html"),
        read_ao3_epub(calibre_epub(work), "work.epub"),
    ):
        assert zone_texts(doc, ZONE_STORY)[0] == "First thought.\n\nSecond thought.\n\nThird thought."
