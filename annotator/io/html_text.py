"""Inert HTML: parse untrusted markup and turn elements into paragraphs of plain text.

Nothing here fetches, follows or executes anything. Active and embedded content (scripts, styles,
frames, objects, images) is removed right after parsing, so no later step can see its text; a
link contributes only its text. Paragraph breaks (block elements, ``<br><br>``) become separate
paragraphs; a single ``<br>`` stays inside its paragraph as "\\n".
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from annotator.io.errors import DocumentImportError

IGNORED_TAGS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "img",
        "picture",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "source",
        "track",
        "map",
        "area",
        "noscript",
        "template",
        "link",
        "meta",
        "base",
        "input",
        "button",
        "select",
        "textarea",
        "head",
    }
)
_VOID_IGNORED = frozenset(
    {"embed", "source", "track", "wbr", "keygen", "param", "img", "input", "link", "meta", "base", "area"}
)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "pre",
        "hr",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "figure",
        "figcaption",
        "address",
        "center",
        "details",
        "summary",
        "form",
        "fieldset",
        "legend",
        "body",
        "html",
    }
)
_CELL_TAGS = frozenset({"td", "th"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's whitespace; a no-break space is content
_SPACES = re.compile(r" {2,}")
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)


def parse_html(markup: str, source_name: str) -> BeautifulSoup:
    """Parse markup with lxml and strip everything that is not readable text."""
    if _ENTITY_DECLARATION.search(markup):
        # HTML never needs entity declarations; in XHTML they are the XXE / billion-laughs vector.
        raise DocumentImportError(source_name, "declares XML entities, refused for safety")
    with warnings.catch_warnings():
        # XHTML from EPUBs is parsed as HTML on purpose (lenient, never resolves entities), and a
        # file whose whole text looks like a URL is still just text: both warnings are noise.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "lxml")
    # libxml2 parses HTML 4: it does not know <embed>, <source>, <track> or <wbr> are empty and
    # nests everything after them inside. Unwrap those so removing them keeps the story.
    for tag in [tag for tag in iter_tags(soup) if tag.name in _VOID_IGNORED]:
        tag.unwrap()
    unwanted = [tag for tag in iter_tags(soup) if tag.name in IGNORED_TAGS and tag.name != "head"]
    for tag in unwanted:
        tag.decompose()
    return soup


def iter_tags(root: Tag) -> Iterator[Tag]:
    """Every element below ``root`` in document order (much faster than a bs4 ``find_all``)."""
    for node in root.descendants:
        if isinstance(node, Tag):
            yield node


def document_title(soup: BeautifulSoup) -> str:
    """The ``<title>`` text (read before the head is ignored), or ""."""
    title = soup.find("title")
    return title.get_text(" ") if isinstance(title, Tag) else ""


def is_text(node: PageElement) -> bool:
    """A text node that is readable content (not a comment, doctype or processing instruction)."""
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def paragraphs(root: Tag) -> list[str]:
    """The paragraphs of ``root``'s readable text, in document order."""
    out: list[str] = []
    line: list[str] = []
    pre_depth = 0
    # Iterative walk: hostile files nest elements deeper than Python's recursion limit.
    stack: list[tuple[Iterator[PageElement], Tag | None]] = [(iter(root.contents), None)]
    while stack:
        node = next(stack[-1][0], None)
        if node is None:
            closed = stack.pop()[1]
            if closed is not None and closed.name in BLOCK_TAGS:
                _flush(line, out, preserve=pre_depth > 0)
                if closed.name == "pre":
                    pre_depth -= 1
            continue
        if isinstance(node, Tag):
            name = node.name
            if name in IGNORED_TAGS:
                continue
            if name == "br":
                line.append("\n")
                continue
            if name in BLOCK_TAGS:
                _flush(line, out, preserve=pre_depth > 0)
                if name == "pre":
                    pre_depth += 1
            elif name in _CELL_TAGS:
                line.append(" ")
            stack.append((iter(node.contents), node))
        elif is_text(node):
            line.append(str(node) if pre_depth else _collapse(str(node)))
    _flush(line, out, preserve=False)
    return out


def inline_text(root: Tag) -> str:
    """All readable text of ``root`` on one line."""
    return " ".join(" ".join(paragraphs(root)).split())


def _collapse(text: str) -> str:
    # Substring tests are ~50x faster than the regex on long non-ASCII text, and most text
    # nodes (a paragraph on one line) need no change at all.
    if "\n" in text or "  " in text or "\t" in text or "\r" in text or "\f" in text:
        return _HTML_SPACE.sub(" ", text)
    return text


def _flush(line: list[str], out: list[str], *, preserve: bool) -> None:
    if not line:
        return
    text = "".join(line)
    line.clear()
    if preserve:
        if text.strip():
            out.append(text.strip("\n"))
        return
    current: list[str] = []
    if "  " in text:
        text = _SPACES.sub(" ", text)
    for part in text.split("\n"):
        part = part.strip(" ")
        if part.strip():
            current.append(part)
        elif current:  # an empty line: two <br> in a row, a paragraph break
            out.append("\n".join(current))
            current = []
    if current:
        out.append("\n".join(current))
