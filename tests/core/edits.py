"""Generated edits of a work's text that remember where every original character went.

``EditedText`` holds the new text as pieces: kept stretches of the old text and inserted strings.
Each edit kind (``EDIT_KINDS``) rewrites the pieces the way authors revise fan fiction — chapters
appended or inserted, a paragraph deleted, typos fixed, a scene moved, sentences rewritten,
whitespace and quote style changed, notes changed — so ``truth`` knows, for any annotation, whether
its text survived untouched (and where), was edited, or is gone. Shared by the re-anchoring tests
and benchmark and by the store/services tests of updating a work.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from annotator.core.reanchor import Anchor, Placement

Piece = tuple[int, int] | str
Kind = Literal["exact", "changed", "orphaned"]

_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]+[\"'”’]?")
_PARAGRAPH = re.compile(r"[^\n]+")
# Share of an annotation's characters that must survive for it to count as edited, not gone.
SURVIVAL = 0.5


@dataclass
class EditedText:
    """A new version of ``old`` as kept stretches ``(old_start, old_end)`` and inserted strings."""

    old: str
    pieces: list[Piece] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    _text: str | None = None

    def __post_init__(self) -> None:
        if not self.pieces and self.old:
            self.pieces = [(0, len(self.old))]

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(p if isinstance(p, str) else self.old[p[0] : p[1]] for p in self.pieces)
        return self._text

    def replace_many(self, edits: Sequence[tuple[int, int, str]]) -> None:
        """Replace ``text[start:end]`` by each string; positions in the current text, not overlapping."""
        edits = sorted(edits)
        pieces = _split(self.pieces, sorted({p for s, e, _ in edits for p in (s, e)}))
        out: list[Piece] = []
        pos = 0
        k = 0
        for piece in pieces:
            while k < len(edits) and edits[k][0] == pos and edits[k][1] == pos:
                _emit(out, edits[k][2])
                k += 1
            if k < len(edits) and edits[k][0] <= pos < edits[k][1]:
                pos += _length(piece)
                if pos >= edits[k][1]:
                    _emit(out, edits[k][2])
                    k += 1
                continue
            out.append(piece)
            pos += _length(piece)
        for _, _, replacement in edits[k:]:
            _emit(out, replacement)
        self.pieces = out
        self._text = None

    def move(self, start: int, end: int, to: int) -> None:
        """Cut ``text[start:end]`` and paste it at ``to`` (an offset of the current text outside it)."""
        assert not start < to < end
        pieces = _split(self.pieces, sorted({start, end, to}))
        cut: list[Piece] = []
        rest: list[tuple[int, Piece]] = []
        pos = 0
        for piece in pieces:
            if start <= pos < end:
                cut.append(piece)
            else:
                rest.append((pos, piece))
            pos += _length(piece)
        out: list[Piece] = []
        for at, piece in rest:
            if at == to:
                out.extend(cut)
            out.append(piece)
        if to >= len(self.text):
            out.extend(cut)
        self.pieces = out
        self._text = None

    def old_to_new(self) -> np.ndarray:
        """For each old character, its offset in the new text, or -1 when it was deleted or replaced."""
        where = np.full(len(self.old), -1, dtype=np.int64)
        pos = 0
        for piece in self.pieces:
            if isinstance(piece, str):
                pos += len(piece)
            else:
                where[piece[0] : piece[1]] = np.arange(pos, pos + piece[1] - piece[0])
                pos += piece[1] - piece[0]
        return where


def _length(piece: Piece) -> int:
    return len(piece) if isinstance(piece, str) else piece[1] - piece[0]


def _emit(out: list[Piece], text: str) -> None:
    if text:
        out.append(text)


def _split(pieces: list[Piece], cuts: list[int]) -> list[Piece]:
    out: list[Piece] = []
    pos = 0
    k = 0
    for piece in pieces:
        length = _length(piece)
        while k < len(cuts) and cuts[k] <= pos:
            k += 1
        offset = 0
        while k < len(cuts) and cuts[k] < pos + length:
            cut = cuts[k] - pos
            out.append(piece[offset:cut] if isinstance(piece, str) else (piece[0] + offset, piece[0] + cut))
            offset = cut
            k += 1
        out.append(piece[offset:] if isinstance(piece, str) else (piece[0] + offset, piece[1]))
        pos += length
    return out


# -- the edit kinds ---------------------------------------------------------------------------


def _vocabulary(text: str) -> list[str]:
    return sorted({w for w in _WORD.findall(text) if w.isalpha()}) or ["word"]


def _prose(rng: random.Random, words: list[str], sentences: int) -> str:
    out = []
    for _ in range(sentences):
        chosen = [rng.choice(words) for _ in range(rng.randint(5, 16))]
        out.append(" ".join(chosen).capitalize() + rng.choice([".", ".", "!", "?"]))
    return " ".join(out)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: lines, or runs of sentences when the text is one long line."""
    lines = [m.span() for m in _PARAGRAPH.finditer(text)]
    if len(lines) >= 8:
        return lines
    sentences = [m.span() for m in _SENTENCE.finditer(text)]
    return [
        (sentences[i][0], sentences[min(i + 4, len(sentences) - 1)][1]) for i in range(0, len(sentences), 5)
    ]


