# ruff: noqa: E501  (page markup reads best one element group a line, as the pages have it)
"""One work written out twice: as AO3's HTML download and as the work's page saved from a browser.

The layouts copy the structure of the real files in ``../shared/samples/real`` (the downloads
``218676_incompleteWork.html`` and ``first-as-farce.html``, the saved page ``unlockedWork.html``)
and of otwarchive's views (``works/_work_header``, ``chapters/_chapter``, ``works/_adult``,
``users/sessions/new``, ``bookmarks/index``, ``public/404.html``); the words are made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

TAG_FIELDS = (  # (dd class on the page, download label, attribute key)
    ("rating", "Rating", "rating"),
    ("warning", "Archive Warning", "warnings"),
    ("category", "Category", "categories"),
    ("fandom", "Fandom", "fandoms"),
    ("relationship", "Relationship", "relationships"),
    ("character", "Characters", "characters"),
    ("freeform", "Additional Tags", "additional_tags"),
)


@dataclass
class Chapter:
    text: list[str]
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""


@dataclass
class Work:
    work_id: int
    title: str
    authors: list[str]
    chapters: list[Chapter]
    tags: dict[str, list[str]] = field(default_factory=dict)  # attribute key → values
    series: list[tuple[int, str, int]] = field(default_factory=list)  # (series id, title, part)
    published: str = "2021-05-04"
    updated: str = ""  # "Updated:" for a work in progress, "Completed:" when finished
    complete: bool = True
    words: int = 1234
    summary: str = ""
    notes: str = ""
    end_notes: str = ""

    @property
    def chapter_count(self) -> str:
        posted = len(self.chapters)
        return f"{posted}/{posted if self.complete else '?'}"


def _quote(text: str) -> str:
    return (
        '<blockquote class="userstuff">'
        + "".join(f"<p>{escape(p)}</p>" for p in text.split("\n"))
        + "</blockquote>"
    )


def _heading(number: int, chapter: Chapter) -> str:
    return f"Chapter {number}" + (f": {chapter.title}" if chapter.title else "")


# --- the download (Download ▸ HTML) ----------------------------------------------------------


def download_html(work: Work) -> str:
    """The work as AO3's HTML download lays it out."""
    url = f"https://archiveofourown.org/works/{work.work_id}"
    tags = "".join(
        f"<dt>{label}:</dt><dd>"
        + ", ".join(f'<a href="https://archiveofourown.org/tags/x">{escape(v)}</a>' for v in work.tags[key])
        + "</dd>"
        for _, label, key in TAG_FIELDS
        if work.tags.get(key)
    )
    if work.tags.get("language"):
        tags += f"<dt>Language:</dt><dd>{escape(work.tags['language'][0])}</dd>"
    if work.series:
        tags += (
            "<dt>Series:</dt><dd>"
            + ", ".join(
                f'Part {part} of\n<a href="https://archiveofourown.org/series/{sid}">{escape(name)}</a>'
                for sid, name, part in work.series
            )
            + "</dd>"
        )
    status = f"{'Completed' if work.complete else 'Updated'}: {work.updated}" if work.updated else ""
    tags += (
        f"<dt>Stats:</dt><dd>\n Published: {work.published}\n {status}\n"
        f" Words: {work.words:,}\n Chapters: {work.chapter_count}\n</dd>"
    )
    byline = ", ".join(
        f'<a rel="author" href="https://archiveofourown.org/users/{a}/pseuds/{a}">{escape(a)}</a>'
        for a in work.authors
    )
    preface = f'<p class="message"><b>{escape(work.title)}</b><br/>Posted originally on the '
    preface += (
        f'<a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="{url}">{url}</a>.</p>'
    )
    preface += f'<div class="meta"><dl class="tags">{tags}</dl><h1>{escape(work.title)}</h1>'
    preface += f'<div class="byline">by {byline}</div>'
    if work.summary:
        preface += f"<p>Summary</p>{_quote(work.summary)}"
    if work.notes or work.end_notes:
        preface += "<p>Notes</p>" + (_quote(work.notes) if work.notes else "")
        if work.end_notes:
            preface += (
                '<div class="endnote-link">See the end of the work for <a href="#endnotes">notes</a></div>'
            )
    preface += "</div>"
    chapters = ""
    for number, chapter in enumerate(work.chapters, 1):
        if len(work.chapters) > 1:
            chapters += (
                f'<div class="meta group"><h2 class="heading">{escape(_heading(number, chapter))}</h2>'
            )
            if chapter.summary:
                chapters += f"<p>Chapter Summary</p>{_quote(chapter.summary)}"
            if chapter.notes:
                chapters += f"<p>Chapter Notes</p>{_quote(chapter.notes)}"
            chapters += "</div>"
        else:
            chapters += f'<h2 class="toc-heading">{escape(work.title)}</h2>'
        chapters += (
            '<div class="userstuff">' + "".join(f"<p>{escape(p)}</p>" for p in chapter.text) + "</div>"
        )
        if chapter.end_notes:
            chapters += f'<div class="meta" id="endnotes{number}"><p>Chapter End Notes</p>{_quote(chapter.end_notes)}</div>'
    afterword = ""
    if work.end_notes:
        afterword = (
            f'<div class="meta"><div id="endnotes"><p>End Notes</p>{_quote(work.end_notes)}</div></div>'
        )
    return (
        f'<!DOCTYPE html><html><head><meta charset="UTF-8"/><title>{escape(work.title)}</title></head><body>'
        f'<div id="preface"><h2 class="toc-heading">Preface</h2>{preface}</div>'
        f'<div id="chapters" class="userstuff">{chapters}</div>'
        f'<div id="afterword"><h2 class="toc-heading">Afterword</h2>{afterword}</div></body></html>'
    )


