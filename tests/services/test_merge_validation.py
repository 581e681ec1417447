"""Merging a damaged or hostile coder's copy: every problem listed at once, and nothing merged.

Each copy is made with the app's services and then edited with raw SQL and its constraints off
(``tests/damaged_copies.py``), the way a hand edit or a corruption leaves it. The targets run
on SQLite and PostgreSQL; the sources too, except where only SQLite can hold the damage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.core.text import text_hash
from annotator.services.annotations import list_annotations
from annotator.services.documents import list_documents
from annotator.services.merge import DamagedSourceError, merge_from
from annotator.services.merge_validation import MAX_PROBLEMS_SHOWN, read_checked_source
from annotator.services.projects import create_project
from annotator.store.models import Document
from annotator.store.project import ProjectStore, open_project
from tests.damaged_copies import alice_copy, damage
from tests.dumps import dump_tables
from tests.team_support import ALICE, team_targets

__all__ = ["team_targets"]

Targets = Callable[[str], str]
W0, W1, W2 = "000_5fff9f97e7e95096", "001_2ac99e222802669e", "002_23943e66a67ac0a6"  # seed titles
MARKUP = '#ff0000"><img src="/dev/zero"><b x="'


@pytest.fixture
def target(team_targets: Targets) -> Iterator[ProjectStore]:
    """The lead's new project (the fandom codebook), on the backend under test."""
    store = create_project(team_targets("target"), codebook="fandom")
    yield store
    store.close()


def _file_bytes(store: ProjectStore) -> dict[str, bytes]:
    """The SQLite target's database file and its write-ahead log, byte for byte (empty on PostgreSQL)."""
    if not store.is_sqlite:
        return {}
    main = Path(store.location)
    return {p.name: p.read_bytes() for p in (main, main.with_name(main.name + "-wal")) if p.exists()}


def _refused(target: ProjectStore, source: str) -> DamagedSourceError:
    """Merge ``source`` expecting a refusal; check that the target did not change at all."""
    tables, files = dump_tables(target), _file_bytes(target)
    with pytest.raises(DamagedSourceError) as refused:
        merge_from(target, source)
    assert dump_tables(target) == tables and _file_bytes(target) == files
    return refused.value


def test_every_problem_of_a_hand_edited_copy_is_listed_and_nothing_is_merged(
    target: ProjectStore, team_targets: Targets, tmp_path: Path
) -> None:
    source = damage(
        alice_copy(team_targets("alice"), tmp_path),
        "UPDATE codes SET parent_id = 4 WHERE id = 1",  # Trope inside its own child Slow burn
        "UPDATE codes SET parent_id = 999 WHERE id = 13",
        "UPDATE codes SET colour = 'red' WHERE id = 23",
        "UPDATE codes SET name = 'rank/hierarchy' WHERE id = 25",  # its sibling 20 is Rank/hierarchy
        "UPDATE codes SET name = '' WHERE id = 33",
        "UPDATE coders SET colour = 'blue' WHERE id = 1",
        "UPDATE documents SET text = replace(text, 'the', 'teh') WHERE id = 3",
        'UPDATE document_zones SET "end" = 99999 WHERE id = 10',
        "UPDATE annotations SET quote = 'fabricated' WHERE id = 1",
        'UPDATE annotations SET start = 20000, "end" = 900000 WHERE id = 2',
        'UPDATE annotations SET start = 300, "end" = 200 WHERE id = 3',
        "UPDATE annotations SET code_id = 999 WHERE id = 4",
        "UPDATE document_memos SET coder_id = 999",
    )

    error = _refused(target, source)

    assert list(error.problems) == [
        "code 1 “Trope”: its parent chain loops (1 → 4 → 1)",
        "code 13 “Explicit consent”: its parent (code 999) does not exist",
        "code 23 “Power dynamic › Physical”: colour “red” is not of the form #rrggbb",
        "code 25 “Power dynamic › rank/hierarchy”: code 20 under “Power dynamic” has the same name",
        "code 33 “Paratext › ”: its name is empty",
        "coder 1 “alice”: colour “blue” is not of the form #rrggbb",
        f"document 3 “{W2}”: its text does not match its stored hash (the text was changed after import)",
        f"zone 10 (end_notes) of “{W1}”: span 9526–99999 is beyond the text (9,655 characters)",
        f"annotation 1 on “{W0}”: quote does not match the text at 0–100",
        f"annotation 2 on “{W0}”: span 20000–900000 is beyond the text (20,406 characters)",
        f"annotation 3 on “{W0}”: span 300–200 is empty or reversed",
        f"annotation 4 on “{W1}”: its code 999 does not exist",
        f"document memo 1 on “{W2}”: its coder 999 does not exist",
    ]
    headline, *listed = str(error).splitlines()
    assert headline == f"cannot merge {error.location}: 13 problems found in that copy; nothing was merged"
    assert listed == [f"  {line}" for line in error.problems]


