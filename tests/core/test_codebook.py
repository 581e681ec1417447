"""Codebook rules on plain values: escaped paths, subtrees, cycles, panel order, colours, counts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.codebook import (
    PALETTE,
    CodeNode,
    code_paths,
    colour_difference,
    counts_by_subtree,
    is_descendant_or_self,
    join_path,
    next_colour,
    split_path,
    subtree_ids,
    tree_order,
)

# Trope(1) > Slow burn(2) > Pining(4); Trope > Fluff(3); Angst(5); "AU/Crossover"(6) > "a\b"(7)
NODES = [
    CodeNode(1, None, "Trope", 0),
    CodeNode(2, 1, "Slow burn", 1),
    CodeNode(3, 1, "Fluff", 0),
    CodeNode(4, 2, "Pining", 0),
    CodeNode(5, None, "Angst", 1),
    CodeNode(6, None, "AU/Crossover", 2),
    CodeNode(7, 6, "a\\b", 0),
]


def test_paths_escape_slashes_and_backslashes() -> None:
    paths = code_paths(NODES)
    assert paths[4] == "Trope/Slow burn/Pining"
    assert paths[6] == "AU\\/Crossover"
    assert paths[7] == "AU\\/Crossover/a\\\\b"
    assert split_path(paths[7]) == ("AU/Crossover", "a\\b")


def test_split_path_trims_each_name() -> None:
    assert split_path(" Trope / Slow burn ") == ("Trope", "Slow burn")
    assert split_path("Single") == ("Single",)


names = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12).map(str.strip).filter(bool)


@given(st.lists(names, min_size=1, max_size=5))
def test_split_undoes_join(path: list[str]) -> None:
    assert split_path(join_path(path)) == tuple(path)


def test_subtree_lists_parents_before_children() -> None:
    order = subtree_ids(NODES, 1)
    assert sorted(order) == [1, 2, 3, 4]
    assert order[0] == 1 and order.index(2) < order.index(4)
    assert subtree_ids(NODES, 5) == [5]


def test_a_move_into_its_own_subtree_is_a_cycle() -> None:
    assert is_descendant_or_self(NODES, 4, 1)  # Trope under its grandchild
    assert is_descendant_or_self(NODES, 1, 1)  # under itself
    assert not is_descendant_or_self(NODES, 5, 1)
    assert not is_descendant_or_self(NODES, None, 1)  # to the top level is always fine
    assert not is_descendant_or_self(NODES, 1, 4)  # a leaf may move up


def test_tree_order_is_depth_first_by_position_then_name() -> None:
    assert [n.id for n in tree_order(NODES)] == [1, 3, 2, 4, 5, 6, 7]
    ties = [CodeNode(1, None, "beta"), CodeNode(2, None, "Alpha"), CodeNode(3, None, "alpha")]
    assert [n.name for n in tree_order(ties)] == ["Alpha", "alpha", "beta"]


def test_next_colour_takes_the_first_unused_and_cycles() -> None:
    assert next_colour([]) == PALETTE[0]
    assert next_colour([PALETTE[0].upper(), PALETTE[2]]) == PALETTE[1]
    everything = list(PALETTE)
    assert next_colour(everything) in PALETTE
    assert next_colour([*everything, "#000001"]) == PALETTE[1]


def test_a_new_code_takes_the_unused_colour_that_stands_out_most_from_its_siblings() -> None:
    siblings = ["#e6194b", "#f58231"]  # red and orange: a third warm colour would be hard to tell apart
    chosen = next_colour(siblings, siblings)
    assert chosen not in siblings
    nearest = min(colour_difference(chosen, s) for s in siblings)
    others = [c for c in PALETTE if c not in siblings]
    assert nearest == max(min(colour_difference(c, s) for s in siblings) for c in others)
    assert nearest >= 40
    # Every palette colour in use: the best of all of them, even if someone else has it too.
    assert next_colour(PALETTE, ["#e6194b"]) != "#e6194b"


def test_colour_difference_is_zero_for_the_same_colour_and_large_for_opposites() -> None:
    assert colour_difference("#336699", "#336699") == 0
    assert colour_difference("#000000", "#ffffff") > 90
    assert colour_difference("#fd7e14", "#ffb366") < 20  # the old Trope pair nobody could tell apart


def test_counts_by_subtree_add_up_descendants() -> None:
    totals = counts_by_subtree(NODES, {2: 3, 4: 5, 3: 1, 7: 2})
    assert totals == {1: 9, 2: 8, 3: 1, 4: 5, 5: 0, 6: 2, 7: 2}
