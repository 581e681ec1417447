"""Importing a segments CSV: round trip, matching documents/codes/coders, and files that must be refused."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from annotator.io.csv_segments import SEGMENT_COLUMNS
from annotator.services import annotations as ann
from annotator.services.codebook import list_codes
from annotator.services.coders import list_coders
from annotator.services.errors import ServiceError
from annotator.services.segments import export_segments, import_segments, iter_segments
from annotator.store.project import ProjectStore
from tests.dumps import dump_tables
from tests.services.segment_corpus import BODY_1, TEXT_A, Corpus, at, build_corpus


@pytest.fixture
def corpus(empty_project: ProjectStore) -> Corpus:
    return build_corpus(empty_project)


@pytest.fixture
def twin(second_empty_project: ProjectStore) -> Corpus:
    """The same documents and codebook, imported in the same order, but nothing coded."""
    return build_corpus(second_empty_project, with_annotations=False)


def _export(store: ProjectStore) -> str:
    out = io.StringIO(newline="")
    export_segments(store, out)
    return out.getvalue()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _csv(rows: list[dict[str, str]], columns: list[str] | None = None) -> io.StringIO:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, columns or list(rows[0]), lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    out.seek(0)
    return out


def test_export_import_export_is_byte_identical(corpus: Corpus, twin: Corpus) -> None:
    exported = _export(corpus.store)
    report = import_segments(twin.store, io.StringIO(exported, newline=""), "segments.csv")
    assert (report.imported, report.duplicates, report.renumbered) == (7, 0, 0)
    assert report.created_codes == () and report.created_coders == ("ana", "@ben")
    assert _export(twin.store) == exported
    # The views learn which documents gained annotations, and that new coders exist.
    coded = sorted({a.document_id for a in ann.list_annotations(twin.store)})
    change = report.change
    assert change.annotations_changed_in == tuple(coded) and len(coded) > 1
    assert change.coders_changed and not change.codebook_changed and not change.documents_added


def test_importing_the_same_file_twice_skips_the_duplicates(corpus: Corpus, twin: Corpus) -> None:
    exported = _export(corpus.store)
    import_segments(twin.store, io.StringIO(exported, newline=""))
    again = import_segments(twin.store, io.StringIO(exported, newline=""))
    assert (again.imported, again.duplicates) == (0, 7)
    assert not again.change  # nothing new: no view needs to refresh
    assert _export(twin.store) == exported


def test_new_codes_and_coders_are_created_and_taken_ids_renumbered(corpus: Corpus) -> None:
    rows = _rows(_export(corpus.store))
    rows[0]["code_path"] = "New group/Sub\\/code"
    rows[1]["coder"] = "  zoë   k "
    before = {a.id for a in ann.list_annotations(corpus.store)}
    report = import_segments(corpus.store, _csv(rows[:2]))
    assert (report.imported, report.renumbered) == (2, 2)  # both ids belong to existing annotations
    assert report.created_codes == ("New group/Sub\\/code",) and report.created_coders == ("zoë k",)
    assert "New group/Sub\\/code" in {c.path for c in list_codes(corpus.store)}
    new = [a for a in ann.list_annotations(corpus.store) if a.id not in before]
    assert len(new) == 2 and min(a.id for a in new) > max(before)


def test_a_file_naming_documents_by_title_only_imports_with_new_ids_and_times(
    corpus: Corpus, twin: Corpus
) -> None:
    start, end = at(TEXT_A, BODY_1)
    source = io.StringIO(
        "document,start,end,text,code_path,coder,memo\r\n"
        f'"=Ship fic",{start},{end},"{BODY_1.replace(chr(34), chr(34) * 2)}",Angst,ana,\'=kept as text\r\n',
        newline="",
    )
    report = import_segments(twin.store, source)
    assert report.imported == 1
    [row] = list(iter_segments(twin.store))
    assert (row.document_id, row.text, row.code_path, row.memo) == (
        twin.doc_a,
        BODY_1,
        "Angst",
        "=kept as text",
    )
    assert row.created_at is not None and row.created_at.year >= 2024


def test_the_hash_wins_over_a_stale_document_id(corpus: Corpus, twin: Corpus) -> None:
    rows = _rows(_export(corpus.store))
    for row in rows:
        row["document_id"] = "999"
    assert import_segments(twin.store, _csv(rows)).imported == len(rows)


def test_timestamps_are_kept(corpus: Corpus, twin: Corpus) -> None:
    rows = _rows(_export(corpus.store))[:1]
    rows[0].update(created_at="2021-03-04T05:06:07Z", updated_at="2021-03-04T07:06:07+02:00")
    import_segments(twin.store, _csv(rows))
    [info] = ann.list_annotations(twin.store)
    assert (info.created_at, info.updated_at) == (
        datetime(2021, 3, 4, 5, 6, 7),
        datetime(2021, 3, 4, 5, 6, 7),
    )


def test_file_ids_never_decide_where_the_next_ids_come_from(corpus: Corpus, twin: Corpus) -> None:
    """An id of 2**63-1 (SQLite) or 2**31-1 (PostgreSQL) used to be stored as given: the table had
    no next id, and every later annotation failed ("database or disk is full", "nextval: reached
    maximum value"). A row keeps its file's id only when the project hands that id out anyway."""
    rows = _rows(_export(corpus.store))
    assert len(rows) == 7
    given = [str(2**63 - 1), str(2**31 - 1), "3", "3", "500", "", "1"]
    for row, annotation_id in zip(rows, given, strict=True):
        row["annotation_id"] = annotation_id
    report = import_segments(twin.store, _csv(rows))
    assert (report.imported, report.renumbered) == (7, 4)  # 3 and 1 kept; the second 3 is renumbered
    ids_by_span = {(a.document_id, a.start, a.end): a.id for a in ann.list_annotations(twin.store)}
    spans = [(int(r["document_id"]), int(r["start"]), int(r["end"])) for r in rows]
    assert [ids_by_span[span] for span in spans] == [2, 4, 3, 5, 6, 7, 1]
    coder = list_coders(twin.store)[0].id
    assert ann.apply_code(twin.store, twin.doc_b, 0, 3, twin.angst, coder).id == 8
    assert ann.apply_code(twin.store, twin.doc_b, 1, 3, twin.angst, coder).id == 9


def test_imported_rows_never_take_the_id_of_a_deleted_annotation(corpus: Corpus) -> None:
    """Undo keeps deleted rows by id and puts them back under it: that id must stay free."""
    rows = _rows(_export(corpus.store))
    last = max(int(r["annotation_id"]) for r in rows)
    [removed] = ann.remove_annotations(corpus.store, [last])
    again = next(r for r in rows if int(r["annotation_id"]) == last)
    again["coder"] = "carol"  # not a duplicate of anything left
    report = import_segments(corpus.store, _csv([again]))
    assert (report.imported, report.renumbered) == (1, 1)
    [imported] = [a for a in ann.list_annotations(corpus.store) if a.id > last]
    assert imported.id == last + 1
    [restored] = ann.restore_annotations(corpus.store, [removed])
    assert restored.id == last


# --- files that must be refused, leaving the project exactly as it was ----------------------


def _good_rows(corpus: Corpus) -> list[dict[str, str]]:
    return _rows(_export(corpus.store))


def _breaks(rows: list[dict[str, str]], index: int, **changes: str) -> list[dict[str, str]]:
    rows[index].update(changes)
    return rows


CASES = {
    "unknown document hash": (
        lambda r: _breaks(r, 2, document_hash="ab" * 32),
        "row 4: no document in this project has hash",
    ),
    "unknown document id": (
        lambda r: _breaks(r, 2, document_hash="", document_id="77"),
        "row 4: no document with id 77",
    ),
    "unknown title": (
        lambda r: _breaks(r, 0, document_hash="", document_id="", document="Nope"),
        "row 2: no document is titled",
    ),
    "quote drift": (lambda r: _breaks(r, 3, text="something else"), "row 5: the file's quote does not match"),
    "shifted offsets": (
        lambda r: _breaks(r, 1, start=str(int(r[1]["start"]) + 1)),
        "row 3: the file's quote does not match",
    ),
    "start after end": (lambda r: _breaks(r, 1, start="9", end="3"), "row 3: start 9 must be before end 3"),
    "start equals end": (lambda r: _breaks(r, 1, start="3", end="3"), "row 3: start 3 must be before end 3"),
    "past the end": (lambda r: _breaks(r, 6, end="100000"), "row 8: end 100000 is past the end of document"),
    "bad integer": (lambda r: _breaks(r, 5, start="twelve"), "row 7: start 'twelve' is not a whole number"),
    "fractional": (lambda r: _breaks(r, 5, end="3.5"), "row 7: end '3.5' is not a whole number"),
    "bad date": (
        lambda r: _breaks(r, 0, created_at="yesterday"),
        "row 2: created_at 'yesterday' is not a date",
    ),
    "empty coder": (lambda r: _breaks(r, 6, coder="  "), "row 8: coder is empty"),
    "huge coder": (lambda r: _breaks(r, 6, coder="x" * 10_000), "row 8: coder name is 10000 characters long"),
    "empty code path": (
        lambda r: _breaks(r, 6, code_path="Trope//x"),
        "row 8: code_path 'Trope//x' has an empty",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_row_anywhere_stores_nothing(corpus: Corpus, case: str) -> None:
    spoil, message = CASES[case]
    rows = _good_rows(corpus)
    rows[0]["code_path"] = "Brand new code"  # created before the bad row is reached, then rolled back
    rows[0]["coder"] = "newcomer"
    for row in rows:
        row["annotation_id"] = ""  # else everything is a duplicate of what is there
        row["coder"] = row["coder"] if row is rows[0] else "someone else"
    before = dump_tables(corpus.store)
    with pytest.raises(ServiceError) as caught:
        import_segments(corpus.store, _csv(spoil(rows)), "segments.csv")
    assert f"segments.csv, {message}" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert dump_tables(corpus.store) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "segments.csv: the file is empty"),
        ("\r\n\r\n", "segments.csv: the file is empty"),
        ("document_id,start,end,text\r\n1,0,3,The\r\n", "segments.csv: missing columns code_path, coder"),
        (
            "start,end,text,code_path,coder\r\n0,3,The,Angst,ana\r\n",
            "segments.csv: no column naming the document",
        ),
    ],
)
def test_files_without_the_needed_columns_are_refused(corpus: Corpus, content: str, message: str) -> None:
    before = dump_tables(corpus.store)
    with pytest.raises(ServiceError, match=message):
        import_segments(corpus.store, io.StringIO(content, newline=""), "segments.csv")
    assert dump_tables(corpus.store) == before


def test_a_header_only_file_imports_nothing(corpus: Corpus) -> None:
    report = import_segments(corpus.store, io.StringIO(",".join(SEGMENT_COLUMNS) + "\r\n", newline=""))
    assert (report.imported, report.duplicates) == (0, 0)


def test_a_title_shared_by_two_documents_is_ambiguous(corpus: Corpus) -> None:
    from annotator.core.types import ImportedDocument
    from annotator.services.documents import add_document

    add_document(
        corpus.store, ImportedDocument(title="Plain", source_format="text", text="Other plain text.")
    )
    source = io.StringIO(
        "document,start,end,text,code_path,coder\r\nPlain,0,5,Other,Angst,ana\r\n", newline=""
    )
    with pytest.raises(ServiceError, match="row 2: 2 documents are titled 'Plain'"):
        import_segments(corpus.store, source)
