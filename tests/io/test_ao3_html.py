"""AO3 HTML download import: attributes from the preface, text layout and zones."""

from __future__ import annotations

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
    ZONE_HEADING,
    ZONE_NOTES,
    ZONE_STORY,
    ZONE_SUMMARY,
    ZONE_TITLE,
    ImportedDocument,
)
from annotator.io.ao3_html import read_ao3_html
from annotator.io.errors import DocumentImportError
from tests.io.builders import (
    MULTI_CHAPTER_HTML,
    SINGLE_CHAPTER_HTML,
    assert_well_formed,
    zone_texts,
)


@pytest.fixture(scope="module")
def single() -> ImportedDocument:
    return read_ao3_html(SINGLE_CHAPTER_HTML.read_bytes(), SINGLE_CHAPTER_HTML.name)


@pytest.fixture(scope="module")
def multi() -> ImportedDocument:
    return read_ao3_html(MULTI_CHAPTER_HTML.read_bytes(), MULTI_CHAPTER_HTML.name)


def test_sample_attributes(single: ImportedDocument) -> None:
    assert single.title == "Medical Leave"
    assert single.source_format == "ao3-html"
    assert single.source_name == "ao3-single-chapter.html"
    assert single.attributes == {
        "title": ["Medical Leave"],
        "authors": ["sample_author"],
        "rating": ["Teen And Up Audiences"],
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["F/M"],
        "fandoms": ["Star Wars Sequel Trilogy", "Star Wars - All Media Types"],
        "relationships": ["Kylo Ren/Reader"],
        "characters": ["Kylo Ren", "Reader"],
        "additional_tags": ["Reader-Insert", "Medic Reader", "Fluff", "First Order"],
        "language": ["English"],
        "published": ["2016-02-14"],
        "words": ["2899"],
        "chapters": ["1/1"],
        "ao3_work_id": ["6100002"],
        "url": ["https://archiveofourown.org/works/6100002"],
    }


def test_sample_zones(single: ImportedDocument) -> None:
    assert_well_formed(single)
    assert zone_texts(single, ZONE_TITLE) == ["Medical Leave"]
    assert zone_texts(single, ZONE_SUMMARY) == [
        "A medic assistant on the Finalizer is the only one Kylo Ren never yells at."
    ]
    assert zone_texts(single, ZONE_HEADING) == ["Summary", "End Notes"]
    # "Notes" held only the "see the end of the work" link: no notes section.
    assert zone_texts(single, ZONE_NOTES) == []
    (story,) = zone_texts(single, ZONE_STORY)
    assert story.startswith("It hadn’t been easy")
    assert story.endswith("but it will sure as hell improve it.")
    (end_notes,) = zone_texts(single, ZONE_END_NOTES)
    assert end_notes.startswith("This is actually my first test")
    assert end_notes.endswith("Stay tuned for more!")
    assert "I'm pretty happy" in end_notes  # &#x27; decoded
    (chapter,) = [zone for zone in single.zones if zone.kind == ZONE_CHAPTER]
    assert (chapter.chapter, chapter.label) == (1, "Chapter 1")
    assert single.text[chapter.start : chapter.end] == story
    assert zone_texts(single, ZONE_CHAPTER_HEADING) == []


def test_sample_text_layout(single: ImportedDocument) -> None:
    assert single.text.startswith(
        "Medical Leave\n\nSummary\n\nA medic assistant on the Finalizer is the only one Kylo Ren "
        "never yells at.\n\nIt hadn’t been easy"
    )
    assert "nonetheless. You much preferred your head where it was." in single.text
    assert "thought bubble" in single.text
    # One paragraph per <p>, separated by a blank line, nothing else.
    story = zone_texts(single, ZONE_STORY)[0]
    paragraphs = story.split("\n\n")
    assert len(paragraphs) == 33  # the sample has 33 <p> in its story
    assert all(paragraph.strip() == paragraph and "\n" not in paragraph for paragraph in paragraphs)
    assert paragraphs[1].startswith("If you were honest with yourself")
    assert single.text.endswith("End Notes\n\n" + zone_texts(single, ZONE_END_NOTES)[0])
    for boilerplate in (
        "Posted originally",
        "Archive of Our Own",
        "drop by the Archive",
        "See the end of the work",
        "Preface",
        "Afterword",
        "text-align",
    ):
        assert boilerplate not in single.text


