"""Hostile segments and codebook CSVs cannot break a project (issue 9 §3), on SQLite and PostgreSQL.

Each refused file gets the same one-line answer on both backends (file, row, column, problem),
leaves every table as it was, and the next annotation is made as if the file had never been
tried: a file's id of 2**63-1 or 2**31-1 used to be stored as given, after which every later
annotation failed ("database or disk is full", "nextval: reached maximum value").
"""

from __future__ import annotations

import csv
import io

import pytest

from annotator.core.errors import USER_ERRORS, user_message
from annotator.io.csv_safety import CSV_ENCODING
from annotator.services import annotations as ann
from annotator.services.codebook import find_code_by_path, list_codes
from annotator.services.codebook_csv import import_codebook
from annotator.services.coders import ensure_coder
from annotator.services.documents import document_text, import_files
from annotator.services.segments import import_segments, iter_segments
from annotator.store.project import ProjectStore
from tests.conftest import SEEDS
from tests.dumps import dump_tables

NAME = "hostile.csv"
LEAF = "Trope/Slow burn"
BIG = str(10**30)


@pytest.fixture
def project(fandom_project: ProjectStore) -> ProjectStore:
    """The fandom codebook and the first seed work (document 1), nothing coded yet."""
    report = import_files(fandom_project, [SEEDS[0]])
    assert [d.id for d in report.imported] == [1]
    return fandom_project


def _file(rows: list[dict[str, str]]) -> io.TextIOWrapper:
    """The rows as a CSV file on disk is read: UTF-8 bytes, opened as the CLI opens them."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return io.TextIOWrapper(io.BytesIO(out.getvalue().encode(CSV_ENCODING)), CSV_ENCODING, newline="")


def _segment(store: ProjectStore, **changes: str) -> dict[str, str]:
    row = {
        "annotation_id": "",
        "document_id": "1",
        "start": "0",
        "end": "12",
        "text": document_text(store, 1)[:12],
        "code_path": LEAF,
        "coder": "ana",
        "memo": "",
        "created_at": "",
        "updated_at": "",
    }
    row.update(changes)
    return row


def _next_annotation_id(store: ProjectStore) -> int:
    """Code a new span the way `annotator code` does; the new annotation's id."""
    with store.reading() as session:
        code = find_code_by_path(session, LEAF).id
    coder = ensure_coder(store, "next coder").id
    return ann.apply_code(store, 1, 20, 30, code, coder).id


def _refused(store: ProjectStore, run: object, message: str) -> None:
    before = dump_tables(store)
    with pytest.raises(USER_ERRORS) as caught:
        run()  # type: ignore[operator]
    assert user_message(caught.value) == message
    assert dump_tables(store) == before
    assert _next_annotation_id(store) == 1  # as if the file had never been tried


