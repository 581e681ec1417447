"""The parts of an AO3 download recognised by shape, whatever Calibre renamed their classes to."""

from __future__ import annotations

import pytest
from bs4 import Tag

from annotator.io.ao3_shapes import (
    chapter_heading,
    class_names,
    inspired_works,
    is_afterword,
    is_chapter_end_notes,
    is_chapters_container,
    is_preface,
    is_tag_list,
)
from annotator.io.html_text import parse_html


def _element(markup: str) -> Tag:
    soup = parse_html(markup, "part.html")
    assert soup.body is not None
    element = soup.body.find(True)
    assert isinstance(element, Tag)
    return element


def test_a_class_is_also_known_without_calibres_number() -> None:
    assert class_names(_element('<div class="userstuff2 calibre"></div>')) == {
        "userstuff2",
        "userstuff",
        "calibre",
    }


@pytest.mark.parametrize(
    "markup",
    [
        '<div class="calibre1"><h2 class="heading" id="calibre_toc_3">Chapter 1: Festival</h2></div>',
        '<div class="calibre5"><h2 class="calibre9">Chapter 12</h2><p class="calibre7">Chapter Notes</p>'
        '<blockquote class="userstuff"><p>A note.</p></blockquote>'
        '<div class="endnote-link">See the end of the chapter for <a href="#endnotes12">notes</a></div>'
        "</div>",
        '<div class="meta group"><h2 class="heading">Prologue</h2><p class="byline">by someone</p></div>',
    ],
)
def test_chapter_prefaces_are_found_by_their_heading_and_contents(markup: str) -> None:
    assert chapter_heading(_element(markup)) is not None


@pytest.mark.parametrize(
    "markup",
    [
        # Story text that opens with the author's own heading: it has prose, so it is the story.
        '<div class="calibre6"><h2>Chapter 1</h2><p>It was a cold morning.</p></div>',
        '<div class="calibre6"><h2>Chapter 1</h2><div><p>It was a cold morning.</p></div></div>',
        '<div class="calibre6"><h2>Chapter 1</h2><blockquote>A quote with no label.</blockquote></div>',
        # Calibre's table-of-contents anchor, and a heading that is not AO3's.
        '<div><h2 class="toc-heading">Afterword</h2></div>',
        '<div class="calibre1"><h2 class="calibre3">Interlude</h2></div>',
        '<div class="calibre1"><p>Chapter 1</p><h2 class="heading">Chapter 1</h2></div>',
    ],
)
def test_other_blocks_are_not_chapter_prefaces(markup: str) -> None:
    assert chapter_heading(_element(markup)) is None


def test_the_download_container_is_known_by_id_or_by_the_chapters_inside() -> None:
    assert is_chapters_container(_element('<div class="userstuff1" id="chapters"></div>'))
    assert is_chapters_container(_element('<div class="calibre2"><div><h2>Chapter 3</h2></div></div>'))
    # The web page's container holds div.chapter wrappers and is read by the web page rules.
    assert not is_chapters_container(_element('<div id="chapters" role="article"></div>'))
    assert not is_chapters_container(_element('<div id="chapters"><div id="chapter-1"></div></div>'))


def test_chapter_end_notes_are_known_by_id_or_label() -> None:
    assert is_chapter_end_notes(_element('<div class="calibre1" id="endnotes7"></div>'))
    assert is_chapter_end_notes(
        _element('<div class="calibre4"><p>Chapter End Notes:</p><blockquote/></div>')
    )
    assert not is_chapter_end_notes(_element('<div id="endnotes"><p>End Notes</p></div>'))
    assert not is_chapter_end_notes(_element("<div><p>The story goes on.</p></div>"))


def test_the_tag_list_is_known_by_its_labels() -> None:
    labels = "<dt>Rating:</dt><dd>Mature</dd><dt>Fandom:</dt><dd>Forge Tales</dd>"
    assert is_tag_list(_element(f'<dl class="calibre11">{labels}</dl>'))
    assert is_tag_list(_element('<dl class="tags"></dl>'))
    assert not is_tag_list(_element("<dl><dt>Rating:</dt><dd>my own rating</dd></dl>"))
    assert not is_tag_list(_element("<dl><dt>Ash</dt><dd>a smith</dd><dt>Ember</dt><dd>another</dd></dl>"))


def test_works_inspired_by_this_one_are_listed_one_per_entry() -> None:
    afterword = _element(
        '<div id="afterword"><div class="calibre1"><dl class="calibre11">'
        '<dt class="calibre3">Works inspired by this one:</dt>'
        '<dd><a href="https://archiveofourown.org/works/1">Sparks</a> by <a>remixer</a></dd>'
        "<dd>[Restricted Work] by smith</dd><dt>Something else:</dt><dd>not this</dd></dl></div></div>"
    )
    assert inspired_works(afterword) == ["Sparks by remixer", "[Restricted Work] by smith"]


def _top(markup: str) -> Tag:
    return _element(f"<div>{markup}</div><div>after</div>")


def test_a_preface_without_its_id_is_known_by_what_it_holds() -> None:
    tags = '<dl class="calibre2"><dt>Rating:</dt><dd>Mature</dd><dt>Stats:</dt><dd>Words: 9</dd></dl>'
    message = '<p class="message"><b>Ash</b><br/>Posted originally on the Archive of Our Own at …</p>'
    assert is_preface(
        _top(f'<h2 class="toc-heading">Preface</h2>{message}<div class="calibre1">{tags}</div>')
    )
    assert is_preface(
        _top(
            '<div class="calibre1"><h1>Ash</h1><div class="byline">by Anonymous</div>'
            "<p>Summary</p><blockquote><p>Two smiths.</p></blockquote></div>"
        )
    )
    # A page's own heading and text are not a preface, and neither is a title alone.
    assert not is_preface(_top('<h1>Ash</h1><div class="byline">by me</div><p>It was a cold morning.</p>'))
    assert not is_preface(_top("<h1>My page</h1>"))
    nested = _element('<section><div><h1>Ash</h1><div>by <a rel="author">me</a></div></div></section>')
    assert isinstance(inner := nested.find("div"), Tag) and not is_preface(inner)  # not at the top


def test_an_afterword_without_its_id_is_known_by_what_it_holds() -> None:
    assert is_afterword(
        _top(
            '<h2 class="toc-heading">Afterword</h2><div class="calibre1"><div class="calibre1">'
            "<p>End Notes</p><blockquote><p>Thanks.</p></blockquote></div></div>"
            "<p>Please drop by the Archive and comment to let the creator know</p>"
        )
    )
    assert not is_afterword(_top("<p>End Notes</p><p>This is the story going on.</p>"))
    assert not is_afterword(_top("<p>Please drop by the Archive and comment</p>"))