def test_multi_chapter_attributes(multi: ImportedDocument) -> None:
    assert multi.attributes["authors"] == ["writer_one", "Second Pen (writer_two)"]
    assert multi.attributes["warnings"] == [
        "Creator Chose Not To Use Archive Warnings",
        "No Archive Warnings Apply",
    ]
    assert multi.attributes["relationships"] == ["Armitage Hux/Kylo Ren", "Armitage Hux & Kylo Ren"]
    assert multi.attributes["series"] == ["Some Series", "Another Series, With Comma"]
    assert multi.attributes["series_part"] == ["2", "5"]
    assert multi.attributes["collections"] == ["Fest 2016", "The Exchange"]
    assert multi.attributes["completed"] == ["2016-04-10"]
    assert multi.attributes["words"] == ["12345"]
    assert multi.attributes["chapters"] == ["3/3"]
    assert multi.attributes["ao3_work_id"] == ["1234567"]
    assert "updated" not in multi.attributes


def test_multi_chapter_zones(multi: ImportedDocument) -> None:
    assert_well_formed(multi)
    chapters = [zone for zone in multi.zones if zone.kind == ZONE_CHAPTER]
    assert [(zone.chapter, zone.label) for zone in chapters] == [
        (1, "Chapter 1: Arrival"),
        (2, "Chapter 2"),
        (3, "Chapter 3: Morning"),
    ]
    assert zone_texts(multi, ZONE_CHAPTER_HEADING) == [
        "Chapter 1: Arrival",
        "Chapter 2",
        "Chapter 3: Morning",
    ]
    assert zone_texts(multi, ZONE_SUMMARY) == ["Three nights on the Finalizer.\n\nNobody sleeps."]
    assert zone_texts(multi, ZONE_NOTES) == ["Written for the fest."]
    assert zone_texts(multi, ZONE_CHAPTER_SUMMARY) == ["Hux starts the night shift."]
    assert zone_texts(multi, ZONE_CHAPTER_NOTES) == ["Short one, sorry."]
    assert zone_texts(multi, ZONE_CHAPTER_END_NOTES) == ["Thanks for reading this chapter!"]
    assert zone_texts(multi, ZONE_END_NOTES) == ["The end. Comments welcome."]
    assert zone_texts(multi, ZONE_STORY) == [
        "The corridor lights dimmed at exactly twenty-two hundred.\n\n"
        "Hux counted the steps.\nOne, two, three.\n\nThen the alarm.",
        "Kylo did not knock.\n\nHe never knocked.\n\nHux had stopped expecting it.",
        "The sun rose over nothing at all, because they were in space.\n\n"
        "Log entry: all quiet.\n\nHux went to bed.",
    ]
    by_chapter = {(zone.kind, zone.chapter) for zone in multi.zones if zone.chapter is not None}
    assert (ZONE_CHAPTER_END_NOTES, 3) in by_chapter
    assert (ZONE_STORY, 2) in by_chapter
    # Each chapter zone runs from its heading to the end of its last part.
    first, _, third = zone_texts(multi, ZONE_CHAPTER)
    assert first.startswith("Chapter 1: Arrival\n\nChapter Summary\n\nHux starts")
    assert first.endswith("Then the alarm.")
    assert third.endswith("Chapter End Notes\n\nThanks for reading this chapter!")
    assert "by Second Pen" not in multi.text  # a chapter byline is metadata, not text


def test_chapter_labels_are_heading_zones(multi: ImportedDocument) -> None:
    headings = zone_texts(multi, ZONE_HEADING)
    assert headings == [
        "Summary",
        "Notes",
        "Chapter Summary",
        "Chapter Notes",
        "Chapter End Notes",
        "End Notes",
    ]


def page(body: str, head: str = "<title>Page Title</title>") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def test_line_breaks_and_block_elements() -> None:
    doc = read_ao3_html(
        page(
            '<div id="chapters" class="userstuff"><div class="userstuff">'
            "<p>one<br>line two</p><p>para<br><br>break</p><div>div text</div>"
            "<ul><li>item a</li><li>item <b>b</b></li></ul><p>&nbsp;</p><h3>Inner heading</h3>"
            "<pre>keep   this\n  indented</pre><table><tr><td>c1</td><td>c2</td></tr></table>"
            "</div></div>"
        ),
        "x.html",
    )
    assert zone_texts(doc, ZONE_STORY) == [
        "one\nline two\n\npara\n\nbreak\n\ndiv text\n\nitem a\n\nitem b\n\nInner heading\n\n"
        "keep   this\n  indented\n\nc1 c2"
    ]


