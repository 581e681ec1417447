"""Segments: the filters a researcher combines, the zone and chapter of each span, the CSV export."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.types import ZONE_CHAPTER
from annotator.io.atomic import atomic_write_text
from annotator.io.csv_safety import CSV_ENCODING, unguard_cell
from annotator.io.csv_segments import SEGMENT_COLUMNS
from annotator.services import annotations as ann
from annotator.services import documents
from annotator.services.codebook import find_code_by_path
from annotator.services.coders import ensure_coder
from annotator.services.errors import NotFoundError
from annotator.services.segment_query import ZoneIndex
from annotator.services.segments import (
    SegmentFilter,
    count_segments,
    export_segments,
    iter_segments,
    list_segments,
)
from annotator.store.project import ProjectStore
from tests.services.segment_corpus import TEXT_A, Corpus, build_corpus


@pytest.fixture
def corpus(empty_project: ProjectStore) -> Corpus:
    return build_corpus(empty_project)


def _quotes(store: ProjectStore, flt: SegmentFilter) -> list[str]:
    return [row.text for row in iter_segments(store, flt)]


def _starts(store: ProjectStore, flt: SegmentFilter) -> set[tuple[int, int]]:
    return {(row.document_id, row.start) for row in iter_segments(store, flt)}


def test_a_code_filter_includes_the_codes_below_it(corpus: Corpus) -> None:
    trope = {row.code_path for row in iter_segments(corpus.store, SegmentFilter(code_paths=("Trope",)))}
    assert trope == {"Trope", "Trope/Slow burn", "Trope/Slow burn/Mutual pining"}
    slow = {
        row.code_path for row in iter_segments(corpus.store, SegmentFilter(code_paths=("trope/slow burn",)))
    }
    assert slow == {"Trope/Slow burn", "Trope/Slow burn/Mutual pining"}
    both = SegmentFilter(code_paths=("Trope/Slow burn/Mutual pining", "Angst"))
    assert {row.code_path for row in iter_segments(corpus.store, both)} == {
        "Trope/Slow burn/Mutual pining",
        "Angst",
    }


def test_coder_document_and_text_filters(corpus: Corpus) -> None:
    assert {row.coder for row in iter_segments(corpus.store, SegmentFilter(coders=("@ben",)))} == {"@ben"}
    assert len(list(iter_segments(corpus.store, SegmentFilter(coders=("@ben",))))) == 3
    assert {
        row.document_id for row in iter_segments(corpus.store, SegmentFilter(document_ids=(corpus.doc_b,)))
    } == {corpus.doc_b}
    # Text search looks at quotes and memos, ignoring case.
    assert _quotes(corpus.store, SegmentFilter(text="sum(a1)")) == [
        "=SUM(A1) is not a formula; @someone neither."
    ]
    assert [r.memo for r in iter_segments(corpus.store, SegmentFilter(text="MENTION"))] == ["@mention"]
    combined = SegmentFilter(code_paths=("Trope",), coders=("ana",), document_ids=(corpus.doc_a,))
    assert {r.code_path for r in iter_segments(corpus.store, combined)} == {"Trope", "Trope/Slow burn"}


def test_attribute_filters_match_any_value_of_a_name_and_all_names(corpus: Corpus) -> None:
    def docs(*pairs: tuple[str, str]) -> set[int]:
        return {row.document_id for row in iter_segments(corpus.store, SegmentFilter(attributes=pairs))}

    assert docs(("rating", "explicit")) == {corpus.doc_a}
    assert docs(("fandoms", "Kylo Ren")) == {corpus.doc_a}  # one of several values
    assert docs(("rating", "Explicit"), ("rating", "Teen")) == {corpus.doc_a, corpus.doc_b}
    assert docs(("rating", "Explicit"), ("language", "English")) == set()
    assert docs(("rating", "Mature")) == set()
    assert count_segments(corpus.store, SegmentFilter(attributes=(("rating", "Mature"),))) == 0


def test_unknown_names_in_a_filter_are_errors_not_empty_results(corpus: Corpus) -> None:
    for flt in (
        SegmentFilter(code_paths=("Trope/Nope",)),
        SegmentFilter(coders=("zed",)),
        SegmentFilter(document_ids=(999,)),
    ):
        with pytest.raises(NotFoundError):
            list(iter_segments(corpus.store, flt))


@pytest.mark.parametrize(
    "flt",
    [
        SegmentFilter(),
        SegmentFilter(code_paths=("Trope",)),
        SegmentFilter(text="the"),
        SegmentFilter(coders=("ana",), text="e"),
        SegmentFilter(attributes=(("rating", "teen"),)),
    ],
)
def test_count_and_list_agree_with_the_stream(corpus: Corpus, flt: SegmentFilter) -> None:
    rows = list(iter_segments(corpus.store, flt))
    assert count_segments(corpus.store, flt) == len(rows)
    assert list_segments(corpus.store, flt, limit=None) == rows
    assert list_segments(corpus.store, flt, limit=2) == rows[:2]


def test_rows_are_in_document_order_with_titles_paths_and_attributes(corpus: Corpus) -> None:
    rows = list(iter_segments(corpus.store))
    assert [(r.document_id, r.start) for r in rows] == sorted((r.document_id, r.start) for r in rows)
    first = rows[0]
    assert (first.document, first.code_path, first.coder, first.start, first.end) == (
        "=Ship fic",
        "+Plus\\/minus",
        "ana",
        0,
        9,
    )
    assert first.attributes["fandoms"] == ["Star Wars", "Kylo Ren"]
    assert first.text == TEXT_A[0:9] and first.created_at is not None


def test_zone_is_the_innermost_zone_and_chapter_the_enclosing_chapter(corpus: Corpus) -> None:
    by_code = {
        r.code_path: (r.zone, r.chapter)
        for r in iter_segments(corpus.store, SegmentFilter(document_ids=(corpus.doc_a,)))
    }
    assert by_code == {
        "+Plus\\/minus": ("summary", None),
        "Trope": ("chapter_heading", 1),  # inside the story zone too, but the heading is innermost
        "Trope/Slow burn": ("story", 1),
        "Trope/Slow burn/Mutual pining": ("story", 2),
        "Angst": ("end_notes", None),
    }
    assert {
        (r.zone, r.chapter) for r in iter_segments(corpus.store, SegmentFilter(document_ids=(corpus.doc_b,)))
    } == {("", None)}


def test_zones_of_an_imported_seed_work(seeded_project: ProjectStore) -> None:
    """Seed 000 has two chapters and end notes; every zone's first character reports that zone."""
    doc_id = next(d.id for d in documents.list_documents(seeded_project) if d.title.startswith("000_"))
    view = documents.load_document(seeded_project, doc_id)
    coder = ensure_coder(seeded_project, "ana").id
    code = _any_code(seeded_project)
    inner = [z for z in view.zones if z.kind != ZONE_CHAPTER]
    assert {"end_notes", "chapter_heading"} <= {z.kind for z in inner}
    for zone in inner:
        ann.apply_code(seeded_project, doc_id, zone.start, zone.start + 1, code, coder)
    chapters = {z.chapter: z for z in view.zones if z.kind == ZONE_CHAPTER}
    for row in iter_segments(seeded_project):
        zone = next(z for z in inner if z.start == row.start)
        assert row.zone == zone.kind
        expected = next((n for n, c in chapters.items() if c.start <= row.start < c.end), None)
        assert row.chapter == expected


