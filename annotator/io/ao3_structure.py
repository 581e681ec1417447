"""Find the parts of an AO3 download (preface, chapters, notes, afterword) in parsed HTML.

The same reader serves the HTML download and the EPUB (Calibre-made from that HTML, split into
several XHTML files): ``feed`` each body in reading order, then ``finish``. It recognises the
download layout (``div#preface``, ``div#chapters`` holding per chapter a preface block opened by
an ``h2`` "Chapter N: …", the story, and ``div#endnotesN``; ``div#afterword``) by shape, because
Calibre renames the classes (see ``ao3_shapes``), and the web page's chapter layout
(``div.chapter.preface > h3.title``, ``div#summary``, ``div#notes``, ``div.end.notes``). Text
outside any of these is kept aside as "loose" and used only when no story text was found, so a
plain HTML file still imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import PageElement, Tag

from annotator.io.ao3_preface import parse_byline, parse_tags, work_link
from annotator.io.ao3_shapes import (
    CHAPTER_END_NOTES_ID,
    chapter_heading,
    class_names,
    inspired_works,
    is_afterword,
    is_chapter_end_notes,
    is_chapters_container,
    is_preface,
    is_tag_list,
    label_kind,
)
from annotator.io.html_text import IGNORED_TAGS, inline_text, is_text, iter_tags, paragraphs
from annotator.io.values import clean_title

_CHAPTER_NUMBER = re.compile(r"^\s*Chapter\s+(\d{1,6})\b", re.IGNORECASE)
_WORK_END_NOTES_IDS = frozenset({"endnotes", "work_endnotes"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class Ao3Chapter:
    number: int
    heading: str = ""  # "Chapter 2: Title"; "" for the only chapter of a one-chapter download
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    story: list[str] = field(default_factory=list)
    end_notes: list[str] = field(default_factory=list)


@dataclass
class Ao3Work:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    url: tuple[str, str] | None = None  # (work URL, work id)
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chapters: list[Ao3Chapter] = field(default_factory=list)
    end_notes: list[str] = field(default_factory=list)
    inspired: list[str] = field(default_factory=list)  # the afterword's "Works inspired by this one"
    loose: list[str] = field(default_factory=list)
    is_ao3: bool = False  # saw a preface, tag list or chapter structure


class Ao3Reader:
    """Accumulates one work from one or more HTML bodies fed in reading order."""

    def __init__(self) -> None:
        self.work = Ao3Work()

    def feed(self, root: Tag) -> None:
        # Elements that contain structure are descended into; anything else is a leaf to read.
        containers = _structure_ancestors(root)
        stack: list[Iterator[PageElement]] = [iter(root.contents)]
        while stack:
            node = next(stack[-1], None)
            if node is None:
                stack.pop()
            elif isinstance(node, Tag):
                if node.name not in IGNORED_TAGS and not self._read_structure(node, containers):
                    if id(node) in containers:
                        stack.append(iter(node.contents))
                    else:
                        self.work.loose.extend(paragraphs(node))
            elif is_text(node) and str(node).strip():
                self.work.loose.append(" ".join(str(node).split()))

    def _read_structure(self, element: Tag, containers: set[int]) -> bool:
        """Handle ``element`` if it is a known AO3 part; False if it is not one."""
        element_id = str(element.get("id") or "")
        classes = class_names(element)
        if is_preface(element):
            self._read_preface(element)
        elif is_afterword(element):
            self.work.end_notes.extend(_labelled_text(element, {"end_notes", "notes"}))
            self.work.inspired.extend(inspired_works(element))
            self.work.is_ao3 = True
        elif is_chapters_container(element):
            self._read_download_chapters(element)
        elif element.name == "h2" and "toc-heading" in classes:
            pass  # Calibre's table-of-contents anchor; the chapter heading follows
        elif is_tag_list(element):
            self._read_tags(element)
        elif _is_end_notes(element_id, classes):
            text = _labelled_text(element, {"end_notes", "notes"})
            if element_id in _WORK_END_NOTES_IDS or not self.work.chapters:
                self.work.end_notes.extend(text)
            else:
                self.work.chapters[-1].end_notes.extend(text)
        elif (heading := _chapter_heading(element, classes)) is not None:
            self._start_chapter(element, heading)
        elif _is_story(element, classes, containers):
            for landmark in [t for t in iter_tags(element) if "landmark" in class_names(t)]:
                landmark.decompose()  # the web page's hidden "Chapter Text" heading
            if not self.work.chapters:
                self.work.chapters.append(Ao3Chapter(number=1))
            self.work.chapters[-1].story.extend(paragraphs(element))
        else:
            return False
        return True

    def _read_preface(self, preface: Tag) -> None:
        self.work.is_ao3 = True
        title = (
            preface.find("h1")
            or preface.select_one("p.message b")
            or preface.find(["h2", "h3"], class_="title")
        )
        if isinstance(title, Tag) and not self.work.title:
            self.work.title = clean_title(inline_text(title))
        for dl in filter(is_tag_list, preface.find_all("dl")):
            self._read_tags(dl)
        byline = preface.find(class_="byline") or _parent_of(preface.find("a", rel="author"))
        if isinstance(byline, Tag) and not self.work.authors:
            self.work.authors = parse_byline(byline)
        if self.work.url is None:
            message = preface.find("p", class_="message")
            self.work.url = work_link(message if isinstance(message, Tag) else preface)
        for kind, block in _labelled_blocks(preface):
            if kind == "summary":
                self.work.summary.extend(paragraphs(block))
            elif kind == "notes":
                self.work.notes.extend(paragraphs(block))

    def _read_tags(self, dl: Tag) -> None:
        self.work.is_ao3 = True
        for key, values in parse_tags(dl).items():
            self.work.attributes.setdefault(key, values)

    def _read_download_chapters(self, container: Tag) -> None:
        """The download's chapters, in order: preface block, story, end notes (by shape)."""
        self.work.is_ao3 = True
        for child in container.contents:
            if isinstance(child, Tag):
                if child.name in IGNORED_TAGS or child.name in _HEADINGS:
                    continue  # a heading right in the container is the table of contents' anchor
                if (heading := chapter_heading(child)) is not None:
                    self._start_chapter(child, heading)
                    continue
                if is_chapter_end_notes(child):
                    self._chapter_end_notes(child)
                    continue
                text = paragraphs(child)
            else:
                text = [" ".join(str(child).split())] if is_text(child) and str(child).strip() else []
            if text:  # the story, or its continuation in the next file of a split EPUB
                if not self.work.chapters:
                    self.work.chapters.append(Ao3Chapter(number=1))
                self.work.chapters[-1].story.extend(text)

    def _chapter_end_notes(self, element: Tag) -> None:
        text = _labelled_text(element, {"end_notes", "notes"})
        if self.work.chapters:
            self.work.chapters[-1].end_notes.extend(text)
        else:
            self.work.end_notes.extend(text)

    def _start_chapter(self, meta: Tag, heading: Tag) -> None:
        self.work.is_ao3 = True
        heading_text = clean_title(inline_text(heading))
        previous = self.work.chapters[-1].number if self.work.chapters else 0
        match = _CHAPTER_NUMBER.match(heading_text)
        number = int(match.group(1)) if match else 0
        chapter = Ao3Chapter(number if number > previous else previous + 1, heading_text)
        for kind, block in _labelled_blocks(meta):
            parts = {"summary": chapter.summary, "notes": chapter.notes}
            parts.get(kind, chapter.end_notes).extend(paragraphs(block))
        self.work.chapters.append(chapter)


