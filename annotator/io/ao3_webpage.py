"""AO3 web pages saved from a browser: read a work's page, refuse every other page of the site.

Researchers often save a work's page instead of using Download. The page holds the same work as
the download, laid out differently (from otwarchive's views):

- the metadata in ``dl.work.meta`` (``dd.rating.tags`` …, ``dd.stats`` with a nested ``dl``);
- ``div#workskin > div.preface.group``: ``h2.title``, ``h3.byline``, ``div.summary``, ``div.notes``
  (summary and notes only on a work's first chapter);
- ``div#chapters``: one ``div.userstuff`` (a one-chapter work) or a ``div.chapter`` per chapter;
- ``div#work_endnotes`` in the afterword; the work id in the page's own links and forms.

The site's other pages (a 404, the login page, the page shown for a work locked to registered
users, the adult-content warning, lists of works or bookmarks) have no work in them; importing
their text as a "work" would silently add junk to a project, so they are refused with a line that
says what the page is. HTML that is not a page of the site goes to the download importer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import unquote

from bs4 import BeautifulSoup, Tag

from annotator.core.types import ImportedDocument
from annotator.io.ao3_html import build_ao3_document, read_ao3_html
from annotator.io.ao3_preface import parse_byline, parse_tags
from annotator.io.ao3_structure import Ao3Reader, Ao3Work
from annotator.io.decoding import declared_encoding, decode
from annotator.io.errors import DocumentImportError, import_guard
from annotator.io.html_text import document_title, inline_text, paragraphs, parse_html
from annotator.io.values import clean_title, clean_value

# Cheap test on the raw bytes, so a download or a plain HTML file is parsed only once (by the
# download importer): every page of the site has div#outer and div#main; a work page #workskin.
_SITE_MARKER = re.compile(
    rb"""\bid\s*=\s*["']?(?:outer|main|workskin)["'\s>]|\bwork\s+meta\s+group\b""", re.IGNORECASE
)
_UTF16_OR_32_BOM = (b"\xff\xfe", b"\xfe\xff")
# The page's statistics that the download leaves out: they change daily and are not the work.
PAGE_ONLY_STATS = frozenset({"comments", "kudos", "bookmarks", "hits"})
DEFAULT_HOST = "https://archiveofourown.org"
# Links and forms that name this work (never "← Previous Work" or an "Inspired by" link).
_OWN_WORK_LINKS = (
    re.compile(r"/downloads/(\d{1,12})/"),
    re.compile(r"/works/(\d{1,12})/(?:share|kudos|bookmarks|comments|chapters|navigate)\b"),
    re.compile(r"/works/(\d{1,12})\?(?:style|view_full_work|view_adult)="),
    re.compile(r"show_comments\?work_id=(\d{1,12})"),
)
_HOST = re.compile(r"^(https?://[^/\s?#]+)/")
_RETURN_TO_WORK = re.compile(r"return_to=/works/(\d{1,12})")
_ERROR_HEADING = re.compile(r"^Error\s+(\d{3})\b", re.IGNORECASE)
_REGISTERED_ONLY = re.compile(r"only available to registered users", re.IGNORECASE)
_ADULT_WARNING = re.compile(r"\b(?:potentially has|could have|may have|contains?) adult content\b", re.I)
_MAX_QUOTED = 100


@dataclass(frozen=True)
class PageKind:
    """What a saved page of the site is: a work page, or the reason it is refused."""

    is_work: bool
    refusal: str = ""


WORK_PAGE = PageKind(is_work=True)


@import_guard("HTML")
def read_html(data: bytes, source_name: str) -> ImportedDocument:
    """The ``.html`` importer: a saved AO3 page is read or refused here; other HTML is a download."""
    if not _may_be_site_page(data):
        return read_ao3_html(data, source_name)
    decoded = decode(data, source_name, declared=declared_encoding(data))
    soup = parse_html(decoded.text, source_name)
    kind = classify_page(soup)
    if kind is None:
        return read_ao3_html(data, source_name)
    if not kind.is_work:
        raise DocumentImportError(source_name, kind.refusal)
    document = build_ao3_document(read_work_page(soup), source_name, source_format="ao3-html")
    return replace(document, notes=decoded.notes)


def _may_be_site_page(data: bytes) -> bool:
    if data.startswith(_UTF16_OR_32_BOM):
        return True  # the marker test below reads ASCII only; parse such a page to be sure
    return _SITE_MARKER.search(data) is not None


def classify_page(soup: BeautifulSoup) -> PageKind | None:
    """The kind of AO3 page ``soup`` is, or None when it is not a page of the site at all."""
    chapters = soup.find(id="chapters")
    main = soup.find(id="main")
    shows_work = isinstance(main, Tag) and bool(_classes(main) & {"works-show", "chapters-show"})
    if isinstance(chapters, Tag) and (
        shows_work or soup.select_one("dl.work.meta") or soup.find(id="workskin")
    ):
        return WORK_PAGE
    if not isinstance(main, Tag) or not ("region" in _classes(main) or soup.find(id="outer")):
        return None
    text = _site_text(main)
    if _REGISTERED_ONLY.search(text):
        # The login page reached from a work's "Log In" link returns to that work too; only
        # this sentence tells the locked work's page from the plain login page.
        locked_work = _locked_work_id(main)
        which = f" (work {locked_work})" if locked_work else ""
        return _refuse(
            f"is an AO3 work locked to registered users{which}: the page has no work text; "
            "log in and use Download"
        )
    if _ADULT_WARNING.search(text):
        title = _first_blurb_title(main)
        which = f" for {title!r}" if title else ""
        return _refuse(
            f"is AO3's adult-content warning{which}, not the work: choose Proceed on AO3, "
            "then save the page or use Download"
        )
    if (error := _error_description(main)) is not None:
        return _refuse(f"is an AO3 error page ({error}), not a work")
    if main.find(id="loginform") or "sessions-new" in _classes(main):
        return _refuse("is the AO3 login page, not a work")
    listing = _listing_kind(main)
    if listing:
        return _refuse(f"is an AO3 list of {listing}, not a work: open a work and use Download")
    title = _quoted(document_title(soup))
    return _refuse(f"is an AO3 page{f' ({title})' if title else ''}, not a work")


