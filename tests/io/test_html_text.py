"""Paragraphs from HTML: line and paragraph breaks, and scene breaks kept as a visible marker."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.io.html_text import SCENE_BREAK, paragraphs, parse_html


def _paragraphs(markup: str) -> list[str]:
    soup = parse_html(markup, "page.html")
    assert soup.body is not None
    return paragraphs(soup.body)


BREAK = ["Before.", SCENE_BREAK, "After."]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Before.</p><hr/><p>After.</p>", BREAK),
        ("<p>Before.</p><hr><hr/><p>After.</p>", BREAK),  # one break, however many rules
        ("<p>Before.<br/>&nbsp;<br/>&nbsp;<br/>After.</p>", BREAK),
        ("<p>Before.<br/>\u00a0<br/>\u00a0<br/>\u00a0<br/>After.</p>", BREAK),  # Calibre writes the character
        ("<p>Before.<br/><br/><br/>After.</p>", BREAK),
        ("<p>Before.</p><p>&nbsp;</p><p>&nbsp;</p><p>After.</p>", BREAK),
        ("<p>Before.</p><p>&nbsp;<br/>&nbsp;</p><p>After.</p>", BREAK),
        ("<p>Before.</p><p>&nbsp;</p><hr/><p>&nbsp;</p><p>After.</p>", BREAK),
        # One blank line is an ordinary paragraph break, wherever it comes from.
        ("<p>Before.<br/>&nbsp;<br/>After.</p>", ["Before.", "After."]),
        ("<p>Before.<br/><br/>After.</p>", ["Before.", "After."]),
        ("<p>Before.</p><p>&nbsp;</p><p>After.</p>", ["Before.", "After."]),
        ("<p>Before.<br/></p><p>&nbsp;</p><p>After.</p>", ["Before.", "After."]),
        ("<p>Before.</p>\n  <p> </p>\n<p></p><p>After.</p>", ["Before.", "After."]),
        ("<p>Before.<br/>After.</p>", ["Before.\nAfter."]),
        # Blank lines at the edges separate nothing; a rule is kept wherever it is.
        ("<p>&nbsp;</p><p>&nbsp;</p><p>Only.</p><p>&nbsp;</p><p>&nbsp;</p>", ["Only."]),
        ("<hr/><p>Only.</p><hr/>", [SCENE_BREAK, "Only.", SCENE_BREAK]),
    ],
)
def test_scene_breaks(markup: str, expected: list[str]) -> None:
    assert _paragraphs(markup) == expected


def test_preformatted_text_keeps_its_blank_lines() -> None:
    assert _paragraphs("<pre>a\n\n\nb</pre>") == ["a\n\n\nb"]


_PIECES = st.sampled_from(["<p>Words.</p>", "<p>&nbsp;</p>", "<br/>", "&nbsp;<br/>", "<hr/>", "Text ", "é😀"])


@settings(max_examples=200, derandomize=True)
@given(st.lists(_PIECES, max_size=12))
def test_markers_are_whole_paragraphs_never_doubled(pieces: list[str]) -> None:
    result = _paragraphs("<div>" + "".join(pieces) + "</div>")
    assert all(paragraph.strip() for paragraph in result)
    assert all(SCENE_BREAK not in p or p == SCENE_BREAK for p in result)
    assert not any(a == b == SCENE_BREAK for a, b in pairwise(result))
    if "<hr/>" not in pieces:  # without a rule, a break needs text on both sides
        assert result[:1] != [SCENE_BREAK] and result[-1:] != [SCENE_BREAK]
