"""Markdown import: rendered text with markup removed, paragraphs separated by a blank line."""

from __future__ import annotations

import pytest

from annotator.core.types import ZONE_HEADING
from annotator.io.errors import DocumentImportError
from annotator.io.markdown import read_markdown
from tests.io.builders import assert_well_formed, zone_texts

SOURCE = """# The *Long* Night

Some _emphasis_, **strong**, `code` and ~~struck~~ words,
with a [link](https://example.org "t") and an ![image](cover.png) here.

<div class="note">
raw html block
</div>

## Part Two

- first item
- second item

> A quoted line.

```
  fenced   code
```

| who | what |
|-----|------|
| Kylo | Ren |

Hard break\\
after it.
"""


def test_markdown_renders_to_plain_paragraphs() -> None:
    doc = read_markdown(SOURCE.encode(), "night.md")
    assert doc.source_format == "markdown"
    assert doc.title == "The Long Night"
    assert doc.attributes == {"title": ["The Long Night"]}
    assert doc.text == (
        "The Long Night\n\n"
        "Some emphasis, strong, code and struck words,\nwith a link and an  here.\n\n"
        "Part Two\n\nfirst item\n\nsecond item\n\nA quoted line.\n\nfenced   code\n\n"
        "who | what\n\nKylo | Ren\n\nHard break\nafter it."
    )
    assert zone_texts(doc, ZONE_HEADING) == ["The Long Night", "Part Two"]
    assert_well_formed(doc)


def test_front_matter_title_wins_and_is_not_text() -> None:
    doc = read_markdown(b'---\ntitle: "Front Title"\nauthor: me\n---\n# Heading\n\nText.\n', "f.md")
    assert doc.title == "Front Title"
    assert doc.text == "Heading\n\nText."


def test_without_a_heading_the_title_is_the_file_stem() -> None:
    doc = read_markdown(b"Just *one* paragraph.\r\n", "notes/draft one.markdown")
    assert doc.title == "draft one"
    assert doc.text == "Just one paragraph."
    assert doc.zones == []


def test_markdown_with_only_markup_is_an_error() -> None:
    with pytest.raises(DocumentImportError, match=r"^m\.md: the Markdown contains no text$"):
        read_markdown(b"<div>\n</div>\n\n---\n", "m.md")
