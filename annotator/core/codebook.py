"""Codebook rules on plain values: paths, subtrees, moves that would make a cycle, colours."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from annotator.core.errors import UserError
from annotator.core.validation import is_colour

# Qualitative palette readable as translucent highlight on light and dark backgrounds.
PALETTE = (
    "#e6194b",
    "#3cb44b",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#42d4f4",
    "#f032e6",
    "#bfef45",
    "#469990",
    "#9a6324",
    "#800000",
    "#808000",
    "#000075",
    "#fabed4",
    "#ffd8b1",
    "#aaffc3",
)


@dataclass(frozen=True, slots=True)
class CodeNode:
    id: int
    parent_id: int | None
    name: str
    position: int = 0


class CodebookCycleError(UserError):
    """Codes that are each inside the next, round to the first: the tree has no top to start from.

    The services never make one; a codebook damaged from outside is refused with this one line
    rather than walked for ever. Moving any of the codes to the top level mends it.
    """

    def __init__(self, names: Iterable[str]) -> None:
        loop = [f"“{name}”" for name in names]
        chain = " inside ".join([*loop, loop[0]])
        super().__init__(f"the codebook has a loop: {chain}; move one of these codes to the top level")


def _cycle_from(by_id: Mapping[int, CodeNode], start: int) -> CodebookCycleError | None:
    """The loop reached by following parents up from ``start``, if there is one."""
    seen: list[int] = []
    current: int | None = start
    while current is not None and current in by_id and current not in seen:
        seen.append(current)
        current = by_id[current].parent_id
    if current is None or current not in by_id:
        return None  # reached the top (or a parent outside the given nodes): no loop
    loop = seen[seen.index(current) :]
    return CodebookCycleError(by_id[code_id].name for code_id in loop)


def join_path(names: Iterable[str]) -> str:
    return "/".join(name.replace("\\", "\\\\").replace("/", "\\/") for name in names)


def split_path(path: str) -> tuple[str, ...]:
    """Inverse of :func:`join_path`; surrounding spaces of each name are dropped."""
    names: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in path:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "/":
            names.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    names.append("".join(current).strip())
    return tuple(names)


def display_path(path: str) -> str:
    """How people read a code's path: ``Trope › Captor/captive``, not the CSV's ``Trope/Captor\\/captive``."""
    return " › ".join(split_path(path))


def code_paths(nodes: Iterable[CodeNode]) -> dict[int, str]:
    """``{code id: "Group/Sub/Code"}`` for every node (names escaped as in the codebook CSV)."""
    by_id = {node.id: node for node in nodes}
    cache: dict[int, tuple[str, ...]] = {}

    def names(code_id: int) -> tuple[str, ...]:
        if code_id in cache:
            return cache[code_id]
        chain: list[CodeNode] = []
        on_chain: set[int] = set()
        current: int | None = code_id
        while current is not None and current not in cache:
            if current in on_chain:
                raise _cycle_from(by_id, current) or CodebookCycleError([by_id[current].name])
            on_chain.add(current)
            node = by_id[current]
            chain.append(node)
            current = node.parent_id
        prefix = cache[current] if current is not None else ()
        for node in reversed(chain):
            prefix = (*prefix, node.name)
            cache[node.id] = prefix
        return cache[code_id]

    return {code_id: join_path(names(code_id)) for code_id in by_id}


def subtree_ids(nodes: Iterable[CodeNode], root_id: int) -> list[int]:
    """``root_id`` and all its descendants, parents before children."""
    node_list = list(nodes)
    children: dict[int | None, list[int]] = {}
    for node in node_list:
        children.setdefault(node.parent_id, []).append(node.id)
    order = [root_id]
    seen = {root_id}
    for code_id in order:
        for child in children.get(code_id, []):
            if child in seen:  # only a loop through root_id leads back to a code already listed
                by_id = {node.id: node for node in node_list}
                raise _cycle_from(by_id, child) or CodebookCycleError([by_id[child].name])
            seen.add(child)
            order.append(child)
    return order


def is_descendant_or_self(nodes: Iterable[CodeNode], candidate: int | None, ancestor: int) -> bool:
    """Whether moving ``ancestor`` under ``candidate`` would put a code inside itself."""
    if candidate is None:
        return False
    return candidate in set(subtree_ids(nodes, ancestor))


def tree_order(nodes: Iterable[CodeNode]) -> list[CodeNode]:
    """Depth-first order, siblings by position then name: the order of the codebook panel."""
    children: dict[int | None, list[CodeNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.position, n.name.casefold(), n.id))
    ordered: list[CodeNode] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(node.id, [])))
    if len(ordered) < sum(len(siblings) for siblings in children.values()):
        # Codes no walk from the top reaches: inside a loop, or under one (or, given only part of
        # a codebook, under a parent left out, which is not an error).
        by_id = {node.id: node for siblings in children.values() for node in siblings}
        reached = {node.id for node in ordered}
        for code_id in sorted(by_id.keys() - reached):
            cycle = _cycle_from(by_id, code_id)
            if cycle is not None:
                raise cycle
    return ordered


def next_colour(used: Iterable[str], siblings: Iterable[str] = ()) -> str:
    """A palette colour for a new code (or coder): the one that stands out most from ``siblings``.

    Codes of one group overlap most often, so a new code's colour is the palette colour farthest
    (CIEDE2000) from its siblings' colours, preferring colours nobody uses yet; with no siblings,
    the first unused palette colour (cycling when all are used).
    """
    used_set = {c.lower() for c in used}
    unused = [colour for colour in PALETTE if colour not in used_set]
    near = [c for c in siblings if is_colour(c)]
    if not near:
        return unused[0] if unused else PALETTE[len(used_set) % len(PALETTE)]
    return max(unused or PALETTE, key=lambda colour: min(colour_difference(colour, c) for c in near))


def colour_difference(first: str, second: str) -> float:
    """How different two ``#rrggbb`` colours look (CIEDE2000 ΔE: ~2 is just noticeable, 20+ is clear)."""
    return _difference(first.lower(), second.lower())


@functools.lru_cache(maxsize=65_536)
def _difference(first: str, second: str) -> float:
    # Kept: an import adding 60 codes to one group compares the palette with the same colours
    # thousands of times (~0.3 ms each).
    from coloraide import Color  # 70 ms to import: only when a code is added, not at every start

    return float(Color(first).delta_e(second, method="2000"))


def counts_by_subtree(nodes: Iterable[CodeNode], own_counts: Mapping[int, int]) -> dict[int, int]:
    """Annotations of each code plus all its descendants (what deleting it would remove)."""
    node_list = list(nodes)
    totals = {node.id: own_counts.get(node.id, 0) for node in node_list}
    by_id = {node.id: node for node in node_list}
    for node in reversed(tree_order(node_list)):
        if node.parent_id is not None and node.parent_id in by_id:
            totals[node.parent_id] += totals[node.id]
    return totals
