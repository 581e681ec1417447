"""Inert HTML: parse untrusted markup and turn elements into paragraphs of plain text.

Nothing here fetches, follows or executes anything. Active and embedded content (scripts, styles,
frames, objects, images) is removed right after parsing, so no later step can see its text; a
link contributes only its text. Paragraph breaks (block elements, ``<br><br>``) become separate
paragraphs; a single ``<br>`` stays inside its paragraph as "\\n".

Scene breaks are kept as text: an ``<hr>``, or two or more blank lines in a row (``&nbsp;<br>``
lines, empty ``<p>&nbsp;</p>`` paragraphs, or both), become one paragraph of its own holding
``SCENE_BREAK`` ("* * *"). One blank line is only a paragraph break, as the author left it. An
EPUB made from the same HTML keeps the same markup, so both give the same text.
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
SCENE_BREAK = "* * *"  # the paragraph that stands for a scene break (<hr>, a run of blank lines)


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
    """The paragraphs of ``root``'s readable text, in document order, scene breaks as markers."""
    collector = _Paragraphs()
    line: list[str] = []
    pre_depth = 0
    # Iterative walk: hostile files nest elements deeper than Python's recursion limit.
    stack: list[tuple[Iterator[PageElement], Tag | None]] = [(iter(root.contents), None)]
    while stack:
        node = next(stack[-1][0], None)
        if node is None:
            closed = stack.pop()[1]
            if closed is not None and closed.name in BLOCK_TAGS:
                collector.flush(line, preserve=pre_depth > 0)
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
                collector.flush(line, preserve=pre_depth > 0)
                if name == "hr":
                    collector.scene_break()
                elif name == "pre":
                    pre_depth += 1
            elif name in _CELL_TAGS:
                line.append(" ")
            stack.append((iter(node.contents), node))
        elif is_text(node):
            line.append(str(node) if pre_depth else _collapse(str(node)))
    collector.flush(line, preserve=False)
    return collector.finish()


def inline_text(root: Tag) -> str:
    """All readable text of ``root`` on one line."""
    return " ".join(" ".join(paragraphs(root)).split())


def _collapse(text: str) -> str:
    # Substring tests are ~50x faster than the regex on long non-ASCII text, and most text
    # nodes (a paragraph on one line) need no change at all.
    if "\n" in text or "  " in text or "\t" in text or "\r" in text or "\f" in text:
        return _HTML_SPACE.sub(" ", text)
    return text


class _Paragraphs:
    """Turns flushed lines into paragraphs, counting the blank lines between them.

    A blank line is an empty or no-break-space-only line (``<br><br>``, ``&nbsp;<br>``,
    ``<p>&nbsp;</p>``). One blank line is a paragraph break; two or more in a row, or an
    ``<hr>``, are a scene break: one ``SCENE_BREAK`` paragraph between the texts.
    """

    def __init__(self) -> None:
        self.out: list[str] = []
        self.blank_lines = 0
        self.rule = False  # an <hr> since the last paragraph

    def scene_break(self) -> None:
        self.rule = True

    def flush(self, line: list[str], *, preserve: bool) -> None:
        if not line:
            return
        text = "".join(line)
        line.clear()
        if preserve:
            if text.strip():
                self._add(text.strip("\n"))
            return
        if "  " in text:
            text = _SPACES.sub(" ", text)
        parts = text.split("\n")
        if len(parts) > 1 and not parts[-1].strip(" "):
            parts.pop()  # a <br> that ends a block starts no new line
        elif len(parts) == 1 and not parts[0].strip(" "):
            return  # collapsed white space alone: no line at all
        current: list[str] = []
        for part in parts:
            part = part.strip(" ")
            if part.strip():
                current.append(part)
                continue
            if current:
                self._add("\n".join(current))
                current = []
            self.blank_lines += 1
        if current:
            self._add("\n".join(current))

    def finish(self) -> list[str]:
        if self.rule:
            self._add_marker()
        return self.out

    def _add(self, paragraph: str) -> None:
        if self.rule or (self.blank_lines >= 2 and self.out):
            self._add_marker()
        self.out.append(paragraph)
        self.blank_lines = 0

    def _add_marker(self) -> None:
        if not self.out or self.out[-1] != SCENE_BREAK:
            self.out.append(SCENE_BREAK)
        self.rule = False
