"""The wording of a merge source's problems: stored values quoted short and inert, codes by path."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from annotator.services.merge_checks import (
    SHOWN_LENGTH,
    Problems,
    check_codes,
    code_depths,
    shown,
    shown_path,
)
from annotator.services.merge_source import SourceCode

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _code(code_id: int, parent_id: object, name: object) -> SourceCode:
    return SourceCode(code_id, parent_id, name, "", "#888888", "", "", "", "", 0)


@given(st.one_of(st.text(), st.binary(), st.integers(), st.floats(), st.none()))
def test_a_quoted_value_is_one_short_line_without_controls(value: object) -> None:
    text = shown(value)
    assert not _UNPRINTABLE.search(text)
    assert len(text) <= SHOWN_LENGTH * 6  # each character at most a six-character escape


def test_a_long_value_is_cut_and_controls_are_written_as_escapes() -> None:
    assert shown("a\x1b[2J\nb\udcff") == "a\\x1b[2J\\x0ab\\udcff"
    assert shown("x" * 100) == "x" * (SHOWN_LENGTH - 1) + "…"
    assert shown(b"\x00\x01") == "<2 bytes of binary data>"


def test_codes_are_named_by_path_up_to_where_the_tree_breaks() -> None:
    codes = [
        _code(1, None, "Trope"),
        _code(2, 1, "Angst"),
        _code(3, 4, "Looped"),
        _code(4, 3, "Back"),
        _code(5, 3, "Under the loop"),
        _code(6, 99, "Orphan"),
        _code(7, 6, "Child of orphan"),
        _code(8, 2, "Deeper"),
        _code(9, 8, "Deepest"),
    ]
    by_id = {code.id: code for code in codes}
    depths = code_depths(by_id)
    assert depths == {1: 1, 2: 2, 3: None, 4: None, 5: None, 6: None, 7: None, 8: 3, 9: 4}
    assert {code.id: shown_path(code, by_id, depths[code.id]) for code in codes} == {
        1: "Trope",
        2: "Trope › Angst",
        3: "Looped",
        4: "Back",
        5: "Under the loop",
        6: "Orphan",
        7: "Child of orphan",
        8: "Trope › Angst › Deeper",
        9: "… › Angst › Deeper › Deepest",
    }


def test_a_loop_through_thousands_of_codes_and_a_chain_too_deep_are_one_line_each() -> None:
    looped = [_code(n, n + 1 if n < 5000 else 1, f"L{n}") for n in range(1, 5001)]
    deep = [_code(10_000 + n, 10_000 + n - 1 if n else None, f"D{n}") for n in range(60)]
    problems = Problems()
    check_codes(looped + deep, problems, {"name": 500, "short_name": 100}, max_depth=50)
    assert problems.lines() == [
        "code 1 “L1”: its parent chain loops (1 → 2 → 3 → … → 1 (5,000 codes))",
        "code 10050 “… › D48 › D49 › D50”: it sits 51 levels deep; the limit is 50",
    ]


def test_problems_are_listed_by_kind_then_id() -> None:
    problems = Problems()
    problems.add("annotation", 2, "annotation 2")
    problems.add("code", 9, "code 9")
    problems.add("annotation", 1, "annotation 1")
    problems.add("document", 1, "document 1")
    assert problems.lines() == ["code 9", "document 1", "annotation 1", "annotation 2"]
    assert problems.kinds() == ["code", "document", "annotation", "annotation"]