def test_a_long_list_shows_the_first_problems_and_counts_the_rest_by_kind(
    target: ProjectStore, team_targets: Targets, tmp_path: Path
) -> None:
    many = [
        (
            'INSERT INTO annotations (document_id, code_id, coder_id, start, "end", quote, memo,'
            " created_at, updated_at) VALUES (1, 4, 1, ?, ?, 'not the text', '', '2024-05-01 10:00:00',"
            " '2024-05-01 10:00:00')",
            (1000 + n, 1010 + n),
        )
        for n in range(300)
    ]
    source = damage(
        alice_copy(team_targets("alice"), tmp_path), *many, "UPDATE codes SET colour = '#12345' WHERE id = 2"
    )

    error = _refused(target, source)

    assert len(error.problems) == 301  # every one is kept for whoever wants the whole list
    lines = str(error).splitlines()
    assert len(lines) == 1 + MAX_PROBLEMS_SHOWN + 1
    assert lines[1] == "  code 2 “Trope › Enemies to lovers”: colour “#12345” is not of the form #rrggbb"
    assert lines[-1] == "  … and 281 more (281 annotations)"
    assert "301 problems found" in lines[0]


def test_damage_only_sqlite_can_hold_is_refused_into_either_backend(
    target: ProjectStore, tmp_path: Path
) -> None:
    source = damage(
        alice_copy(str(tmp_path / "alice.annotator"), tmp_path),
        ("UPDATE codes SET name = ? WHERE id = 8", ("Pin\x00ing",)),  # PostgreSQL cannot store a NUL
        ("UPDATE codes SET name = ? WHERE id = 10", ("F" * 600,)),
        ("UPDATE codes SET colour = ? WHERE id = 9", (MARKUP,)),
        "UPDATE codes SET position = 'first' WHERE id = 11",
        "UPDATE documents SET title = x'deadbeef' WHERE id = 4",
        "UPDATE documents SET imported_at = 'soon' WHERE id = 5",
        "UPDATE annotations SET start = 'abc' WHERE id = 1",
        'UPDATE annotations SET "end" = 600.5 WHERE id = 2',
        "UPDATE annotations SET created_at = 'yesterday' WHERE id = 3",
        ("UPDATE annotations SET memo = ? WHERE id = 4", ("m" * 100_001,)),
    )

    error = _refused(target, source)

    assert list(error.problems) == [
        "code 8 “Trope › Pin\\x00ing”: its name holds a NUL character",
        f"code 9 “Trope › Angst”: colour “{MARKUP}” is not of the form #rrggbb",
        f"code 10 “Trope › {'F' * 39}…”: its name is 600 characters long; the limit is 500",
        "code 11 “Trope › Psychic bond”: its position “first” is not a whole number",
        "document 4 “<4 bytes of binary data>”: its title is binary data, not text",
        "document 5 “004_7883272f93e09044”: its import time “soon” is not a date and time",
        f"annotation 1 on “{W0}”: its span “abc”–“100” is not two whole numbers",
        f"annotation 2 on “{W0}”: its span “500”–“600.5” is not two whole numbers",
        f"annotation 3 on “{W0}”: its creation time “yesterday” is not a date and time",
        f"annotation 4 on “{W1}”: its memo is 100,001 characters long; the limit is 100,000",
    ]