# --- the site around a page --------------------------------------------------------------------


def site_page(main: str, *, title: str, main_class: str, skin: bool = True, return_to: str = "") -> str:
    """A page of the site: header (with the small login form), div#main, footer."""
    styles = (
        '<link rel="stylesheet" type="text/css" media="screen" href="/stylesheets/skins/skin_1_default/1_site_screen_.css" />'
        '<link rel="stylesheet" href="/stylesheets/sandbox.css" />'
        if skin
        else ""
    )
    login = f"/users/login?return_to={return_to}" if return_to else "/users/login"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8" /><title>{escape(title)}</title>{styles}'
        '<script src="/javascripts/livevalidation_standalone.js"></script></head>'
        '<body class="logged-out"><div id="outer" class="wrapper">'
        '<ul id="skiplinks"><li><a href="#main">Main Content</a></li></ul>'
        '<header id="header" class="region"><h1 class="heading"><a href="/"><span>Archive of Our Own</span>'
        '<img alt="Archive of Our Own" class="logo" src="/images/ao3_logos/logo_42.png" /></a></h1>'
        f'<div id="login" class="dropdown"><p class="user actions"><a id="login-dropdown" href="{login}">Log In</a></p>'
        f'<div id="small_login" class="simple login"><form class="new_user" id="new_user_session_small" action="{login}" method="post">'
        '<dl><dt><label for="user_session_login_small">Username or email:</label></dt>'
        '<dd><input type="text" name="user[login]" /></dd></dl>'
        '<p class="submit actions"><input type="submit" name="commit" value="Log In" /></p></form></div></div>'
        '<nav aria-label="Site"><ul class="primary navigation actions"><li class="dropdown"><a href="/menu/fandoms">Fandoms</a>'
        '<ul class="menu"><li><a href="/media">All Fandoms</a></li></ul></li>'
        '<li class="dropdown"><a href="/menu/browse">Browse</a><ul class="menu"><li><a href="/works">Works</a></li>'
        '<li><a href="/bookmarks">Bookmarks</a></li></ul></li></ul></nav></header>'
        f'<div id="inner" class="wrapper"><div id="main" class="{main_class} region" role="main">'
        f'<div class="flash"></div>{main}<div class="clear"></div></div></div>'
        '<div id="footer" role="contentinfo" class="region"><h3 class="landmark heading">Footer</h3>'
        '<ul class="navigation actions"><li class="module group"><h4 class="heading">About the Archive</h4>'
        '<ul class="menu"><li><a href="/site_map">Site Map</a></li><li><a href="/tos">Terms of Service</a></li>'
        "</ul></li></ul></div></div></body></html>"
    )


# --- the work's page (saved from the browser) -------------------------------------------------


