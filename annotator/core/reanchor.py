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
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.alignment import Alignment, AnchorKind, Place
from annotator.core.gc_pause import gc_paused

__all__ = ["Alignment", "Anchor", "AnchorKind", "Place", "Placement", "reanchor"]


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
        return _placed(alignment, anchors)


def _placed(alignment: Alignment, anchors: Sequence[Anchor]) -> list[Placement]:
    blocks, block_starts, new_text = alignment.blocks, alignment.block_starts, alignment.new_text
    placements = []
    for anchor in anchors:
        start, end, quote = anchor.start, anchor.end, anchor.quote
        # The common case inline (100k annotations): inside one unchanged block, text as stored.
        i = bisect_right(block_starts, start) - 1
        if i >= 0:
            block = blocks[i]
            if end <= block.old_start + block.length:
                new_start = block.new_start + start - block.old_start
                if new_text[new_start : new_start + end - start] == quote:
                    placements.append(Placement(anchor.key, "exact", new_start, new_start + end - start))
                    continue
        place = alignment.place(start, end, quote)
        placements.append(Placement(anchor.key, place.kind, place.start, place.end))
    return placements