SEGMENT_CASES = {
    "id 10**30": (
        {"annotation_id": BIG},
        f"annotation_id {BIG} is too large (the largest allowed is {2**63 - 1})",
    ),
    "id 2**63": (
        {"annotation_id": str(2**63)},
        f"annotation_id {2**63} is too large (the largest allowed is {2**63 - 1})",
    ),
    "id -5": ({"annotation_id": "-5"}, "annotation_id -5 is not an id (ids are whole numbers from 1)"),
    "id 1.5": ({"annotation_id": "1.5"}, "annotation_id '1.5' is not a whole number"),
    "document id 10**30": (
        {"document_id": BIG},
        f"document_id {BIG} is too large (the largest allowed is {2**63 - 1})",
    ),
    "start 10**30": ({"start": BIG}, f"start {BIG} is too large (the largest allowed is {2**63 - 1})"),
    "year 0": (
        {"created_at": "0000-01-01T00:00:00Z"},
        "created_at '0000-01-01T00:00:00Z' is not a date and time like 2024-05-01T10:00:00Z",
    ),
    "0000-01-01": (
        {"created_at": "0000-01-01"},
        "created_at '0000-01-01' is not a date and time like 2024-05-01T10:00:00Z",
    ),
    "past 9999 in UTC": (
        {"created_at": "9999-12-31T23:59:59-01:00"},
        "created_at '9999-12-31T23:59:59-01:00' is out of range in UTC "
        "(dates run from 0001-01-01 to 9999-12-31)",
    ),
    "before year 1 in UTC": (
        {"updated_at": "0001-01-01T00:00:00+01:00"},
        "updated_at '0001-01-01T00:00:00+01:00' is out of range in UTC "
        "(dates run from 0001-01-01 to 9999-12-31)",
    ),
    "garbage date": (
        {"updated_at": "soon"},
        "updated_at 'soon' is not a date and time like 2024-05-01T10:00:00Z",
    ),
    "memo NUL": (
        {"memo": "a\x00b"},
        "memo holds a NUL character at character 2, which a project cannot store",
    ),
    "code name NUL": (
        {"code_path": "Trope/Sl\x00ow"},
        "code_path holds a NUL character at character 9, which a project cannot store",
    ),
    "coder NUL": (
        {"coder": "an\x00a"},
        "coder holds a NUL character at character 3, which a project cannot store",
    ),
    "code path 51 levels": ({"code_path": "/".join("L" * 51)}, "code_path has 51 levels; the limit is 50"),
}


