"""The default codebook shipped in resources/codebooks/fandom.csv is complete and grounded in the
demo works."""

from __future__ import annotations

import csv
import itertools
import re

import pytest

from annotator.core.codebook import colour_difference
from annotator.io.csv_codebook import CODEBOOK_COLUMNS, CodebookRow, read_codebook_csv, split_path
from annotator.io.csv_safety import CSV_ENCODING
from annotator.paths import default_codebook_path, seeds_dir

REQUIRED: dict[str, tuple[str, ...]] = {
    "Trope": (
        "Enemies to lovers",
        "Hurt/comfort",
        "Slow burn",
        "Captor/captive",
        "Nightmares/insomnia comfort",
        "First time",
    ),
    "Consent framing": ("Explicit consent", "Negotiated", "Implied", "Dubious", "Non-consent", "Retroactive"),
    "Power dynamic": (
        "Rank/hierarchy",
        "Captor/captive",
        "Supernatural/Force",
        "Physical",
        "Emotional dependence",
        "Reversal",
    ),
    "Point of view": ("Second-person reader-insert", "First person", "Third person limited"),
    "Paratext": ("Author's note", "Warning", "Request for feedback"),
}

# '"verbatim quote" [seed_stem]'; the quote itself may contain quotation marks.
EXAMPLE = re.compile(r'^"(?P<quote>.+)" \[(?P<stem>[0-9a-z_]+)\]$', re.DOTALL)
COLOUR = re.compile(r"^#[0-9a-f]{6}$")


@pytest.fixture(scope="module")
def rows() -> list[CodebookRow]:
    with default_codebook_path().open(encoding=CSV_ENCODING, newline="") as fh:
        return read_codebook_csv(fh, name="fandom.csv")


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))}


def test_file_is_utf8_with_bom_and_has_the_codebook_header() -> None:
    raw = default_codebook_path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with default_codebook_path().open(encoding=CSV_ENCODING, newline="") as fh:
        assert tuple(next(csv.reader(fh))) == CODEBOOK_COLUMNS


def test_parses_with_groups_written_before_their_children(rows: list[CodebookRow]) -> None:
    assert rows
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        assert 1 <= len(row.path) <= 2, row.path
        if len(row.path) == 2:
            assert row.path[:1] in seen, f"{row.path} comes before its group"
        seen.add(row.path)


def test_required_groups_and_children_present(rows: list[CodebookRow]) -> None:
    paths = {row.path for row in rows}
    for group, children in REQUIRED.items():
        assert (group,) in paths, f"missing group {group!r}"
        for child in children:
            assert (group, child) in paths, f"missing code {group!r} / {child!r}"
    assert {row.path[0] for row in rows} == set(REQUIRED)


def test_slashes_in_names_are_escaped_in_the_raw_path() -> None:
    with default_codebook_path().open(encoding=CSV_ENCODING, newline="") as fh:
        raw_paths = [record["path"] for record in csv.DictReader(fh)]
    assert "Trope/Hurt\\/comfort" in raw_paths
    assert "Power dynamic/Rank\\/hierarchy" in raw_paths
    for raw in raw_paths:
        names = split_path(raw)
        assert len(names) == raw.count("/") - raw.count("\\/") + 1, raw
        assert all(name == name.strip() and name for name in names), raw


def test_every_code_is_fully_documented(rows: list[CodebookRow]) -> None:
    for row in rows:
        for field in ("definition", "inclusion", "exclusion", "example"):
            assert getattr(row, field).strip(), f"{row.path}: empty {field}"
        assert row.inclusion.startswith("Apply "), row.path
        assert row.exclusion.startswith("Do not apply"), row.path


def test_colours_valid_and_distinct(rows: list[CodebookRow]) -> None:
    colours = [row.colour for row in rows]
    assert all(COLOUR.match(c) for c in colours), colours
    assert len(set(colours)) == len(colours)


def test_codes_of_one_group_are_told_apart_by_colour(rows: list[CodebookRow]) -> None:
    """Codes of one group overlap most often: each pair (the group's own colour included) differs by
    CIEDE2000 ΔE ≥ 20, clearly different at a glance (it was 8.9: orange beside light orange)."""
    groups: dict[str, list[CodebookRow]] = {}
    for row in rows:
        groups.setdefault(row.path[0], []).append(row)
    for group, members in groups.items():
        for first, second in itertools.combinations(members, 2):
            difference = colour_difference(first.colour, second.colour)
            assert difference >= 20, (group, first.path, first.colour, second.path, second.colour, difference)


def test_short_names_are_unique_mnemonics(rows: list[CodebookRow]) -> None:
    names = [row.short_name for row in rows]
    assert all(2 <= len(n) <= 4 and n == n.strip() for n in names), names
    assert len(set(names)) == len(names)


def test_examples_are_verbatim_quotes_from_the_named_seed(
    rows: list[CodebookRow], seeds: dict[str, str]
) -> None:
    assert seeds, "no demo works found"
    for row in rows:
        match = EXAMPLE.match(row.example)
        assert match, f"{row.path}: example not in '\"quote\" [stem]' form: {row.example!r}"
        quote, stem = match["quote"], match["stem"]
        assert stem in seeds, f"{row.path}: unknown seed {stem!r}"
        assert len(quote) <= 200, f"{row.path}: example quote longer than 200 characters"
        assert quote in seeds[stem], f"{row.path}: {quote!r} does not occur verbatim in {stem}"