def work_page_html(work: Work, *, skin: bool = True, chapter: int | None = None) -> str:
    """The work's page: the entire work, or (``chapter=N``) one chapter of a chaptered work."""
    wid = work.work_id
    shown = list(enumerate(work.chapters, 1))
    if chapter is not None:
        shown = [shown[chapter - 1]]
    first, last = shown[0][0] == 1, shown[-1][0] == len(work.chapters)
    slug = "_".join(work.title.split()[:5])
    downloads = "".join(
        f'<li><a href="/downloads/{wid}/{slug}.{ext}?updated_at=1668537286">{ext.upper()}</a></li>'
        for ext in ("epub", "pdf", "html")
    )
    navigation = (
        '<h3 class="landmark heading">Actions</h3><ul class="work navigation actions">'
        + (
            f'<li class="chapter entire"><a href="/works/{wid}?view_full_work=true">Entire Work</a></li>'
            if chapter
            else ""
        )
        + f'<li class="comments" id="show_comments_link_top"><a data-remote="true" href="/comments/show_comments?work_id={wid}">Comments </a></li>'
        + f'<li class="style"><a href="/works/{wid}?style=disable">Hide Creator&#39;s Style</a></li>'
        + f'<li class="share hidden"><a class=" modal" title="Share Work" href="/works/{wid}/share">Share</a></li>'
        + f'<li class="download"><button class="hidden">Download</button><ul class="expandable secondary">{downloads}</ul></li></ul>'
    )
    meta = ""
    for css, label, key in TAG_FIELDS:
        if work.tags.get(key):
            links = "".join(
                f'<li><a class="tag" href="/tags/x/works">{escape(v)}</a></li>' for v in work.tags[key]
            )
            meta += f'<dt class="{css} tags">\n\n {label}:\n</dt>\n<dd class="{css} tags"><ul class="commas">\n {links}\n</ul></dd>'
    if work.tags.get("language"):
        meta += f'<dt class="language">\n Language:\n</dt><dd class="language" lang="en">\n {escape(work.tags["language"][0])}\n</dd>'
    if work.series:
        spans = "".join(
            f'<span class="series"><a class="previous" href="/works/{wid - 1}">&#8592; Previous Work</a>'
            f'<span class="divider"> </span><span class="position">Part {part} of <a href="/series/{sid}">{escape(name)}</a></span>'
            f'<span class="divider"> </span><a class="next" href="/works/{wid + 1}">Next Work &#8594;</a></span>'
            for sid, name, part in work.series
        )
        meta += f'<dt class="series">\n Series:\n</dt><dd class="series">{spans}</dd>'
    status = ""
    if work.updated:
        word = "Completed" if work.complete else "Updated"
        status = f'<dt class="status">{word}:</dt><dd class="status">{work.updated}</dd>'
    meta += (
        '<dt class="stats">Stats:</dt><dd class="stats"><!-- end of cache -->\n<dl class="stats">'
        f'<dt class="published">Published:</dt><dd class="published">{work.published}</dd>{status}'
        f'<dt class="words">Words:</dt><dd class="words">{work.words:,}</dd>'
        f'<dt class="chapters">Chapters:</dt><dd class="chapters">{work.chapter_count}</dd>'
        '<dt class="comments">Comments:</dt><dd class="comments">88</dd><dt class="kudos">Kudos:</dt><dd class="kudos">671</dd>'
        f'<dt class="bookmarks">Bookmarks:</dt><dd class="bookmarks"><a href="/works/{wid}/bookmarks">192</a></dd>'
        '<dt class="hits">Hits:</dt><dd class="hits">4,370</dd></dl></dd>'
    )
    byline = ", ".join(f'<a rel="author" href="/users/{a}/pseuds/{a}">{escape(a)}</a>' for a in work.authors)
    preface = f'<div class="preface group"><h2 class="title heading">\n {escape(work.title)}\n</h2>'
    preface += f'<h3 class="byline heading">\n {byline}\n</h3>'
    if first and work.summary:
        preface += (
            f'<div class="summary module"><h3 class="heading">Summary:</h3>{_quote(work.summary)}</div>'
        )
    if first and (work.notes or work.end_notes):
        preface += '<div class="notes module"><h3 class="heading">Notes:</h3>' + (
            _quote(work.notes) if work.notes else ""
        )
        if work.end_notes:
            more = "more notes" if work.notes else "notes"
            preface += (
                f'<p class="jump">(See the end of the work for <a href="#work_endnotes">{more}</a>.)</p>'
            )
        preface += "</div>"
    preface += "</div>"
    if len(work.chapters) == 1:
        body = '<h3 class="landmark heading" id="work">Work Text:</h3><div class="userstuff">'
        body += "".join(f"<p>{escape(p)}</p>" for p in work.chapters[0].text) + "</div>"
    else:
        body = "".join(_web_chapter(wid, number, ch) for number, ch in shown)
    afterword = ""
    if last and (work.end_notes or work.series):
        afterword = '<div class="afterword preface group">'
        if work.end_notes:
            afterword += f'<div id="work_endnotes" class="end notes module"><h3 class="heading">Notes:</h3>{_quote(work.end_notes)}</div>'
        if work.series:
            afterword += '<div id="series" class="series module"><h3 class="heading">Series this work belongs to:</h3><ul>'
            afterword += "".join(
                f'<li>Part {p} of <a href="/series/{s}">{escape(n)}</a></li>' for s, n, p in work.series
            )
            afterword += "</ul></div>"
        afterword += "</div>"
    skin_style = '<style type="text/css">#workskin .centered { text-align: center; }</style>' if skin else ""
    main = (
        '<ul class="landmark skip"><li><a name="top">&nbsp;</a></li><li><a href="#work">Skip header</a></li></ul>'
        f'<div class="work">{navigation}<h3 class="landmark heading">Work Header</h3>'
        f'<div class="wrapper"><dl class="work meta group">{meta}</dl></div>'
        f'<div id="work-skin" class="wrapper">{skin_style}<div id="workskin">{preface}'
        f'<div id="chapters" role="article">{body}</div>{afterword}</div></div></div>'
        '<div id="feedback" class="feedback"><h3 class="landmark heading">Actions</h3><ul class="actions">'
        f'<li><form id="new_kudo" action="/kudos" method="post"><input value="{wid}" type="hidden" name="kudo[commentable_id]" />'
        '<input type="submit" name="commit" value="Kudos ♥" /></form></li></ul>'
        '<h3 class="landmark heading">Kudos</h3><div id="kudos"><p class="kudos"><a href="/users/someone">someone</a>'
        " as well as 138 guests left kudos on this work!</p></div>"
        f'<div class="post comment"><form class="new_comment" action="/works/{wid}/comments" method="post">'
        "<fieldset><legend>Post Comment</legend><p>Plain text with limited HTML</p></fieldset></form></div></div>"
    )
    title = f"{work.title} - {', '.join(work.authors)} - {', '.join(work.tags.get('fandoms', []))} [Archive of Our Own]"
    return site_page(main, title=title, main_class="chapters-show" if chapter else "works-show", skin=skin)


