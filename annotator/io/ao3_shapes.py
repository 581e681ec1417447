"""Recognise the parts of an AO3 download by their shape, with class names only as a hint.

Calibre builds AO3's EPUBs from the HTML download and renames classes on the way
(``div.meta.group`` → ``div.calibre1``, ``div.userstuff`` → ``div.userstuff1``/``userstuff2``;
the numbers change from book to book), while ids (``preface``, ``chapters``, ``endnotes2``,
``afterword``), the nesting and the fixed texts AO3 writes ("Chapter 2: …", "Chapter End Notes",
"Rating:") survive. So a part is known by what it holds and where it sits:

* the chapters container: ``id="chapters"``, or any ``div`` with a chapter preface directly inside;
* a chapter preface: a ``div`` whose first element is an ``h2`` chapter heading ("Chapter N…" or
  class ``heading``) and whose other children are only labels, quoted notes and note links;
* a chapter's end notes: ``id="endnotesN"``, or a ``div`` that opens with a "Chapter End Notes"
  label;
* the tag list: a ``dl`` whose ``dt`` labels are AO3's ("Rating:", "Fandom:", "Stats:" …).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import Tag

from annotator.io.html_text import inline_text

CHAPTER_HEADING_TEXT = re.compile(r"^\s*Chapter\s+\d{1,6}\b", re.IGNORECASE)
CHAPTER_END_NOTES_ID = re.compile(r"endnotes\d+|chapter_\d+_endnotes")
_WEB_CHAPTER_ID = re.compile(r"chapter-\d+")
_TRAILING_DIGITS = re.compile(r"\d+$")
# Texts of the <p> labels AO3 puts before a quoted block, lower case, without the colon.
LABELS = {
    "summary": "summary",
    "chapter summary": "summary",
    "notes": "notes",
    "chapter notes": "notes",
    "end notes": "end_notes",
    "chapter end notes": "end_notes",
}
_TAG_LABELS = frozenset(
    {
        "rating",
        "ratings",
        "archive warning",
        "archive warnings",
        "category",
        "categories",
        "fandom",
        "fandoms",
        "relationship",
        "relationships",
        "character",
        "characters",
        "additional tags",
        "language",
        "stats",
    }
)
INSPIRED_LABEL = "works inspired by this one"
_BLOCKS = ["p", "div", "blockquote", "ul", "ol", "dl", "table"]
_PartTest = Callable[[Tag, "Tag | None"], "str | None"]


def class_names(element: Tag) -> set[str]:
    """The element's classes, each also without a trailing number (Calibre's ``userstuff2``)."""
    value = element.get("class")
    names = set(value) if isinstance(value, list) else set(str(value or "").split())
    return names | {_TRAILING_DIGITS.sub("", name) for name in names}


def label_kind(element: Tag) -> str | None:
    """``summary`` / ``notes`` / ``end_notes`` if ``element`` is one of AO3's block labels."""
    return LABELS.get(label_text(element))


def label_text(element: Tag, limit: int = 60) -> str:
    """The start of ``element``'s text, folded for comparing with AO3's fixed texts.

    Reads only the first text nodes: a story block tested for being a label costs no more than
    a label.
    """
    pieces: list[str] = []
    size = 0
    for text in element.stripped_strings:
        pieces.append(text)
        size += len(text) + 1
        if size > limit:
            break
    return " ".join(" ".join(pieces).split()).rstrip(":").strip().casefold()[:limit]


def is_chapters_container(element: Tag) -> bool:
    """The download's ``div#chapters`` (not the web page's, which holds ``div.chapter`` wrappers)."""
    if element.name != "div" or element.get("role") is not None:
        return False
    children = element.find_all(True, recursive=False)
    if any(_WEB_CHAPTER_ID.fullmatch(str(child.get("id") or "")) for child in children):
        return False
    return element.get("id") == "chapters" or any(chapter_heading(child) is not None for child in children)


def chapter_heading(element: Tag) -> Tag | None:
    """The ``h2`` of a download chapter's preface block, if ``element`` is one."""
    if element.name != "div":
        return None
    children = element.find_all(True, recursive=False)
    if not children or children[0].name != "h2":
        return None
    heading = children[0]
    heading_classes = class_names(heading)
    if "toc-heading" in heading_classes:
        return None
    text = inline_text(heading)
    if not CHAPTER_HEADING_TEXT.match(text) and not ("heading" in heading_classes and text):
        return None
    # A story that happens to open with "Chapter 1" has paragraphs of text; a chapter preface has
    # only labels, quoted notes, a byline and "see the end of the chapter" links.
    previous = heading
    for child in children[1:]:
        if not _is_preface_part(child, previous):
            return None
        previous = child
    return heading


