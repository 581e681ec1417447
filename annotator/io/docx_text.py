"""The text a reader of a Word part sees, block by block, from its WordprocessingML.

A walk over the XML of one story part (the body, a footnote, a comment) that keeps what Word
shows with tracked changes accepted and nothing hidden:

- tracked insertions and moves in (``w:ins``, ``w:moveTo``), deletions and move sources out
  (``w:del``, ``w:moveFrom``, ``w:delText``); field instructions out, field results in;
- every wrapper that only annotates text is walked through: smart tags, content controls
  (``w:sdt``, block, row, cell and inline), custom XML, hyperlinks, simple fields;
- ``mc:AlternateContent`` contributes its first ``mc:Choice`` only (the ``mc:Fallback`` repeats
  the same content for older readers), or the Fallback when there is no Choice;
- a text box (``w:txbxContent``) becomes blocks of its own after the paragraph it is anchored in;
- a table is read row by row, each ``w:tc`` once (a horizontally merged cell is one ``w:tc``);
  a cell continuing a vertical merge shows nothing in Word and is skipped, as is a deleted row;
- runs formatted hidden (``w:vanish``) are left out.

Each paragraph is one block; tabs stay ``\\t`` and line breaks ``\\n``. Note references become a
visible marker (``[1]``) as the superscript number does in Word, and the note ids are recorded so
the notes can be listed in reference order. Comment ranges are recorded with the text they cover.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Elements whose content a reader never sees (or that carry properties, not text).
_SKIPPED_NAMES = (
    "del", "moveFrom", "delText", "delInstrText", "instrText", "fldData", "rPr", "pPr", "sdtPr",
    "sdtEndPr", "tblPr", "tblGrid", "trPr", "tcPr", "sectPr", "rt", "footnoteRef", "endnoteRef",
    "annotationRef", "separator", "continuationSeparator", "bookmarkStart", "bookmarkEnd",
)  # fmt: skip
_SKIPPED = frozenset(f"{W}{name}" for name in _SKIPPED_NAMES) | {f"{MC}Fallback"}
# Wrappers whose children are read as if they stood in the wrapper's place.
_TRANSPARENT_BLOCKS = frozenset(
    f"{W}{name}" for name in ("sdtContent", "customXml", "ins", "moveTo", "smartTag", "txbxContent")
)
_RPR, _VANISH = f"{W}rPr", f"{W}vanish"
_NOTE_REFERENCES = {f"{W}footnoteReference": "footnote", f"{W}endnoteReference": "endnote"}


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph's text; ``style`` is its paragraph style id, ``outline`` its outline level."""

    text: str
    style: str = ""
    outline: int | None = None