def append_chapters(et: EditedText, rng: random.Random) -> None:
    words = _vocabulary(et.old)
    number = et.text.count("\nChapter ") + 2
    added = "".join(
        f"\n\nChapter {number + i}: {rng.choice(words).title()}\n\n"
        + "\n\n".join(_prose(rng, words, rng.randint(3, 9)) for _ in range(rng.randint(3, 8)))
        for i in range(rng.randint(1, 2))
    )
    end = len(et.text)
    et.replace_many([(end, end, added)])


def insert_chapter(et: EditedText, rng: random.Random) -> None:
    text = et.text
    headings = [m.start() for m in re.finditer(r"(?m)^Chapter \d+", text)][1:]
    paragraphs = _paragraphs(text)
    at = rng.choice(headings) if headings else paragraphs[len(paragraphs) // 2][0]
    words = _vocabulary(et.old)
    body = "\n\n".join(_prose(rng, words, rng.randint(3, 8)) for _ in range(rng.randint(3, 6)))
    et.replace_many([(at, at, f"Chapter X: {rng.choice(words).title()}\n\n{body}\n\n")])


def delete_paragraph(et: EditedText, rng: random.Random) -> None:
    start, end = rng.choice(_paragraphs(et.text))
    text = et.text
    while end < len(text) and text[end] in "\n ":
        end += 1
    et.replace_many([(start, end, "")])


def fix_typos(et: EditedText, rng: random.Random) -> None:
    words = [m.span() for m in _WORD.finditer(et.text) if m.end() - m.start() >= 4]
    edits = []
    for start, end in sorted(rng.sample(words, min(len(words), rng.randint(3, 12)))):
        word = et.text[start:end]
        i = rng.randrange(1, len(word) - 1)
        how = rng.randrange(4)
        if how == 0:
            letter = rng.choice([c for c in "etaoinshrdlu" if c != word[i].lower()])
            edits.append((start + i, start + i + 1, letter))
        elif how == 1 and word[i] != word[i + 1]:
            edits.append((start + i, start + i + 2, word[i + 1] + word[i]))
        elif how == 2:
            edits.append((start + i, start + i + 1, ""))
        else:
            edits.append((start + i, start + i, rng.choice("etaoin")))
    et.replace_many(edits)


def move_scene(et: EditedText, rng: random.Random) -> None:
    paragraphs = _paragraphs(et.text)
    if len(paragraphs) < 6:
        return
    first = rng.randrange(len(paragraphs) - 3)
    count = rng.randint(2, 3)
    start, end = paragraphs[first][0], paragraphs[first + count - 1][1]
    end = min(end + 2, len(et.text)) if et.text[end : end + 2] == "\n\n" else end
    targets = [p[0] for i, p in enumerate(paragraphs) if i < first - 1 or i > first + count + 1]
    if targets:
        et.move(start, end, rng.choice(targets))


def rewrite_sentences(et: EditedText, rng: random.Random) -> None:
    sentences = [m.span() for m in _SENTENCE.finditer(et.text)]
    words = _vocabulary(et.old)
    edits = []
    for start, end in sorted(rng.sample(sentences, min(len(sentences), rng.randint(2, 6)))):
        inside = [m.span() for m in _WORD.finditer(et.text, start, end)]
        for w_start, w_end in inside:
            if rng.random() < 0.35:
                replacement = rng.choice(words)
                if replacement != et.text[w_start:w_end]:
                    edits.append((w_start, w_end, replacement))
    et.replace_many(edits)


def change_whitespace(et: EditedText, rng: random.Random) -> None:
    text = et.text
    spaces = [m.start() for m in re.finditer(r"(?<=[.!?]) (?=\S)", text)]
    edits = [(at, at, " ") for at in rng.sample(spaces, min(len(spaces), rng.randint(2, 10)))]
    breaks = [m.start() for m in re.finditer(r"\n\n", text)]
    edits += [(at, at + 1, "") for at in rng.sample(breaks, min(len(breaks), rng.randint(0, 5)))]
    line_ends = [m.start() for m in re.finditer(r"(?<=\S)\n", text)]
    edits += [(at, at, "  ") for at in rng.sample(line_ends, min(len(line_ends), rng.randint(0, 5)))]
    et.replace_many(_disjoint(edits))


def change_quote_style(et: EditedText, rng: random.Random) -> None:
    """Straight quotes become curly throughout, or curly ones straight."""
    text = et.text
    if '"' in text or "'" in text:
        edits, opened = [], False
        for m in re.finditer(r"[\"']", text):
            if m.group() == "'":
                edits.append((m.start(), m.end(), "’"))
            else:
                edits.append((m.start(), m.end(), "”" if opened else "“"))
                opened = not opened
    else:
        table = {"“": '"', "”": '"', "‘": "'", "’": "'"}
        edits = [(m.start(), m.end(), table[m.group()]) for m in re.finditer("[“”‘’]", text)]
    et.replace_many(edits)


def change_notes(et: EditedText, rng: random.Random) -> None:
    """The author's notes are rewritten (AO3 works), or a note is added at the start."""
    text = et.text
    words = _vocabulary(et.old)
    note = f"A/N: {_prose(rng, words, rng.randint(1, 3))}"
    found = [m for m in re.finditer(r"(?m)^(?:Notes|End Notes|Chapter End Notes)\n\n([^\n]+)", text)]
    if found:
        m = rng.choice(found)
        et.replace_many([(m.start(1), m.end(1), note)])
    else:
        et.replace_many([(0, 0, f"{note}\n\n")])


def _disjoint(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for edit in sorted(edits):
        if not kept or edit[0] > kept[-1][1] or (edit[0] == kept[-1][1] and edit[0] != edit[1]):
            kept.append(edit)
    return kept


EDIT_KINDS: dict[str, Callable[[EditedText, random.Random], None]] = {
    "append_chapters": append_chapters,
    "insert_chapter": insert_chapter,
    "delete_paragraph": delete_paragraph,
    "fix_typos": fix_typos,
    "move_scene": move_scene,
    "rewrite_sentences": rewrite_sentences,
    "change_whitespace": change_whitespace,
    "change_quote_style": change_quote_style,
    "change_notes": change_notes,
}


def edit(old: str, kinds: Sequence[str], seed: int) -> EditedText:
    """Apply the named edit kinds to ``old``, in order, with a fixed random seed."""
    rng = random.Random(seed)
    et = EditedText(old)
    for kind in kinds:
        EDIT_KINDS[kind](et, rng)
        et.kinds.append(kind)
    return et


# -- works, annotations and the truth about them ---------------------------------------------


def ao3_work(seed_texts: Sequence[str], chapters: int, seed: int) -> str:
    """A multi-chapter AO3 work laid out as the AO3 importer lays it out, from the seed works' prose."""
    rng = random.Random(seed)
    sentences = [m.group().strip() for text in seed_texts for m in _SENTENCE.finditer(text)]
    parts = [
        "A Living Work",
        "Summary",
        " ".join(rng.sample(sentences, 2)),
        "Notes",
        " ".join(rng.sample(sentences, 2)),
    ]
    at = rng.randrange(len(sentences))
    for number in range(1, chapters + 1):
        parts.append(f"Chapter {number}: {sentences[at % len(sentences)][:30].strip()}")
        for _ in range(rng.randint(8, 20)):
            count = rng.randint(1, 7)
            parts.append(" ".join(sentences[(at + i) % len(sentences)] for i in range(count)))
            at += count
        parts += ["Chapter End Notes", " ".join(rng.sample(sentences, 1))]
    return "\n\n".join(parts)


def make_anchors(text: str, count: int, seed: int) -> list[Anchor]:
    """Annotations as coders make them: words, phrases, sentences and whole paragraphs."""
    rng = random.Random(seed)
    words = [m.span() for m in _WORD.finditer(text)]
    sentences = [m.span() for m in _SENTENCE.finditer(text)]
    paragraphs = [m.span() for m in _PARAGRAPH.finditer(text)]
    anchors = []
    for key in range(1, count + 1):
        roll = rng.random()
        if roll < 0.4 or not sentences:
            start, end = rng.choice(words)
        elif roll < 0.7:
            i = rng.randrange(len(words))
            start, end = words[i][0], words[min(i + rng.randint(1, 6), len(words) - 1)][1]
        elif roll < 0.92:
            start, end = rng.choice(sentences)
            start += len(text[start:end]) - len(text[start:end].lstrip())
        else:
            start, end = rng.choice(paragraphs)
        anchors.append(Anchor(key, start, end, text[start:end]))
    return anchors


@dataclass(frozen=True, slots=True)
class Truth:
    """What really happened to one annotation's text."""

    kind: Kind
    start: int | None  # the exact new span, or the extent of its surviving characters
    end: int | None


def truth(et: EditedText, anchors: Sequence[Anchor], where: np.ndarray | None = None) -> list[Truth]:
    """Classify each anchor from the edit record: untouched (and where), edited, or gone."""
    where = et.old_to_new() if where is None else where
    out = []
    for anchor in anchors:
        moved = where[anchor.start : anchor.end]
        kept = moved[moved >= 0]
        length = anchor.end - anchor.start
        if len(kept) == length and length and bool(np.all(np.diff(kept) == 1)):
            out.append(Truth("exact", int(kept[0]), int(kept[0]) + length))
        elif len(kept) >= SURVIVAL * length and len(kept):
            out.append(Truth("changed", int(kept.min()), int(kept.max()) + 1))
        else:
            out.append(Truth("orphaned", None, None))
    return out


@dataclass
class Score:
    """How placements compare with the truth."""

    total: int = 0
    exact_truth: int = 0
    exact_right: int = 0  # truly unchanged, placed exact at the true offsets
    wrong_exact: int = 0  # placed exact anywhere else, or on text that differs from the quote
    changed_off_target: int = 0  # placed changed on a span missing its surviving text
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (truth, placed) → count

    def add(self, anchor: Anchor, placed: Placement, true: Truth, new_text: str) -> None:
        self.total += 1
        key = (true.kind, placed.kind)
        self.confusion[key] = self.confusion.get(key, 0) + 1
        if true.kind == "exact":
            self.exact_truth += 1
        if placed.kind == "exact":
            right = (placed.start, placed.end) == (true.start, true.end)
            assert placed.start is not None and placed.end is not None
            if true.kind == "exact" and right:
                self.exact_right += 1
            elif new_text[placed.start : placed.end] != anchor.quote or true.kind == "exact":
                self.wrong_exact += 1
        if placed.kind == "changed" and true.kind == "changed":
            assert placed.start is not None and placed.end is not None
            assert true.start is not None and true.end is not None
            if placed.end <= true.start or placed.start >= true.end:
                self.changed_off_target += 1

    def precision(self, kind: str) -> float:
        placed = sum(n for (t, p), n in self.confusion.items() if p == kind and t != "exact")
        return self.confusion.get((kind, kind), 0) / placed if placed else 1.0

    def recall(self, kind: str) -> float:
        true = sum(n for (t, _), n in self.confusion.items() if t == kind)
        return self.confusion.get((kind, kind), 0) / true if true else 1.0

    def summary(self) -> str:
        edited = self.total - self.exact_truth
        return (
            f"exact {self.exact_right}/{self.exact_truth}, wrong exact {self.wrong_exact}, edited {edited}: "
            f"changed P {self.precision('changed'):.3f} R {self.recall('changed'):.3f}, "
            f"orphaned P {self.precision('orphaned'):.3f} R {self.recall('orphaned'):.3f}, "
            f"changed off target {self.changed_off_target}"
        )


def score(
    anchors: Sequence[Anchor], placements: Sequence[Placement], truths: Sequence[Truth], new_text: str
) -> Score:
    result = Score()
    for anchor, placed, true in zip(anchors, placements, truths, strict=True):
        result.add(anchor, placed, true, new_text)
    return result
