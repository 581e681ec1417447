"""The rules each row of a merge source must keep, each broken rule worded as one line for a person.

The rows come as the database driver returns them, because a copy edited by hand can hold what
the models never would: text in an integer column, bytes in a text column, a parent id that
points nowhere. Every check therefore looks at the raw value; nothing here assumes a row is
sound. The lines name the object first ("code 12 “Trope › Angst”: …") so a person can find it,
and show stored values short and with control characters escaped, whatever they hold.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from annotator.core.types import ZONE_KINDS
from annotator.core.validation import is_colour
from annotator.services.merge_source import SourceCode, SourceCoder, SourceZone

_SHOWN_ESCAPES = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
SHOWN_LENGTH = 60

# The order problems are listed in, and the word for each kind of object.
KINDS = ("code", "coder", "document", "attribute", "zone", "annotation", "document memo")


def shown(value: object, limit: int = SHOWN_LENGTH) -> str:
    """A stored value as a problem line quotes it: at most ``limit`` characters, controls escaped."""
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes of binary data>"
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _SHOWN_ESCAPES.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    return f"\\x{point:02x}" if point <= 0xFF else f"\\u{point:04x}"


def text_fault(value: object, *, limit: int | None = None) -> str | None:
    """What is wrong with a stored text value, or None: not text, a NUL, longer than ``limit``.

    PostgreSQL cannot store NUL at all, so a NUL anywhere would fail a merge into it halfway.
    Other control characters pass: the app keeps them in names as typed and shows them inert
    (escaped on a terminal, plain text on screen), so a copy may hold them legitimately.
    """
    if not isinstance(value, str):
        return "is not text" if not isinstance(value, bytes) else "is binary data, not text"
    if "\x00" in value:
        return "holds a NUL character"
    if limit is not None and len(value) > limit:
        return f"is {len(value):,} characters long; the limit is {limit:,}"
    return None


def name_fault(value: object, limit: int) -> str | None:
    """:func:`text_fault` for a name, which must also be as the app stores it: not empty, no extra spaces."""
    fault = text_fault(value, limit=limit)
    if fault is not None:
        return fault
    assert isinstance(value, str)
    cleaned = " ".join(value.split())
    if not cleaned:
        return "is empty"
    if cleaned != value:
        return f"has spaces the app would not keep (it stores “{shown(cleaned)}”)"
    return None


def is_whole_number(value: object) -> bool:
    return type(value) is int


def parse_timestamp(value: object) -> datetime | None:
    """A stored timestamp as a naive datetime; None when it is not one (SQLite keeps any text)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo is None else None


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