def _any_code(store: ProjectStore) -> int:
    with store.reading() as session:
        return find_code_by_path(session, "Trope/Slow burn").id


zone_lists = st.lists(
    st.tuples(st.sampled_from(["story", "notes", "chapter"]), st.integers(0, 40), st.integers(1, 30)),
    max_size=8,
)


@given(zone_lists, st.integers(0, 80))
def test_zone_index_agrees_with_a_brute_force_search(zones: list[tuple[str, int, int]], offset: int) -> None:
    specs = [(kind, start, start + length, None) for kind, start, length in zones]
    index = ZoneIndex(specs)
    containing = [z for z in specs if z[0] != ZONE_CHAPTER and z[1] <= offset < z[2]]
    zone, _ = index.at(offset)
    if not containing:
        assert zone == ""
    else:
        shortest = min(z[2] - z[1] for z in containing)
        assert zone in {z[0] for z in containing if z[2] - z[1] == shortest}


# --- export ---------------------------------------------------------------------------------


def _export(
    store: ProjectStore, path: Path, flt: SegmentFilter | None = None
) -> tuple[bytes, list[list[str]]]:
    count = atomic_write_text(path, lambda out: export_segments(store, out, flt), encoding=CSV_ENCODING)
    data = path.read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode(CSV_ENCODING), newline="")))
    assert count == len(rows) - 1
    return data, rows


