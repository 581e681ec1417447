"""One AO3 work built two ways: as AO3's HTML download and as the EPUB Calibre makes of it.

The HTML follows otwarchive's download templates (``div#preface`` with ``dl.tags``,
``div#chapters.userstuff`` holding ``div.meta.group`` + ``div.userstuff`` + ``div.meta#endnotesN``
per chapter, ``div#afterword``). The EPUB copies what Calibre really writes, as in the real
``218676_incompleteWork.epub``: a title page holding the message and the tag list, the preface
proper, one file per chapter inside a copy of ``div#chapters``, the afterword last; classes
renamed (``meta group`` → ``calibreN``, ``userstuff`` → ``userstuffN``), a page-break stub
``div > div#calibre_pb_N`` at each split, ``&nbsp;`` written as the character itself.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from tests.io.builders import epub_bytes, opf


@dataclass(frozen=True)
class Chapter:
    heading: str  # "Chapter 2: Title", as AO3 writes it
    story: str  # the chapter's HTML
    summary: str = ""
    notes: str = ""
    end_notes: str = ""


@dataclass(frozen=True)
class Work:
    chapters: tuple[Chapter, ...]
    title: str = "Ash & Ember"
    author: str = "quillfeather"
    work_id: str = "31415926"
    summary: str = "<p>Two smiths, one forge.</p>"
    notes: str = "<p>Written for a prompt.</p>"
    end_notes: str = "<p>Thank you for reading.</p>"
    inspired: tuple[str, ...] = ()  # HTML of each "Works inspired by this one" entry


@dataclass(frozen=True)
class Renaming:
    """The class names one Calibre run chose (they differ from book to book)."""

    meta: str = "calibre1"  # div.meta, div.meta.group and other plain divs
    chapters: str = "userstuff1"  # div#chapters.userstuff
    story: str = "userstuff2"  # each chapter's div.userstuff
    paragraph: str = "calibre7"
    dt: str = "calibre3"
    dd: str = "calibre4"
    heading: str = "heading"  # h2.heading (kept in the real file; renamed in others)
    stub: str = "calibre8"


TAGS = {
    "Rating": ["Mature"],
    "Archive Warning": ["No Archive Warnings Apply"],
    "Fandom": ["Forge Tales"],
    "Relationship": ["Ash/Ember"],
    "Characters": ["Ash", "Ember"],
    "Additional Tags": ["Slow Burn", "Blacksmithing"],
}


def download_html(work: Work) -> str:
    """The work as AO3's "Download ▸ HTML" writes it."""
    return (
        '<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8"/>'
        f"<title>{html.escape(work.title)} - {work.author}</title></head>\n<body>\n"
        f"{_preface(work, Renaming(), calibre=False)}\n{_chapters_html(work)}\n"
        f"{_afterword(work, calibre=False)}\n</body>\n</html>\n"
    )


def calibre_epub(work: Work, names: Renaming | None = None) -> bytes:
    """The work as AO3's "Download ▸ EPUB" (Calibre) writes it: renamed classes, split files."""
    names = names or Renaming()
    title_page, preface = _preface(work, names, calibre=True).split("<!--split-->")
    chapters = [
        _calibre_chapter(work, names, number, chapter, last=number == len(work.chapters))
        for number, chapter in enumerate(work.chapters, start=1)
    ]
    opening = f'<div class="{names.meta}"><div class="{names.stub}" id="calibre_pb_1"></div></div>'
    bodies = [
        title_page,
        f'{preface}\n<div class="{names.chapters}" id="chapters">{opening}</div>',
        *chapters,
        _afterword(work, calibre=True, names=names),
    ]
    files: dict[str, str | bytes] = {}
    items = []
    for index, body in enumerate(bodies):
        name = f"Ash_and_Ember_split_{index:03d}.xhtml"
        files[name] = _calibrated(_page(body, work.title), names)
        items.append((f"html{len(bodies) - index}", name))
    files["content.opf"] = opf(items, [i for i, _ in items], html.escape(work.title), work.author)
    container = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    return epub_bytes(files, container=container)


def _preface(work: Work, names: Renaming, *, calibre: bool) -> str:
    url = f"https://archiveofourown.org/works/{work.work_id}"
    meta = names.meta if calibre else "meta"
    tags = "".join(
        f"<dt{_cls(names.dt, calibre)}>{label}:</dt><dd{_cls(names.dd, calibre)}>"
        + ", ".join(f'<a href="https://archiveofourown.org/tags/{v}">{v}</a>' for v in values)
        + "</dd>"
        for label, values in TAGS.items()
    )
    words = sum(len(re.sub(r"<[^>]+>", " ", c.story).split()) for c in work.chapters)
    stats = f"Published: 2020-01-02 Words: {words:,} Chapters: {len(work.chapters)}/{len(work.chapters)}"
    tags += f"<dt{_cls(names.dt, calibre)}>Language:</dt><dd{_cls(names.dd, calibre)}>English</dd>"
    tags += f"<dt{_cls(names.dt, calibre)}>Stats:</dt><dd{_cls(names.dd, calibre)}>{stats}</dd>"
    title_page = (
        f'<div id="preface"{_cls(names.meta, calibre)}><h2 class="toc-heading">Preface</h2>'
        f'<p class="message"><b>{html.escape(work.title)}</b><br/>Posted originally on the '
        f'<a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="{url}">{url}</a>.</p>'
        f'<div class="{meta}"><dl class="tags">{tags}</dl>'
    )
    end_link = (
        '<div class="endnote-link">See the end of the work for <a href="#endnotes">more notes</a></div>'
    )
    rest = (
        f"<h1{_cls('calibre6', calibre)}>{html.escape(work.title)}</h1>"
        f'<div class="byline">by <a rel="author" href="https://archiveofourown.org/users/{work.author}">'
        f"{work.author}</a></div>"
        f'<p>Summary</p><blockquote class="userstuff">{work.summary}</blockquote>'
        f'<p>Notes</p><blockquote class="userstuff">{work.notes}</blockquote>{end_link}</div></div>'
    )
    if not calibre:
        return title_page + rest
    # Calibre closes the title page after the tag list and reopens the wrappers for the rest.
    return (
        f"{title_page}</div></div><!--split-->"
        f'<div id="preface" class="{names.meta}"><div class="{names.meta}">{rest}'
    )


