"""Number keys: the first nine codes until the researcher assigns keys; an assignment moves one key
and keeps the others' defaults; kept per project in the settings file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.core.types import CodeInfo
from annotator.ui.key_assignments import KeyAssignments, parse_assignments, resolve_keys

CODES = [CodeInfo(id=10 + n, parent_id=None, name=f"c{n}", path=f"c{n}", colour="#336699") for n in range(12)]


def _keys(assignments: KeyAssignments) -> dict[int, str]:
    return {key: code.name for key in range(10) if (code := assignments.code_for_key(key)) is not None}


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "keys.ini"), QSettings.Format.IniFormat)


def test_nothing_assigned_keeps_the_first_nine_codes(qapp: object, tmp_path: Path) -> None:
    keys = KeyAssignments(_settings(tmp_path), "/p/one.annotator", lambda: CODES)
    assert _keys(keys) == {n: f"c{n - 1}" for n in range(1, 10)}
    assert keys.code_for_key(0) is None
    few = CODES[:3]
    assert {k: c.name for k, c in resolve_keys(few, {}).items()} == {1: "c0", 2: "c1", 3: "c2"}


def test_assigning_moves_one_key_and_none_takes_it_away(qapp: object, tmp_path: Path) -> None:
    keys = KeyAssignments(_settings(tmp_path), "/p/one.annotator", lambda: CODES)
    keys.assign(CODES[11].id, 2)  # c11 takes key 2 from c1
    keys.assign(CODES[4].id, 0)  # c4 moves from 5 to 0: key 5 applies nothing now
    keys.assign(CODES[0].id, None)
    assert _keys(keys) == {2: "c11", 3: "c2", 4: "c3", 6: "c5", 7: "c6", 8: "c7", 9: "c8", 0: "c4"}
    assert keys.key_of(CODES[1].id) is None and keys.key_of(CODES[11].id) == 2
    keys.assign(CODES[11].id, 7)  # a code has one key: 2 is given up, 7 taken from c6
    assert (
        keys.key_of(CODES[11].id) == 7 and keys.code_for_key(2) is None and keys.key_of(CODES[6].id) is None
    )


def test_assignments_are_kept_per_project_and_forget_deleted_codes(qapp: object, tmp_path: Path) -> None:
    first = KeyAssignments(_settings(tmp_path), "/p/one.annotator", lambda: CODES)
    first.assign(CODES[11].id, 1)
    again = KeyAssignments(_settings(tmp_path), "/p/one.annotator", lambda: CODES)
    assert again.code_for_key(1) == CODES[11]
    other = KeyAssignments(_settings(tmp_path), "postgresql+psycopg://u@host/db", lambda: CODES)
    assert other.code_for_key(1) == CODES[0]  # another project: its own (default) keys
    without = KeyAssignments(_settings(tmp_path), "/p/one.annotator", lambda: CODES[:11])
    assert without.code_for_key(1) is None  # the code was deleted: its key applies nothing


def test_settings_text_that_is_not_ours_is_ignored() -> None:
    assert parse_assignments("1=12,2=,x=3,11=4,0=7, 5 = 9") == {1: 12, 2: None, 0: 7, 5: 9}
    assert parse_assignments(None) == {} and parse_assignments(["1=3", "2=4"]) == {1: 3, 2: 4}