def _web_chapter(wid: int, number: int, chapter: Chapter) -> str:
    """One ``div.chapter`` as ``chapters/_chapter.html.erb`` writes it."""
    title = f'<a href="/works/{wid}/chapters/{9000 + number}">Chapter {number}</a>'
    title += f": {escape(chapter.title)}" if chapter.title else ""
    out = f'<div class="chapter" id="chapter-{number}"><div class="chapter preface group"><h3 class="title">\n {title}\n</h3>'
    if chapter.summary:
        out += f'<div id="summary" class="summary module"><h3 class="heading">Summary:</h3>{_quote(chapter.summary)}</div>'
    if chapter.notes or chapter.end_notes:
        out += '<div id="notes" class="notes module"><h3 class="heading">Notes:</h3>'
        out += _quote(chapter.notes) if chapter.notes else ""
        if chapter.end_notes:
            out += f'<p>(See the end of the chapter for  <a href="#chapter_{number}_endnotes">more notes</a>.)</p>'
        out += "</div>"
    out += '</div><div class="userstuff module" role="article"><h3 class="landmark heading" id="work">Chapter Text</h3>'
    out += "".join(f"<p>{escape(p)}</p>" for p in chapter.text) + "</div>"
    if chapter.end_notes:
        out += f'<div class="chapter preface group"><div class="end notes module" id="chapter_{number}_endnotes">'
        out += f'<h3 class="heading">Notes:</h3>{_quote(chapter.end_notes)}</div></div>'
    return out + "</div>"


# --- pages of the site that hold no work ------------------------------------------------------