@dataclass
class PartReader:
    """Reads the blocks of story parts, remembering note references and comment ranges.

    One reader is used for the whole document so note numbers and comment order follow the
    order a reader meets them in.
    """

    note_order: dict[str, list[str]] = field(default_factory=lambda: {"footnote": [], "endnote": []})
    comment_order: list[str] = field(default_factory=list)
    comment_quotes: dict[str, list[str]] = field(default_factory=dict)
    _open_comments: list[str] = field(default_factory=list)

    def blocks(self, container: etree._Element) -> list[Block]:
        """The blocks of a body, cell, note or comment element, in reading order."""
        return list(self._blocks(container))

    def _blocks(self, children: Iterable[etree._Element]) -> Iterator[Block]:
        for child in children:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == f"{W}p":
                yield from self._paragraph(child)
            elif tag == f"{W}tbl":
                yield from self._table(child)
            elif tag == f"{MC}AlternateContent":
                yield from self._blocks(_chosen(child))
            elif tag in (f"{W}sdt", *_TRANSPARENT_BLOCKS):
                yield from self._blocks(child)
            else:
                # A comment range between paragraphs, or a run where a paragraph should be.
                parts: list[str] = []
                floating: list[Block] = []
                self._inline_one(child, parts, floating)
                if parts:
                    yield Block("".join(parts))
                yield from floating

    def _paragraph(self, paragraph: etree._Element) -> Iterator[Block]:
        parts: list[str] = []
        floating: list[Block] = []
        self._inline(paragraph, parts, floating)
        style, outline = _paragraph_style(paragraph)
        yield Block("".join(parts), style, outline)
        for comment in self._open_comments:
            self.comment_quotes[comment].append("\n")
        yield from floating

    def _table(self, table: etree._Element) -> Iterator[Block]:
        for row in _descendants(table, f"{W}tr"):
            if row.find(f"{W}trPr/{W}del") is not None:
                continue
            for cell in _descendants(row, f"{W}tc"):
                merge = cell.find(f"{W}tcPr/{W}vMerge")
                if merge is not None and merge.get(f"{W}val", "continue") != "restart":
                    continue
                yield from self._blocks(cell)

    def _inline(self, element: etree._Element, parts: list[str], floating: list[Block]) -> None:
        for child in element:
            self._inline_one(child, parts, floating)

    def _inline_one(self, child: etree._Element, parts: list[str], floating: list[Block]) -> None:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        if tag == f"{W}t":
            self._text(child.text or "", parts)
        elif tag in (f"{W}tab", f"{W}ptab"):
            self._text("\t", parts)
        elif tag in (f"{W}br", f"{W}cr"):
            self._text("\n", parts)
        elif tag == f"{W}noBreakHyphen":
            self._text("\u2011", parts)
        elif tag == f"{W}sym":
            self._text(_symbol(child), parts)
        elif tag == f"{W}r":
            if not _is_hidden(child):
                self._inline(child, parts, floating)
        elif tag in _NOTE_REFERENCES:
            self._note_reference(child, _NOTE_REFERENCES[tag], parts)
        elif tag == f"{W}commentRangeStart":
            self._start_comment(child.get(f"{W}id", ""))
        elif tag in (f"{W}commentRangeEnd", f"{W}commentReference"):
            self._end_comment(child.get(f"{W}id", ""))
        elif tag == f"{W}txbxContent":
            floating.extend(self._blocks(child))
        elif tag in (f"{W}p", f"{W}tbl"):
            floating.extend(self._blocks([child]))
        elif tag == f"{MC}AlternateContent":
            self._inline(_chosen(child), parts, floating)
        else:
            # Runs' containers: hyperlinks, smart tags, content controls, insertions, moves,
            # fields, drawings (whose text boxes are found on the way down).
            self._inline(child, parts, floating)

    def _text(self, text: str, parts: list[str]) -> None:
        parts.append(text)
        for comment in self._open_comments:
            self.comment_quotes[comment].append(text)

    def _note_reference(self, reference: etree._Element, kind: str, parts: list[str]) -> None:
        note_id = reference.get(f"{W}id", "")
        order = self.note_order[kind]
        if note_id not in order:
            order.append(note_id)
        if reference.get(f"{W}customMarkFollows") not in ("1", "true", "on"):
            # A custom mark is the text of the run that follows; otherwise Word numbers the note.
            self._text(f"[{note_marker(kind, order.index(note_id) + 1)}]", parts)

    def _start_comment(self, comment_id: str) -> None:
        if comment_id not in self.comment_quotes:
            self.comment_order.append(comment_id)
            self.comment_quotes[comment_id] = []
            self._open_comments.append(comment_id)

    def _end_comment(self, comment_id: str) -> None:
        if comment_id not in self.comment_quotes:  # a comment on a point, without a range
            self.comment_order.append(comment_id)
            self.comment_quotes[comment_id] = []
        if comment_id in self._open_comments:
            self._open_comments.remove(comment_id)


def note_marker(kind: str, number: int) -> str:
    """Word's default numbering: footnotes 1, 2, 3…; endnotes i, ii, iii…"""
    return str(number) if kind == "footnote" else _roman(number)


def _roman(number: int) -> str:
    numerals = (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    )  # fmt: skip
    digits = []
    for value, numeral in numerals:
        count, number = divmod(number, value)
        digits.append(numeral * count)
    return "".join(digits)


def _chosen(alternate: etree._Element) -> etree._Element:
    choice = alternate.find(f"{MC}Choice")
    if choice is not None:
        return choice
    fallback = alternate.find(f"{MC}Fallback")
    return fallback if fallback is not None else alternate


def _descendants(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """``tag`` children of ``parent``, also when wrapped in content controls or custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}moveTo"):
            yield from _descendants(child, tag)


def _is_hidden(run: etree._Element) -> bool:
    properties = run.find(_RPR)
    vanish = properties.find(_VANISH) if properties is not None else None
    return vanish is not None and vanish.get(f"{W}val", "true") not in ("0", "false", "off")


def _symbol(symbol: etree._Element) -> str:
    try:
        point = int(symbol.get(f"{W}char", ""), 16)
    except ValueError:
        return ""
    # Symbol-font characters are stored in the private-use area (F000 + code); below F000 they are
    # real code points.
    return chr(point) if 0x20 <= point < 0xD800 else ""


def _paragraph_style(paragraph: etree._Element) -> tuple[str, int | None]:
    properties = paragraph.find(f"{W}pPr")
    if properties is None:
        return "", None
    style = properties.find(f"{W}pStyle")
    return (style.get(f"{W}val", "") if style is not None else ""), outline_level(properties)


def outline_level(properties: etree._Element) -> int | None:
    """The ``w:outlineLvl`` of paragraph properties, when it makes a heading (0–8)."""
    level = properties.find(f"{W}outlineLvl")
    try:
        value = int(level.get(f"{W}val", "")) if level is not None else 9
    except ValueError:
        return None
    return value if 0 <= value < 9 else None