def _refuse(reason: str) -> PageKind:
    return PageKind(is_work=False, refusal=reason)


def _site_text(main: Tag) -> str:
    """The site's own sentences in ``main``: not a listed work's summary, which anyone writes."""
    return " ".join(
        inline_text(element)
        for element in main.find_all(["p", "h2", "h3"])
        if element.find_parent(_is_user_content) is None
    )


def _is_user_content(element: Tag) -> bool:
    return element.name == "blockquote" or (element.name == "li" and "blurb" in _classes(element))


def read_work_page(soup: BeautifulSoup) -> Ao3Work:
    """The work on a saved work page: metadata, preface, chapters and end notes."""
    work = Ao3Work(is_ao3=True)
    meta = soup.select_one("dl.work.meta")
    if meta is not None:
        tags = parse_tags(meta)
        work.attributes = {key: values for key, values in tags.items() if key not in PAGE_ONLY_STATS}
    preface = _work_preface(soup)
    if preface is not None:
        title = preface.find(["h2", "h1"], class_="title")
        if isinstance(title, Tag):
            work.title = clean_title(inline_text(title))
        byline = preface.find(class_="byline")
        if isinstance(byline, Tag):
            work.authors = parse_byline(byline)
        work.summary = _module_text(preface, "summary")
        work.notes = _module_text(preface, "notes")
    work.url = work_url(soup)
    chapters = soup.find(id="chapters")
    if isinstance(chapters, Tag):
        reader = Ao3Reader()
        reader.feed(chapters)
        work.chapters = reader.work.chapters
        work.loose = reader.work.loose
    end_notes = soup.find(id="work_endnotes")
    if isinstance(end_notes, Tag):
        work.end_notes = _quoted_paragraphs(end_notes)
    return work


def work_url(soup: BeautifulSoup) -> tuple[str, str] | None:
    """``(url, work id)`` from the links and forms that act on this work (share, download …)."""
    targets = [str(a.get("href") or "") for a in soup.find_all("a", href=True)]
    targets += [str(form.get("action") or "") for form in soup.find_all("form", action=True)]
    for pattern in _OWN_WORK_LINKS:
        for target in targets:
            match = pattern.search(target)
            if match:
                host = _HOST.match(target)
                base = host.group(1) if host else DEFAULT_HOST
                return clean_value(f"{base}/works/{match.group(1)}"), match.group(1)
    return None


def _work_preface(soup: BeautifulSoup) -> Tag | None:
    """The work's ``div.preface`` (title, byline, summary, notes), not a chapter's."""
    for preface in soup.select("div.preface"):
        if "chapter" not in _classes(preface) and preface.find(class_="title"):
            return preface
    return None


def _module_text(preface: Tag, kind: str) -> list[str]:
    """The paragraphs of ``div.summary`` or ``div.notes``: its quoted text, not the jump link."""
    module = preface.find("div", class_=kind)
    if not isinstance(module, Tag) or _classes(module) & {"end", "chapter"}:
        return []
    return _quoted_paragraphs(module)


def _quoted_paragraphs(module: Tag) -> list[str]:
    quotes = [q for q in module.find_all("blockquote") if q.find_parent("blockquote") is None]
    return [text for quote in quotes for text in paragraphs(quote)]


def _locked_work_id(main: Tag) -> str | None:
    """The work a login form returns to (``/users/login?return_to=%2Fworks%2F185710``)."""
    for form in main.find_all("form", action=True):
        match = _RETURN_TO_WORK.search(unquote(str(form["action"])))
        if match:
            return match.group(1)
    return None


def _error_description(main: Tag) -> str | None:
    """``Error 404: The page you were looking for doesn't exist.`` for the site's error pages."""
    heading = main.find("h2")
    match = _ERROR_HEADING.match(inline_text(heading)) if isinstance(heading, Tag) else None
    classes = _classes(main)
    if match is None and not any(name.startswith("error") for name in classes):
        return None
    code = match.group(1) if match else next((c[6:] for c in classes if c.startswith("error-")), "")
    reason = main.find("h3")
    detail = _quoted(inline_text(reason)) if isinstance(reason, Tag) else ""
    label = f"Error {code}" if code else "an error"
    return f"{label}: {detail}" if detail else label


def _listing_kind(main: Tag) -> str:
    """``"bookmarks"`` or ``"works"`` for a page that lists blurbs (search, tag, series, user)."""
    blurbs = [li for li in main.find_all("li") if "blurb" in _classes(li)]
    if any("bookmark" in _classes(li) for li in blurbs) or main.select_one("ol.bookmark.index"):
        return "bookmarks"
    if blurbs or main.select_one("ol.work.index"):
        return "works"
    return ""


def _first_blurb_title(main: Tag) -> str:
    blurb = main.select_one("li.blurb h4.heading a")
    return _quoted(inline_text(blurb)) if isinstance(blurb, Tag) else ""


def _quoted(text: str) -> str:
    text = clean_value(text)
    return text if len(text) <= _MAX_QUOTED else text[: _MAX_QUOTED - 1].rstrip() + "…"


def _classes(element: Tag) -> set[str]:
    value = element.get("class")
    return set(value) if isinstance(value, list) else set(str(value or "").split())