_LOGIN_FORM = (
    '<div id="loginform"><form class="new_user" id="new_user" action="{action}" method="post"><dl>'
    '<dt><label for="user_login">Username or email:</label></dt><dd><input type="text" name="user[login]" id="user_login" /></dd>'
    '<dt><label for="user_password">Password:</label></dt><dd><input type="password" name="user[password]" /></dd>'
    '<dt class="landmark">Submit</dt><dd class="submit actions"><input type="submit" name="commit" value="Log in" /></dd>'
    '</dl></form></div><p>Forgot your password or username? <a href="/users/password/new">Reset your password</a>.</p>'
)


def error_404_page(*, skin: bool = True) -> str:
    main = (
        '<h2 class="heading">Error 404</h2><h3 class="heading">The page you were looking for doesn\'t exist.</h3>'
        "<p>You may have mistyped the address or the page may have been deleted.</p>"
    )
    return site_page(
        main, title="404 Error | Archive of Our Own", main_class="system errors error-404", skin=skin
    )


def login_page(*, return_to_work: int | None = None) -> str:
    action = f"/users/login?return_to=%2Fworks%2F{return_to_work}" if return_to_work else "/users/login"
    main = '<div id="signin"><h3 class="heading">Log In</h3><p><strong>Reminder:</strong> this is a beta.</p>'
    main += _LOGIN_FORM.format(action=action) + "</div>"
    return site_page(main, title="New Session | Archive of Our Own", main_class="sessions-new system session")


def locked_work_page(work_id: int) -> str:
    action = f"/users/login?return_to=%2Fworks%2F{work_id}%3Fview_adult%3Dtrue"
    main = (
        '<div id="signin"><h3 class="heading">Sorry!</h3><p>This work is only available to registered users of the '
        "Archive. If you already have an Archive of Our Own account, log in now. If you don't have an account, you can "
        '<a href="/invite_requests">request an invitation to join</a>.</p>'
        + _LOGIN_FORM.format(action=action)
        + "</div>"
    )
    return site_page(main, title="New Session | Archive of Our Own", main_class="sessions-new system session")


def _blurb(kind: str, number: int, title: str) -> str:
    return (
        f'<li id="{kind}_{number}" class="{kind} blurb group" role="article"><div class="header module">'
        f'<h4 class="heading"><a href="/works/{number}">{escape(title)}</a> by <a rel="author" href="/users/a">a</a></h4>'
        '<ul class="required-tags"><li><span class="rating-teen rating"><span class="text">Teen And Up Audiences</span></span></li></ul>'
        f'</div><blockquote class="userstuff summary"><p>Summary of {escape(title)}.</p></blockquote>'
        '<dl class="stats"><dt class="words">Words:</dt><dd class="words">1,000</dd></dl></li>'
    )


def bookmarks_page() -> str:
    main = '<h2 class="heading">1 - 2 of 2 Bookmarks by reader</h2><h3 class="landmark heading">List of Bookmarks</h3>'
    main += (
        '<ol class="bookmark index group">'
        + _blurb("bookmark", 11, "One")
        + _blurb("bookmark", 12, "Two")
        + "</ol>"
    )
    return site_page(
        main, title="reader | Bookmarks | Archive of Our Own", main_class="bookmarks-index dashboard"
    )


def works_page() -> str:
    main = '<h2 class="heading">1 - 2 of 2 Works in Some Fandom</h2><h3 class="landmark heading">Listing Works</h3>'
    main += (
        '<ol class="work index group">' + _blurb("work", 21, "Three") + _blurb("work", 22, "Four") + "</ol>"
    )
    return site_page(main, title="Some Fandom - Works | Archive of Our Own", main_class="works-index")


def adult_warning_page(work_id: int, title: str) -> str:
    main = (
        '<h2 class="landmark heading">Adult Content Warning</h2><p class="caution">This work could have adult content. '
        "If you continue, you have agreed that you are willing to see such content.</p>"
        f'<ul class="actions" role="navigation"><li><a href="/works/{work_id}?view_adult=true">Yes, Continue</a></li>'
        '<li><a href="/">No, Go Back</a></li></ul><p class="message footnote">If you accept cookies from our site and '
        'you choose "Yes, Continue", you will not be asked again during this session.</p><div class="clear"></div>'
        f'<ol class="work index group">{_blurb("work", work_id, title)}</ol>'
    )
    return site_page(main, title=f"{title} | Archive of Our Own", main_class="works-show")