def _parent_of(element: object) -> Tag | None:
    return element.parent if isinstance(element, Tag) else None


def _is_story(element: Tag, classes: set[str], containers: set[int]) -> bool:
    """A ``div.userstuff`` with no structure inside: one chapter's story text."""
    return "userstuff" in classes and element.name != "blockquote" and id(element) not in containers


def _is_end_notes(element_id: str, classes: set[str]) -> bool:
    return (
        element_id in _WORK_END_NOTES_IDS
        or CHAPTER_END_NOTES_ID.fullmatch(element_id) is not None
        or {"end", "notes"} <= classes
    )


def _chapter_heading(element: Tag, classes: set[str]) -> Tag | None:
    """The heading of a chapter's preface block (download or web layout), if this is one."""
    if element.name != "div" or not classes & {"meta", "preface"}:
        return None
    heading = element.find(_is_chapter_heading)
    return heading if isinstance(heading, Tag) else None


def _is_chapter_heading(element: Tag) -> bool:
    # Download: h2.heading. Web page: h3.title (its h2.title.heading is the work's title).
    classes = class_names(element)
    if element.name == "h2":
        return "heading" in classes and "title" not in classes
    return element.name == "h3" and "title" in classes


def _is_structural(element: Tag) -> bool:
    element_id = str(element.get("id") or "")
    classes = class_names(element)
    return (
        element_id in {"preface", "afterword", "chapters"}
        or bool(classes & {"userstuff", "toc-heading", "meta", "preface", "tags"})
        or _is_end_notes(element_id, classes)
    )


def _structure_ancestors(root: Tag) -> set[int]:
    """``id()`` of every element under ``root`` that has a structural element inside it."""
    marked: set[int] = set()
    for element in filter(_is_structural, iter_tags(root)):
        for parent in element.parents:
            if id(parent) in marked or parent is root:
                break
            marked.add(id(parent))
    return marked


def _labelled_blocks(container: Tag) -> list[tuple[str, Tag]]:
    """``(kind, blockquote)`` for each labelled blockquote: summary, notes or end notes."""
    found: list[tuple[str, Tag]] = []
    for quote in container.find_all("blockquote"):
        kind = _kind_from_ancestors(quote, container) or _kind_from_label(quote)
        if kind is not None and kind != "nested":
            found.append((kind, quote))
    return found


def _kind_from_ancestors(quote: Tag, container: Tag) -> str | None:
    """The web layout names the block by its wrapper: ``div#summary``, ``div.end.notes`` …"""
    for parent in quote.parents:
        if parent.name == "blockquote":
            return "nested"  # a quote inside a note belongs to that note's text
        element_id, classes = str(parent.get("id") or ""), class_names(parent)
        if _is_end_notes(element_id, classes):
            return "end_notes"
        if element_id == "summary" or "summary" in classes:
            return "summary"
        if element_id == "notes" or "notes" in classes:
            return "notes"
        if parent is container:
            break
    return None


def _kind_from_label(quote: Tag) -> str | None:
    """The download layout puts a ``<p>Summary</p>`` label just before the blockquote."""
    label = quote.find_previous_sibling(True)
    if not isinstance(label, Tag):
        return None
    return label_kind(label)


def _labelled_text(container: Tag, kinds: set[str]) -> list[str]:
    return [
        text for kind, block in _labelled_blocks(container) if kind in kinds for text in paragraphs(block)
    ]