def _is_preface_part(child: Tag, previous: Tag) -> bool:
    """A label, a byline, a quoted note right after its label, or a note link."""
    if child.name == "p":
        by = label_text(child).startswith("by ")
        return label_kind(child) is not None or "byline" in class_names(child) or by
    if child.name == "blockquote":
        return previous.name == "p" and label_kind(previous) is not None
    if child.name == "div":
        link = label_text(child).startswith("see the end of the chapter")
        return "endnote-link" in class_names(child) or link
    return False


def is_chapter_end_notes(element: Tag) -> bool:
    if CHAPTER_END_NOTES_ID.fullmatch(str(element.get("id") or "")):
        return True
    first = element.find(True, recursive=False) if element.name == "div" else None
    return isinstance(first, Tag) and first.name == "p" and label_text(first) == "chapter end notes"


def is_tag_list(element: Tag) -> bool:
    """AO3's tag list: ``dl.tags``, or a ``dl`` whose ``dt`` labels are AO3's own."""
    if element.name != "dl":
        return False
    if "tags" in class_names(element):
        return True
    labels = {label_text(dt) for dt in element.find_all("dt", recursive=False)}
    return len(labels & _TAG_LABELS) >= 2


def inspired_works(afterword: Tag) -> list[str]:
    """The afterword's "Works inspired by this one:" list, one entry per work."""
    works: list[str] = []
    for dt in afterword.find_all("dt"):
        if label_text(dt) != INSPIRED_LABEL:
            continue
        for sibling in dt.find_next_siblings(["dt", "dd"]):
            if sibling.name == "dt":
                break
            text = inline_text(sibling)
            if text:
                works.append(text)
    return works


def is_preface(element: Tag) -> bool:
    """``div#preface``, or a top-level block made only of the parts AO3's preface has."""
    if element.get("id") == "preface":
        return True
    marks = _made_of(element, _preface_part) if _top_level(element) else None
    return marks is not None and ("tags" in marks or {"title", "byline"} <= marks)


def is_afterword(element: Tag) -> bool:
    """``div#afterword``, or a top-level block made only of the parts AO3's afterword has."""
    if element.get("id") == "afterword":
        return True
    marks = _made_of(element, _afterword_part) if _top_level(element) else None
    return bool(marks and marks & {"end notes", "inspired"})


def _top_level(element: Tag) -> bool:
    return element.name == "div" and element.parent is not None and element.parent.name == "body"


def _made_of(element: Tag, part: _PartTest, depth: int = 0) -> set[str] | None:
    """The marks of ``element``'s parts, or None if one of them is foreign.

    Plain wrapper ``div``s (Calibre's ``div.calibre1``) are looked into, two levels deep.
    """
    marks: set[str] = set()
    previous: Tag | None = None
    for child in element.find_all(True, recursive=False):
        mark = part(child, previous)
        if mark is None:
            inner = _made_of(child, part, depth + 1) if child.name == "div" and depth < 2 else None
            if inner is None:
                return None
            marks |= inner
        else:
            marks.add(mark)
        previous = child
    return marks


def _preface_part(child: Tag, previous: Tag | None) -> str | None:
    """What a preface part is ("title", "tags", "byline", "" for others); None if foreign."""
    if child.name == "h1":
        return "title"
    if is_tag_list(child):
        return "tags"
    if child.name == "h2":
        return "" if "toc-heading" in class_names(child) or label_text(child) == "preface" else None
    if child.name == "p":
        posted = "posted originally on the" in label_text(child, 400)
        return "" if label_kind(child) is not None or posted else None
    if child.name == "blockquote":
        return "" if previous is not None and label_kind(previous) is not None else None
    if child.name == "ul":
        return ""  # the works this one is inspired by or translated to
    if child.name == "div" and label_text(child).startswith("by ") and not child.find(_BLOCKS):
        return "byline"  # "by <a rel=author>name</a>", or "by Anonymous"
    return "" if child.name == "div" and label_text(child).startswith("see the end of the work") else None


def _afterword_part(child: Tag, previous: Tag | None) -> str | None:
    """What an afterword part is ("end notes", "inspired", "" for others); None if foreign."""
    if child.name == "h2":
        return "" if "toc-heading" in class_names(child) or label_text(child) == "afterword" else None
    if child.name == "p":
        if label_text(child) == "end notes":
            return "end notes"
        return "" if "drop by the archive and comment" in label_text(child, 400) else None
    if child.name == "blockquote":
        return "" if previous is not None and label_kind(previous) is not None else None
    if child.name == "dl":
        return "inspired" if inspired_works(child) else None
    return None