def test_export_columns_bom_line_ends_and_attribute_order(corpus: Corpus, tmp_path: Path) -> None:
    data, rows = _export(corpus.store, tmp_path / "segments.csv")
    assert data.startswith(codecs.BOM_UTF8)
    assert data.endswith(b"\r\n") and data.count(b"\r\n") >= len(rows)
    # AO3 preface order first, then the rest alphabetically; "series" belongs to an uncoded work.
    assert rows[0] == [*SEGMENT_COLUMNS, "rating", "warnings", "fandoms", "language", "zeta_note"]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["fandoms"] == "Star Wars; Kylo Ren" and record["language"] == ""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["created_at"])
    only_b = _export(corpus.store, tmp_path / "b.csv", SegmentFilter(document_ids=(corpus.doc_b,)))[1]
    assert only_b[0][len(SEGMENT_COLUMNS) :] == ["rating", "language"]
    assert all(len(row) == len(rows[0]) for row in rows)


def test_export_neutralises_formulas_and_keeps_quotes_and_newlines(corpus: Corpus, tmp_path: Path) -> None:
    _, rows = _export(corpus.store, tmp_path / "segments.csv")
    header, body = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    cells = [row[name] for row in body for name in header]
    # No cell a spreadsheet would run as a formula.
    assert not [c for c in cells if c[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    assert {r["document"] for r in body} == {"'=Ship fic", "Plain"}
    assert "'+Plus\\/minus" in {r["code_path"] for r in body}
    assert {r["coder"] for r in body} == {"ana", "'@ben"}
    memos = {r["memo"] for r in body}
    assert {
        '\'=cmd|" /C calc"!A0',
        "'\r\nstarts with a line break",
        "'@mention",
        "'-minus\nsecond line",
        "'\ttab",
    } <= memos
    stored = {(r.document_id, r.start): (r.text, r.memo) for r in iter_segments(corpus.store)}
    for r in body:
        # Curly quotes, straight quotes and newlines come back exactly once the guard is removed.
        assert (unguard_cell(r["text"]), unguard_cell(r["memo"])) == stored[
            (int(r["document_id"]), int(r["start"]))
        ]


def test_export_of_nothing_writes_the_header(corpus: Corpus, tmp_path: Path) -> None:
    _, rows = _export(corpus.store, tmp_path / "none.csv", SegmentFilter(text="no such words"))
    assert rows == [list(SEGMENT_COLUMNS)]


def test_a_failed_export_leaves_the_previous_file(corpus: Corpus, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "segments.csv"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(NotFoundError):
        atomic_write_text(
            target, lambda out: export_segments(corpus.store, out, SegmentFilter(coders=("zed",)))
        )
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in folder.iterdir()] == ["segments.csv"]  # no temporary file left behind
