"""Pause Python's cyclic garbage collector while a burst of acyclic objects is built.

Opening a heavily coded work creates a few hundred thousand tuples in a fraction of a second;
each 700 allocations the collector scans the young objects, and every tenth of those scans a
generation that by then holds the whole document's rows. None of these objects form cycles,
so the scans find nothing and cost more than the building itself. Reference counting still
frees everything as usual; the collector catches up once, when the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with automatic collection off (nesting-safe); restore it afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
