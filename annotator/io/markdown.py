"""Import Markdown as its rendered text: markup removed, paragraphs separated by a blank line.

Headings keep their text (zoned as "heading"), emphasis markers and raw HTML disappear, links
become their text, images are dropped (as in HTML import). A soft line break inside a paragraph
stays a "\\n": poems and lyrics are often written that way, and the break costs nothing to keep.
A leading YAML front-matter block is not text; its ``title:`` becomes the document title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from annotator.core.text import normalise_text
from annotator.core.types import ZONE_HEADING, ImportedDocument
from annotator.io.decoding import decode
from annotator.io.errors import DocumentImportError, import_guard
from annotator.io.layout import TextBuilder
from annotator.io.values import clean_title, stem_title

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>(?:.*\n){0,200}?)(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_FRONT_TITLE = re.compile(r"^title:[ \t]*(?P<title>.+)$", re.MULTILINE)
# Raw inline HTML whose content is not prose: markdown-it leaves that content as plain text.
_HIDDEN_OPEN = re.compile(r"<(script|style|iframe|object|noscript|template|textarea|title)\b", re.IGNORECASE)


@import_guard("Markdown")
def read_markdown(data: bytes, source_name: str) -> ImportedDocument:
    decoded = decode(data, source_name)
    source = normalise_text(decoded.text)
    title = ""
    front = _FRONT_MATTER.match(source)
    if front:
        found = _FRONT_TITLE.search(front.group("body"))
        title = clean_title(found.group("title").strip("'\"")) if found else ""
        source = source[front.end() :]
    parser = _TextOnlyMarkdown("commonmark").enable(["table", "strikethrough"])
    builder = TextBuilder()
    first_heading = ""
    row: list[str] = []
    tokens = parser.parse(source)
    for index, token in enumerate(tokens):
        if token.type == "inline":
            text = _inline_text(token.children or [])
            opener = tokens[index - 1].type if index else ""
            if opener == "heading_open":
                builder.add_paragraphs([text], ZONE_HEADING, label=text[:200])
                first_heading = first_heading or text
            elif opener in {"th_open", "td_open"}:
                row.append(" ".join(text.split()))
            else:
                builder.add_paragraphs([text])
        elif token.type in {"fence", "code_block"}:
            builder.add_paragraphs([token.content.strip("\n")])
        elif token.type == "tr_close":
            builder.add_paragraphs([" | ".join(cell for cell in row)])
            row = []
    if builder.is_empty:
        raise DocumentImportError(source_name, "the Markdown contains no text")
    text, zones = builder.build()
    title = title or clean_title(first_heading) or stem_title(source_name)
    return ImportedDocument(
        title=title,
        source_format="markdown",
        text=text,
        attributes={"title": [title]},
        zones=zones,
        source_name=source_name,
        notes=decoded.notes,
    )


class _TextOnlyMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        # markdown-it leaves links to javascript:/file: targets unparsed, so their markup would
        # become text. Nothing is rendered or followed here: accept any target, keep the text.
        return True


def _inline_text(children: Sequence[Token]) -> str:
    parts: list[str] = []
    hidden_until: str | None = None  # closing tag of an inline <script>/<style> being skipped
    for child in children:
        if child.type == "html_inline":
            if hidden_until is None:
                opened = _HIDDEN_OPEN.match(child.content)
                if opened and not child.content.rstrip().endswith("/>"):
                    hidden_until = f"</{opened.group(1).lower()}"
            elif child.content.lower().startswith(hidden_until):
                hidden_until = None
        elif hidden_until is not None or child.type == "image":
            continue  # an image's alt text is in its own children, never read here
        elif child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append("\n")
    return "".join(parts)