def test_without_tags_the_story_still_imports_with_the_h1_title() -> None:
    body = (
        '<div id="preface"><div class="meta"><h1>Only A Title</h1></div></div>'
        '<div id="chapters" class="userstuff"><div class="userstuff"><p>Story.</p></div></div>'
    )
    doc = read_ao3_html(page(body), "x.html")
    assert doc.title == "Only A Title"
    assert doc.attributes == {"title": ["Only A Title"]}
    assert zone_texts(doc, ZONE_STORY) == ["Story."]


def test_plain_html_is_imported_as_story_text() -> None:
    doc = read_ao3_html(page("<h1>Heading</h1><p>First.</p><p>Second.</p>"), "plain.html")
    assert doc.source_format == "html"
    assert doc.title == "Page Title"
    assert doc.text == "Page Title\n\nHeading\n\nFirst.\n\nSecond."
    assert zone_texts(doc, ZONE_STORY) == ["Heading\n\nFirst.\n\nSecond."]
    assert_well_formed(doc)


def test_title_falls_back_to_the_file_stem() -> None:
    doc = read_ao3_html(b"<p>Just text.</p>", "folder/my story.html")
    assert doc.title == "my story"


def test_web_page_chapter_layout_is_understood() -> None:
    """A saved AO3 web page: div.chapter > div.chapter.preface (h3.title, #summary, #notes)."""
    body = (
        '<div id="chapters">'
        '<div class="chapter" id="chapter-1"><div class="chapter preface group">'
        '<h3 class="title"><a href="/works/1/chapters/1">Chapter 1</a>: Start</h3>'
        '<div id="summary" class="summary module"><h3 class="heading">Summary:</h3>'
        '<blockquote class="userstuff"><p>Sum one.</p></blockquote></div>'
        '<div id="notes" class="notes module"><h3 class="heading">Notes:</h3>'
        '<blockquote class="userstuff"><p>Note one.</p></blockquote></div></div>'
        '<div class="userstuff module" role="article"><h3 class="landmark heading">Chapter Text</h3>'
        "<p>Text one.</p></div>"
        '<div class="chapter preface group"><div id="chapter_1_endnotes" class="end notes module">'
        '<h3 class="heading">Notes:</h3><blockquote class="userstuff"><p>End one.</p></blockquote>'
        "</div></div></div>"
        '<div class="chapter" id="chapter-2"><div class="chapter preface group">'
        '<h3 class="title"><a href="/works/1/chapters/2">Chapter 2</a></h3></div>'
        '<div class="userstuff module" role="article"><p>Text two.</p></div></div></div>'
    )
    doc = read_ao3_html(page(body), "web.html")
    assert zone_texts(doc, ZONE_CHAPTER_HEADING) == ["Chapter 1: Start", "Chapter 2"]
    assert zone_texts(doc, ZONE_CHAPTER_SUMMARY) == ["Sum one."]
    assert zone_texts(doc, ZONE_CHAPTER_NOTES) == ["Note one."]
    assert zone_texts(doc, ZONE_CHAPTER_END_NOTES) == ["End one."]
    assert zone_texts(doc, ZONE_STORY) == ["Text one.", "Text two."]


def test_html_without_any_text_is_an_error() -> None:
    with pytest.raises(DocumentImportError, match=r"^x\.html: contains no story text$"):
        read_ao3_html(page("<div><img src='a.png'></div><script>var a;</script>"), "x.html")


HTML_FRAGMENTS = [
    "<p>",
    "</p>",
    "<br>",
    "<br/>",
    '<div class="userstuff">',
    "</div>",
    '<div class="meta group">',
    '<h2 class="heading">Chapter 2: X</h2>',
    "<p>Chapter Notes</p>",
    "<blockquote>",
    "</blockquote>",
    '<div id="endnotes3" class="meta">',
    '<div id="preface">',
    '<dl class="tags">',
    "<dt>Rating:</dt>",
    "<dd>Mature</dd>",
    "</dl>",
    "words",
    "e\u0301",
    "🏳️‍🌈",
    "&amp;",
    "&nbsp;",
    "\r\n",
    "  ",
    "<pre>",
    "</pre>",
    "<script>hidden</script>",
    "<embed>",
    "<em>",
    "</em>",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(HTML_FRAGMENTS), max_size=40))
def test_any_tag_soup_imports_validly_or_fails_cleanly(fragments: list[str]) -> None:
    try:
        doc = read_ao3_html("".join(fragments).encode(), "soup.html")
    except DocumentImportError as error:
        assert str(error) in {"soup.html: contains no story text", "soup.html: file is empty"}
        return
    assert_well_formed(doc)
    assert "hidden" not in doc.text
    assert all(zone.start < zone.end for zone in doc.zones)