def _chapter_meta(chapter: Chapter, number: int, names: Renaming, *, calibre: bool) -> str:
    heading_class = names.heading if calibre else "heading"
    toc_id = f' id="calibre_toc_{number + 2}"' if calibre else ""
    parts = [f'<h2 class="{heading_class}"{toc_id}>\n      {chapter.heading}\n  </h2>']
    if chapter.summary:
        parts.append(f'<p>Chapter Summary</p><blockquote class="userstuff">{chapter.summary}</blockquote>')
    if chapter.notes or chapter.end_notes:
        parts.append("<p>Chapter Notes</p>")
        if chapter.notes:
            parts.append(f'<blockquote class="userstuff">{chapter.notes}</blockquote>')
        if chapter.end_notes:
            parts.append(
                '<div class="endnote-link">See the end of the chapter for '
                f'<a href="#endnotes{number}">{"more notes" if chapter.notes else "notes"}</a></div>'
            )
    return f'<div class="{names.meta if calibre else "meta group"}">{"".join(parts)}</div>'


def _chapter_end_notes(chapter: Chapter, number: int, meta: str) -> str:
    if not chapter.end_notes:
        return ""
    return (
        f'<div class="{meta}" id="endnotes{number}"><p>Chapter End Notes</p>'
        f'<blockquote class="userstuff">{chapter.end_notes}</blockquote></div>'
    )


def _chapters_html(work: Work) -> str:
    if len(work.chapters) == 1:
        inner = f'<h2 class="toc-heading">{html.escape(work.title)}</h2>'
        inner += f'<div class="userstuff">{work.chapters[0].story}</div>'
    else:
        inner = "".join(
            _chapter_meta(chapter, number, Renaming(), calibre=False)
            + f'\n<!--chapter content-->\n<div class="userstuff">{chapter.story}</div>\n'
            + "<!--/chapter content-->\n"
            + _chapter_end_notes(chapter, number, "meta")
            for number, chapter in enumerate(work.chapters, start=1)
        )
    return f'<div id="chapters" class="userstuff">{inner}</div>'


def _calibre_chapter(work: Work, names: Renaming, number: int, chapter: Chapter, *, last: bool) -> str:
    if len(work.chapters) == 1:
        meta = f'<h2 class="toc-heading" id="calibre_toc_3">{html.escape(work.title)}</h2>'
    else:
        meta = _chapter_meta(chapter, number, names, calibre=True)
    body = f'{meta}<div class="{names.story}">{chapter.story}</div>'
    body += _chapter_end_notes(chapter, number, names.meta)
    stub = f'<div class="{names.stub}" id="calibre_pb_{number + 2}"></div>'
    if not last:
        return (
            f'<div class="{names.chapters}" id="chapters">{body}<div class="{names.meta}">{stub}</div></div>'
        )
    afterword_stub = f'<div id="afterword" class="{names.meta}">{stub}</div>'
    return f'<div class="{names.chapters}" id="chapters">{body}</div>{afterword_stub}'


def _afterword(work: Work, *, calibre: bool, names: Renaming | None = None) -> str:
    meta = names.meta if calibre and names else "meta"
    inner = (
        f'<div id="endnotes"{_cls(meta, calibre)}><p>End Notes</p>'
        f'<blockquote class="userstuff">{work.end_notes}</blockquote></div>'
    )
    if work.inspired:
        entries = "".join(f"<dd{_cls('calibre12', calibre)}>{entry}</dd>" for entry in work.inspired)
        label = f"<dt{_cls('calibre3', calibre)}>Works inspired by this one:</dt>"
        inner += f"<dl{_cls('calibre11', calibre)}>{label}{entries}</dl>"
    return (
        f'<div id="afterword"{_cls(meta, calibre)}><h2 class="toc-heading">Afterword</h2>'
        f'<div class="{meta}">{inner}</div><p class="message">Please <a href="https://archiveofourown.org/'
        f'works/{work.work_id}/comments/new">drop by the Archive and comment</a> to let the creator know '
        "if you enjoyed their work!</p></div>"
    )


def _page(body: str, title: str) -> str:
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">\n<head>'
        f'<title>{html.escape(title)}</title><link rel="stylesheet" type="text/css" href="stylesheet.css"/>'
        f'</head>\n<body class="calibre">\n{body}\n</body></html>\n'
    )


def _cls(name: str, calibre: bool) -> str:
    return f' class="{name}"' if calibre else ""


def _calibrated(markup: str, names: Renaming) -> str:
    """What Calibre does to the markup itself: classes on bare tags, entities as characters."""
    markup = markup.replace("&nbsp;", "\u00a0")
    markup = re.sub(r"<p>", f'<p class="{names.paragraph}">', markup)
    markup = re.sub(r"<hr\s*/?>", '<hr class="calibre10"/>', markup)
    return re.sub(r"<(i|em)>", r'<\1 class="calibre9">', markup)