def test_a_copy_too_damaged_to_read_is_refused_in_one_line(target: ProjectStore, tmp_path: Path) -> None:
    broken = damage(
        alice_copy(str(tmp_path / "alice.annotator"), tmp_path),
        "UPDATE documents SET title = CAST(x'ff' AS TEXT) WHERE id = 1",  # not UTF-8
    )
    error = _refused(target, broken)
    [problem] = error.problems
    assert problem.startswith("the project cannot be read: ") and "utf-8" in problem.lower()


def test_texts_edited_and_rehashed_are_still_refused(
    target: ProjectStore, team_targets: Targets, tmp_path: Path
) -> None:
    """A hand edit that recomputes the hash still breaks the stored form and alice's quotes."""
    source = alice_copy(team_targets("alice"), tmp_path)
    text = _text_of(source, 1)
    edited = text.replace("e", "e\u0301")  # decomposed accents: not NFC, and every offset moves
    source = damage(
        source,
        (
            "UPDATE documents SET text = ?, text_hash = ?, length = ? WHERE id = 1",
            (edited, text_hash(edited), len(edited)),
        ),
        ("UPDATE documents SET length = ? WHERE id = 2", (7,)),
    )

    error = _refused(target, source)

    assert error.problems[:2] == (
        f"document 1 “{W0}”: its text is not in the form the app stores"
        " (NFC, \\n line ends, no control characters)",
        f"document 2 “{W1}”: its recorded length (7) is not its text's (9,655 characters)",
    )
    assert all(line.startswith("annotation ") for line in error.problems[2:]) and len(error.problems) == 5


def _text_of(location: str, document_id: int) -> str:
    store = open_project(location)
    try:
        with store.reading() as session:
            text = session.scalar(select(Document.text).where(Document.id == document_id))
    finally:
        store.close()
    assert text is not None
    return text


def test_edits_a_merge_takes_in_its_stride_are_merged(
    target: ProjectStore, team_targets: Targets, tmp_path: Path
) -> None:
    source = damage(
        alice_copy(team_targets("alice"), tmp_path),
        "UPDATE documents SET title = 'Renamed ' || CAST(id AS TEXT)",
        "UPDATE codes SET colour = upper(colour)",
        ("UPDATE coders SET name = ? WHERE id = 1", ("alice\x1b]0;pwned\x07",)),  # kept as typed, shown inert
        "UPDATE codes SET definition = 'edited by hand' WHERE id = 8",
        "INSERT INTO documents (title, source_format, source_name, text, text_hash, length, imported_at)"
        " SELECT 'Copy', source_format, source_name, text, text_hash, length, imported_at"
        " FROM documents WHERE id = 1",
    )

    report = merge_from(target, source)

    assert report.annotations_added == len(ALICE) and len(report.documents_added) == 5
    assert report.coders_added == ["alice\x1b]0;pwned\x07"]
    assert len(list_documents(target)) == 5 and len(list_annotations(target)) == len(ALICE)
    read_checked_source(target)  # what got in keeps the rules too


def test_a_check_keeps_only_the_texts_the_target_lacks(team_targets: Targets, tmp_path: Path) -> None:
    source = open_project(alice_copy(team_targets("alice"), tmp_path))
    try:
        with source.reading() as session:
            hashes = list(session.scalars(select(Document.text_hash).order_by(Document.id)))
        assert read_checked_source(source, keep_texts_unless=set(hashes)).texts == {}
        kept = read_checked_source(source, keep_texts_unless=set(hashes[1:])).texts
        assert list(kept) == [hashes[0]] and text_hash(kept[hashes[0]]) == hashes[0]
    finally:
        source.close()