class Problems:
    """Every problem found, kept with its object's kind and id so the list reads in a stable order."""

    def __init__(self) -> None:
        self._found: list[tuple[int, int, int, str]] = []

    def add(self, kind: str, row_id: object, line: str) -> None:
        order = row_id if isinstance(row_id, int) else 0
        self._found.append((KINDS.index(kind), order, len(self._found), line))

    def __bool__(self) -> bool:
        return bool(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def lines(self) -> list[str]:
        """Codes first, then coders, documents, … each by id; one line per problem."""
        return [line for *_, line in sorted(self._found)]

    def kinds(self) -> list[str]:
        """The kind of object of each line of :meth:`lines`, in the same order."""
        return [KINDS[kind] for kind, *_ in sorted(self._found)]


def count_by_kind(kinds: Iterable[str]) -> str:
    """``"970 annotations, 10 zones"``: how many problems each kind of object has, in list order."""
    counts = Counter(kinds)
    return ", ".join(plural(counts[kind], kind) for kind in KINDS if counts[kind])


# --- codes ---------------------------------------------------------------------------------------


SHOWN_LEVELS = 3  # a path in a problem line names the code and its nearest parents, no more


def code_depths(by_id: Mapping[int, SourceCode]) -> dict[int, int | None]:
    """How many levels down each code sits (1 at the top); None where its parents loop or are missing."""
    depths: dict[int, int | None] = {}
    for code_id in by_id:
        chain: list[int] = []
        on_chain: set[int] = set()
        current: Any = code_id
        while current is not None and current in by_id and current not in depths and current not in on_chain:
            chain.append(current)
            on_chain.add(current)
            current = by_id[current].parent_id
        # The walk stopped at the top, at a code already measured, or somewhere broken (a loop, a
        # missing parent): then nothing on it has a depth either.
        base = 0 if current is None else depths.get(current) if current in depths else None
        for offset, walked in enumerate(reversed(chain), start=1):
            depths[walked] = None if base is None else base + offset
    return depths


def shown_path(code: SourceCode, by_id: Mapping[int, SourceCode], depth: int | None) -> str:
    """``Trope › Angst`` (``… › A › B › C`` deeper down); only the name where the tree is broken."""
    if depth is None:
        return shown(code.name, 40)
    names: list[str] = []
    current: SourceCode | None = code
    while current is not None and len(names) < SHOWN_LEVELS:
        names.append(shown(current.name, 40))
        current = by_id[current.parent_id] if current.parent_id is not None else None
    return " › ".join((["…"] if depth > SHOWN_LEVELS else []) + names[::-1])


def check_codes(
    codes: Sequence[SourceCode], problems: Problems, limits: Mapping[str, int], max_depth: int
) -> None:
    """Loops, missing parents, depth, names (also the same name twice among siblings), colours, texts."""
    by_id = {code.id: code for code in codes}
    depths = code_depths(by_id)
    paths = {code.id: shown_path(code, by_id, depths[code.id]) for code in codes}
    labels = {code_id: f"code {code_id} “{path}”" for code_id, path in paths.items()}
    for loop in _loops(by_id):
        first = min(loop)
        start = loop.index(first)
        ordered = loop[start:] + loop[:start]
        if len(ordered) > 4:  # a loop through thousands of codes still makes one short line
            chain = " → ".join(map(str, ordered[:3])) + f" → … → {first} ({len(ordered):,} codes)"
        else:
            chain = " → ".join(map(str, [*ordered, first]))
        problems.add("code", first, f"{labels[first]}: its parent chain loops ({chain})")
    for code in codes:
        if depths[code.id] == max_depth + 1:  # the topmost too deep; moving it up mends its subtree
            problems.add(
                "code",
                code.id,
                f"{labels[code.id]}: it sits {max_depth + 1} levels deep; the limit is {max_depth}",
            )
    siblings: dict[tuple[Any, str], int] = {}
    for code in codes:
        label = labels[code.id]
        if code.parent_id is not None and code.parent_id not in by_id:
            problems.add(
                "code", code.id, f"{label}: its parent (code {shown(code.parent_id)}) does not exist"
            )
        fault = name_fault(code.name, limits["name"])
        if fault is not None:
            problems.add("code", code.id, f"{label}: its name {fault}")
        elif code.parent_id is None or code.parent_id in by_id:
            key = (code.parent_id, code.name.casefold())
            if key in siblings:
                where = "at the top level" if code.parent_id is None else f"under “{paths[code.parent_id]}”"
                other = siblings[key]
                problems.add("code", code.id, f"{label}: code {other} {where} has the same name")
            else:
                siblings[key] = code.id
        if not isinstance(code.colour, str) or not is_colour(code.colour):
            problems.add(
                "code", code.id, f"{label}: colour “{shown(code.colour)}” is not of the form #rrggbb"
            )
        fault = text_fault(code.short_name, limit=limits["short_name"])
        if fault is not None:
            problems.add("code", code.id, f"{label}: its short name {fault}")
        for field in ("definition", "inclusion", "exclusion", "example"):
            fault = text_fault(getattr(code, field))
            if fault is not None:
                problems.add("code", code.id, f"{label}: its {field} {fault}")
        if not is_whole_number(code.position):
            problems.add(
                "code", code.id, f"{label}: its position “{shown(code.position)}” is not a whole number"
            )


def _loops(by_id: Mapping[int, SourceCode]) -> list[list[int]]:
    """Each loop of parent links once, as the ids from a code up to the one whose parent it is."""
    done: set[int] = set()
    loops: list[list[int]] = []
    for start in by_id:
        chain: list[int] = []
        on_chain: dict[int, int] = {}
        current: Any = start
        while current is not None and current in by_id and current not in done and current not in on_chain:
            on_chain[current] = len(chain)
            chain.append(current)
            current = by_id[current].parent_id
        if current in on_chain:
            loops.append(chain[on_chain[current] :])
        done.update(chain)
    return loops


# --- coders --------------------------------------------------------------------------------------


def check_coders(
    coders: Sequence[SourceCoder], problems: Problems, name_limit: int, roles: Sequence[str]
) -> None:
    for coder in coders:
        label = f"coder {coder.id} “{shown(coder.name)}”"
        fault = name_fault(coder.name, name_limit)
        if fault is not None:
            problems.add("coder", coder.id, f"{label}: its name {fault}")
        if not isinstance(coder.colour, str) or not is_colour(coder.colour):
            problems.add(
                "coder", coder.id, f"{label}: colour “{shown(coder.colour)}” is not of the form #rrggbb"
            )
        if coder.role not in roles:
            problems.add(
                "coder", coder.id, f"{label}: its role “{shown(coder.role)}” is not {' or '.join(roles)}"
            )


# --- zones ---------------------------------------------------------------------------------------


def check_zone(
    zone: SourceZone, title: str, length: int | None, problems: Problems, limits: Mapping[str, int]
) -> None:
    """One zone of the document ``title`` (``length`` characters; None when its text is unusable)."""
    label = f"zone {zone.id} ({shown(zone.kind, 40)}) of “{title}”"
    if not isinstance(zone.kind, str) or zone.kind not in ZONE_KINDS:
        problems.add("zone", zone.id, f"{label}: “{shown(zone.kind)}” is not a kind of zone the app knows")
    fault = text_fault(zone.label, limit=limits["label"])
    if fault is not None:
        problems.add("zone", zone.id, f"{label}: its label {fault}")
    if zone.chapter is not None and not is_whole_number(zone.chapter):
        problems.add("zone", zone.id, f"{label}: its chapter “{shown(zone.chapter)}” is not a whole number")
    fault = span_fault(zone.start, zone.end, length)
    if fault is not None:
        problems.add("zone", zone.id, f"{label}: {fault}")


def span_fault(start: object, end: object, length: int | None) -> str | None:
    """What is wrong with ``[start, end)`` in a text of ``length`` characters (None: not checkable)."""
    if not is_whole_number(start) or not is_whole_number(end):
        return f"its span “{shown(start, 20)}”–“{shown(end, 20)}” is not two whole numbers"
    assert isinstance(start, int) and isinstance(end, int)
    if start < 0:
        return f"span {start}–{end} starts before the text"
    if start >= end:
        return f"span {start}–{end} is empty or reversed"
    if length is not None and end > length:
        return f"span {start}–{end} is beyond the text ({length:,} characters)"
    return None
