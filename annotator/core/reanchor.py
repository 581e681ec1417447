"""Re-anchoring annotations when a work's text is replaced by a newer version.

Each annotation is classified against the alignment of the two texts (``core.alignment``):

- **exact** — its text is unchanged and found at its new offsets (``new_text[start:end] == quote``);
- **changed** — its text was edited; the new span is the edited counterpart chosen from the
  alignment, never a span on unrelated text;
- **orphaned** — its text is gone.

Pure Python, no Qt and no database: the store and the app's review queue call ``reanchor``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.alignment import Alignment, AnchorKind, Place
from annotator.core.gc_pause import gc_paused

__all__ = ["Alignment", "Anchor", "AnchorKind", "Place", "Placement", "placed_spans", "reanchor"]


@dataclass(frozen=True, slots=True)
class Anchor:
    """An annotation's span in the old text: ``[start, end)`` in code points, and its stored quote."""

    key: int
    start: int
    end: int
    quote: str


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an annotation lands in the new text; ``start``/``end`` are None when orphaned."""

    key: int
    kind: AnchorKind
    start: int | None
    end: int | None


def reanchor(old_text: str, new_text: str, anchors: Sequence[Anchor]) -> list[Placement]:
    """One Placement per anchor, in the order given."""
    alignment = Alignment.between(old_text, new_text)
    with gc_paused():  # 100k placements, no cycles: the collector's scans would cost half the time
        places = placed_spans(alignment, [(a.start, a.end, a.quote) for a in anchors])
        return [Placement(a.key, *place) for a, place in zip(anchors, places, strict=True)]


def placed_spans(alignment: Alignment, spans: Iterable[tuple[int, int, str]]) -> list[Place]:
    """Where each old ``(start, end, quote)`` lands, in the order given (what ``reanchor`` does
    for a caller that already has the alignment and needs no Anchor objects)."""
    blocks, block_starts, new_text = alignment.blocks, alignment.block_starts, alignment.new_text
    # Block bounds as plain lists: the common case below reads them 100k times.
    new_starts = [block.new_start for block in blocks]
    old_ends = [block.old_start + block.length for block in blocks]
    places = []
    for start, end, quote in spans:
        # The common case inline (100k annotations): inside one unchanged block, text as stored.
        i = bisect_right(block_starts, start) - 1
        if i >= 0 and end <= old_ends[i]:
            new_start = new_starts[i] + start - block_starts[i]
            new_end = new_start + end - start
            if new_text[new_start:new_end] == quote:
                places.append(Place("exact", new_start, new_end))
                continue
        places.append(alignment.place(start, end, quote))
    return places
