"""A code tree with a loop (codes each inside the next) is refused in one line, never walked for ever.

The services never make one (``tests/services/test_concurrency.py`` races them); these are the
readers' guards for a codebook damaged from outside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from annotator.core.codebook import (
    CodebookCycleError,
    CodeNode,
    code_paths,
    counts_by_subtree,
    is_descendant_or_self,
    subtree_ids,
    tree_order,
)
from annotator.core.errors import UserError

# Top > Group; A and B inside each other, C under A. Or: D inside itself.
TWO = [
    CodeNode(1, None, "Top"),
    CodeNode(2, 1, "Group"),
    CodeNode(3, 4, "A"),
    CodeNode(4, 3, "B"),
    CodeNode(5, 3, "C"),
]
ONE = [CodeNode(1, None, "Top"), CodeNode(9, 9, "D")]
LOOPS = {"two codes": (TWO, 3, "“A” inside “B” inside “A”"), "one code": (ONE, 9, "“D” inside “D”")}

READERS: dict[str, Callable[[list[CodeNode], int], Any]] = {
    "code_paths": lambda nodes, _member: code_paths(nodes),
    "tree_order": lambda nodes, _member: tree_order(nodes),
    "counts_by_subtree": lambda nodes, _member: counts_by_subtree(nodes, {}),
    "subtree_ids": subtree_ids,
    "is_descendant_or_self": lambda nodes, member: is_descendant_or_self(nodes, 1, member),
}


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("loop", list(LOOPS))
def test_every_reader_refuses_a_loop_in_one_line(reader: str, loop: str) -> None:
    nodes, member, names = LOOPS[loop]
    with pytest.raises(CodebookCycleError) as caught:
        READERS[reader](nodes, member)
    assert isinstance(caught.value, UserError)
    assert str(caught.value) == f"the codebook has a loop: {names}; move one of these codes to the top level"


def test_the_codes_outside_the_loop_are_still_readable() -> None:
    assert subtree_ids(TWO, 1) == [1, 2]
    assert not is_descendant_or_self(TWO, 2, 5)
    assert code_paths(TWO[:2]) == {1: "Top", 2: "Top/Group"}


def test_a_parent_left_out_of_a_partial_list_is_no_loop() -> None:
    partial = [CodeNode(2, 1, "Group"), CodeNode(3, 2, "Leaf")]
    assert tree_order(partial) == []  # not reachable from the top, but no loop either
    assert subtree_ids(partial, 2) == [2, 3]
