"""Import an AO3 HTML download (or, tolerantly, any HTML file) as one document with zones.

Text layout, every block separated by a blank line::

    Title                                  title
    Summary / summary paragraphs           heading / summary
    Notes / notes paragraphs               heading / notes
    per chapter (one zone "chapter" over all of it, chapter=N, label = heading):
      Chapter N: Title                     chapter_heading  (only in multi-chapter works)
      Chapter Summary / paragraphs         heading / chapter_summary
      Chapter Notes / paragraphs           heading / chapter_notes
      story paragraphs                     story
      Chapter End Notes / paragraphs       heading / chapter_end_notes
    End Notes / paragraphs                 heading / end_notes
    Works inspired by this one / entries   heading / end_notes  (the afterword's list)

A scene break (``<hr>``, or two or more blank lines in a row) is a paragraph of its own holding
``* * *`` (``html_text.SCENE_BREAK``), the same from the HTML and the EPUB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from annotator.core.text import normalise_text
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
from annotator.io.ao3_structure import Ao3Chapter, Ao3Reader, Ao3Work
from annotator.io.decoding import declared_encoding, decode
from annotator.io.errors import DocumentImportError, import_guard
from annotator.io.html_text import document_title, parse_html
from annotator.io.layout import TextBuilder
from annotator.io.values import clean_title, stem_title


@import_guard("HTML")
def read_ao3_html(data: bytes, source_name: str) -> ImportedDocument:
    """An AO3 HTML download (any HTML works: without AO3 structure its text is the story)."""
    decoded = decode(data, source_name, declared=declared_encoding(data))
    soup = parse_html(decoded.text, source_name)
    reader = Ao3Reader()
    body = soup.body
    reader.feed(body if body is not None else soup)
    document = build_ao3_document(
        reader.work,
        source_name,
        source_format="ao3-html" if reader.work.is_ao3 else "html",
        fallback_title=clean_title(document_title(soup)),
    )
    return replace(document, notes=decoded.notes)


def build_ao3_document(
    work: Ao3Work, source_name: str, *, source_format: str, fallback_title: str = ""
) -> ImportedDocument:
    """Lay out a parsed work as text + zones + attributes (shared by the HTML and EPUB import)."""
    title = work.title or fallback_title or stem_title(source_name)
    chapters = work.chapters
    if not any(chapter.story for chapter in chapters) and work.loose:
        # No AO3 story container (a plain HTML page, a stripped download): the loose text is it.
        first = chapters[0] if chapters else Ao3Chapter(number=1)
        chapters = [replace(first, story=list(work.loose)), *chapters[1:]]
    builder = TextBuilder()
    builder.add_paragraphs([title], ZONE_TITLE)
    _section(builder, "Summary", work.summary, ZONE_SUMMARY)
    _section(builder, "Notes", work.notes, ZONE_NOTES)
    with_headings = len(chapters) > 1 or any(chapter.heading for chapter in chapters)
    story_found = False
    for chapter in chapters:
        story_found |= _add_chapter(builder, chapter, with_heading=with_headings)
    _section(builder, "End Notes", work.end_notes, ZONE_END_NOTES)
    _section(builder, "Works inspired by this one", work.inspired, ZONE_END_NOTES)
    if not story_found:
        raise DocumentImportError(source_name, "contains no story text")
    text, zones = builder.build()
    return ImportedDocument(
        title=title,
        source_format=source_format,
        text=text,
        attributes=_attributes(work, title),
        zones=zones,
        source_name=source_name,
    )


def _add_chapter(builder: TextBuilder, chapter: Ao3Chapter, *, with_heading: bool) -> bool:
    """Append one chapter and its zones; True if it had story text."""
    number = chapter.number
    label = chapter.heading or f"Chapter {number}"
    ranges = []
    if with_heading:
        ranges.append(builder.add_paragraphs([label], ZONE_CHAPTER_HEADING, label=label, chapter=number))
    ranges.append(_section(builder, "Chapter Summary", chapter.summary, ZONE_CHAPTER_SUMMARY, number))
    ranges.append(_section(builder, "Chapter Notes", chapter.notes, ZONE_CHAPTER_NOTES, number))
    story = builder.add_paragraphs(chapter.story, ZONE_STORY, chapter=number)
    ranges.append(story)
    ranges.append(_section(builder, "Chapter End Notes", chapter.end_notes, ZONE_CHAPTER_END_NOTES, number))
    present = [r for r in ranges if r is not None]
    if present:
        builder.add_zone(ZONE_CHAPTER, present[0][0], present[-1][1], label=label, chapter=number)
    return story is not None


def _section(
    builder: TextBuilder,
    heading: str,
    paragraphs: Sequence[str],
    kind: str,
    chapter: int | None = None,
) -> tuple[int, int] | None:
    """A labelled block: a heading line (zone "heading") and its paragraphs (zone ``kind``)."""
    cleaned = [text for text in (normalise_text(p).strip() for p in paragraphs) if text]
    if not cleaned:
        return None
    label = builder.add_paragraphs([heading], ZONE_HEADING, label=heading, chapter=chapter)
    body = builder.add_paragraphs(cleaned, kind, chapter=chapter)
    assert label is not None and body is not None  # both are non-empty
    return label[0], body[1]


def _attributes(work: Ao3Work, title: str) -> dict[str, list[str]]:
    attributes: dict[str, list[str]] = {"title": [title]}
    if work.authors:
        attributes["authors"] = work.authors
    attributes.update(work.attributes)
    if work.url is not None:
        attributes["ao3_work_id"] = [work.url[1]]
        attributes["url"] = [work.url[0]]
    return attributes