@pytest.mark.parametrize("case", list(SEGMENT_CASES))
def test_a_hostile_segment_row_is_refused_the_same_way_on_every_backend(
    project: ProjectStore, case: str
) -> None:
    changes, problem = SEGMENT_CASES[case]
    # The good row before it makes a code and a coder: they must not be kept either.
    good = _segment(project, code_path="Brand new code", coder="newcomer")
    source = _file([good, _segment(project, **changes)])
    _refused(project, lambda: import_segments(project, source, NAME), f"{NAME}, row 3: {problem}")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("memo", "caf\udce9", "memo holds U+DCE9 at character 4, half of a surrogate pair"),
        ("coder", "\ud83d", "coder holds U+D83D at character 1, half of a surrogate pair"),
    ],
)
def test_text_decoded_with_surrogateescape_is_refused(
    project: ProjectStore, column: str, value: str, message: str
) -> None:
    """Bytes that are not UTF-8, decoded the lenient way, become lone surrogates no driver can encode."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, list(_segment(project)), lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(_segment(project, **{column: value}))
    source = io.StringIO(out.getvalue(), newline="")
    before = dump_tables(project)
    with pytest.raises(USER_ERRORS) as caught:
        import_segments(project, source, NAME)
    assert user_message(caught.value).startswith(f"{NAME}, row 2: {message}")
    assert dump_tables(project) == before
    assert _next_annotation_id(project) == 1


@pytest.mark.parametrize("file_id", [2**63 - 1, 2**31 - 1, 2**31, 2])
def test_a_file_id_never_moves_where_the_next_annotation_id_comes_from(
    project: ProjectStore, file_id: int
) -> None:
    report = import_segments(project, _file([_segment(project, annotation_id=str(file_id))]), NAME)
    assert (report.imported, report.renumbered) == (1, 1)
    [row] = iter_segments(project)
    assert row.annotation_id == 1
    assert _next_annotation_id(project) == 2
    with project.reading() as session:
        code = find_code_by_path(session, LEAF).id
    coder = ensure_coder(project, "third").id
    assert ann.apply_code(project, 1, 40, 50, code, coder).id == 3


def test_ids_a_project_hands_out_anyway_are_kept(project: ProjectStore) -> None:
    """What makes export → import into an empty project → export byte-identical."""
    rows = [
        _segment(project, annotation_id="2", coder="ana"),
        _segment(project, annotation_id="1", coder="ben"),
        _segment(project, annotation_id="2", coder="cy"),  # the same id twice: the second is renumbered
    ]
    report = import_segments(project, _file(rows), NAME)
    assert (report.imported, report.renumbered) == (3, 1)
    assert sorted((r.annotation_id, r.coder) for r in iter_segments(project)) == [
        (1, "ben"),
        (2, "ana"),
        (3, "cy"),
    ]
    assert _next_annotation_id(project) == 4


def test_dates_at_the_ends_of_the_range_are_stored_and_exported(project: ProjectStore) -> None:
    rows = [
        _segment(project, created_at="0001-01-01T00:00:00Z", updated_at="9999-12-31T23:59:59Z"),
        _segment(project, coder="ben", created_at="9999-12-31T22:59:59-01:00"),
    ]
    assert import_segments(project, _file(rows), NAME).imported == 2
    stamps = sorted((str(r.created_at), str(r.updated_at)) for r in iter_segments(project))
    assert stamps == [
        ("0001-01-01 00:00:00", "9999-12-31 23:59:59"),
        ("9999-12-31 23:59:59", "9999-12-31 23:59:59"),
    ]


def test_control_characters_a_project_can_store_are_kept_alike(project: ProjectStore) -> None:
    """Only NUL and lone surrogates are refused; escapes and other controls are text (shown escaped)."""
    memo = "".join(chr(c) for c in range(1, 32)) + "\x7f\x85\x9b\ufffe\uffff"
    report = import_segments(project, _file([_segment(project, memo=memo, coder="\x1b[2Jana")]), NAME)
    assert report.created_coders == ("\x1b[2Jana",)
    [row] = iter_segments(project)
    assert row.memo == memo


# --- codebook CSV ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("path", "Trope/Sl\x00ow", "path holds a NUL character at character 9"),
        ("definition", "d\x00", "definition holds a NUL character at character 2"),
        ("inclusion", "\x00", "inclusion holds a NUL character at character 1"),
        ("exclusion", "x\x00", "exclusion holds a NUL character at character 2"),
        ("example", "x\x00", "example holds a NUL character at character 2"),
        ("short_name", "x\x00", "short_name holds a NUL character at character 2"),
        ("path", "/".join("L" * 51), "path has 51 levels; the limit is 50"),
        ("short_name", "s" * 101, "short name is 101 characters long; the limit is 100"),
        ("path", "trope", "a code named 'trope' already exists at the top level"),
    ],
)
def test_a_hostile_codebook_row_is_refused_the_same_way_on_every_backend(
    project: ProjectStore, column: str, value: str, problem: str
) -> None:
    rows = [{"path": "New group/New code"}, {"path": "Another"}]
    rows[1][column] = value
    if column != "path":
        rows[0][column] = ""
    source = _file(rows)
    message = f"{NAME}, row 3: {problem}"
    before = dump_tables(project)
    with pytest.raises(USER_ERRORS) as caught:
        import_codebook(project, source, NAME)
    assert user_message(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
    assert dump_tables(project) == before
    assert _next_annotation_id(project) == 1


def test_a_codebook_that_is_not_utf8_is_refused_by_the_service(project: ProjectStore) -> None:
    source = io.TextIOWrapper(io.BytesIO("path\r\nCafé\r\n".encode("latin-1")), CSV_ENCODING, newline="")
    before = dump_tables(project)
    with pytest.raises(USER_ERRORS) as caught:
        import_codebook(project, source, NAME)
    assert user_message(caught.value) == f"{NAME}: not UTF-8 text (byte 9); save the file as CSV UTF-8"
    assert dump_tables(project) == before


def test_a_codebook_with_an_unclosed_quote_is_refused_not_swallowed(project: ProjectStore) -> None:
    source = io.StringIO('path,definition\r\nA,"open\r\nB,never a code\r\n', newline="")
    with pytest.raises(USER_ERRORS) as caught:
        import_codebook(project, source, NAME)
    assert user_message(caught.value) == f"{NAME}, line 3: not a valid CSV file (unexpected end of data)"
    assert "A" not in {code.path for code in list_codes(project)}
