"""Exporting .qdpx and .qdc: a project survives annotator → qdpx → a fresh project unchanged."""

from __future__ import annotations

import contextlib
import io
import itertools
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree

from annotator.core.text import normalise_text
from annotator.core.types import ImportedDocument, ZoneSpec
from annotator.io.importers import read_document
from annotator.services.annotations import apply_code
from annotator.services.codebook import add_code
from annotator.services.codebook_csv import export_codebook
from annotator.services.coders import ensure_coder
from annotator.services.document_attributes import set_attribute
from annotator.services.documents import add_document, list_documents, load_document, set_document_memo
from annotator.services.projects import create_project
from annotator.services.refi_qda_export import export_qdc, export_qdpx
from annotator.services.refi_qda_import import import_qdpx
from annotator.services.segments import SegmentFilter, export_segments, iter_segments
from annotator.store.project import ProjectStore
from tests.io.refi_builders import SAMPLES

XSD = SAMPLES / "Project-mrt2019.xsd"
AO3 = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "real"
_PIECES = ["word", " ", "\n", "\r\n", "e\u0301", "😀", "👩\u200d💻", "é", ",", "\t"]
_TEXTS = st.lists(
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=20).map("".join), min_size=1, max_size=3
)
_SPANS = st.lists(
    st.tuples(
        st.integers(0, 2), st.integers(0, 60), st.integers(1, 20), st.integers(0, 2), st.integers(0, 2)
    ),
    max_size=8,
)
_counter = itertools.count()


def _csvs(store: ProjectStore) -> tuple[str, str]:
    segments, codebook = io.StringIO(newline=""), io.StringIO(newline="")
    export_segments(store, segments)
    export_codebook(store, codebook)
    return segments.getvalue(), codebook.getvalue()


def _round_trip(store: ProjectStore, make: Callable[[str], str], **options: bool) -> ProjectStore:
    out = io.BytesIO()
    export_qdpx(store, out, **options)
    fresh = create_project(make(f"fresh{next(_counter)}"), codebook="empty")
    report = import_qdpx(fresh, out.getvalue(), "x.qdpx")
    assert not report.unplaced and not report.skipped and not report.existing
    assert not any("zone" in note for note in report.notes), report.notes
    return fresh


def _zones(length: int) -> list[ZoneSpec]:
    """AO3-shaped zones: a summary, then a chapter with its heading and story (overlapping zones)."""
    if length < 3:
        return []
    cut = length // 3
    return [
        ZoneSpec("summary", 0, cut, "Summary 😀"),
        ZoneSpec("chapter", cut, length, "Chapter 1: e\u0301 <b>", 1),
        ZoneSpec("chapter_heading", cut, cut + 1, "Chapter 1", 1),
        ZoneSpec("story", cut + 1, length, "", 1),
    ]


def _seed(store: ProjectStore, texts: list[str], spans: list[tuple[int, int, int, int, int]]) -> None:
    """Nested codes, three coders, works with AO3 zones and attributes, overlapping codings, memos."""
    parent = add_code(store, "Tropes", colour="#aa0000", definition="d", inclusion="in", example="ex")
    codes = [
        parent.id,
        add_code(store, "Slow burn", parent.id, short_name="SB").id,
        add_code(store, "Angst 😀").id,
    ]
    coders = [ensure_coder(store, name).id for name in ("ana", "Bea 😀", "e\u0301mile")]
    docs = []
    for number, raw in enumerate(texts):
        text = normalise_text(raw) if normalise_text(raw).strip() else "x"
        work = ImportedDocument(
            f"Work {number} 😀",
            "ao3-html",
            text,
            attributes={"fandoms": ["A", "B é"], "rating": ["Explicit"]} if number % 2 == 0 else {},
            zones=_zones(len(text)),
        )
        docs.append(add_document(store, work))
    for doc_index, start, length, code_index, coder_index in [(0, 0, 3, 0, 0), (0, 1, 4, 1, 1), *spans]:
        doc = docs[min(doc_index, len(docs) - 1)]
        start = min(start, doc.length - 1)
        end = min(start + length, doc.length)
        with contextlib.suppress(Exception):  # a duplicate span is refused, as it should be
            apply_code(store, doc.id, start, end, codes[code_index], coders[coder_index], memo=f"m{start}")
    set_attribute(store, docs[-1].id, "characters", ["Kirk", "Spock 🖖"])
    set_document_memo(store, docs[0].id, "ana", "a memo")


@settings(
    max_examples=12,
    derandomize=True,
    phases=(Phase.explicit, Phase.generate),  # a failure is shown as found: shrinking takes minutes
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(texts=_TEXTS, spans=_SPANS, nvivo=st.booleans())
def test_any_project_survives_the_round_trip(
    project_locations: Callable[[str], str],
    texts: list[str],
    spans: list[tuple[int, int, int, int, int]],
    nvivo: bool,
) -> None:
    store = create_project(project_locations(f"source{next(_counter)}"), codebook="empty")
    try:
        _seed(store, texts, spans)
        fresh = _round_trip(store, project_locations, nvivo_positions=nvivo)
        try:
            assert _csvs(fresh) == _csvs(store)
            for before, after in zip(list_documents(store), list_documents(fresh), strict=True):
                assert load_document(fresh, after.id).zones == load_document(store, before.id).zones
                assert after.attributes == before.attributes
        finally:
            fresh.close()
    finally:
        store.close()


def test_a_real_ao3_work_keeps_its_zones_chapters_and_metadata(
    empty_project: ProjectStore, project_locations: Callable[[str], str]
) -> None:
    path = AO3 / "218676_incompleteWork.html"
    if not path.exists():
        pytest.skip(f"{path} is not here (the real AO3 downloads are kept outside the project)")
    doc = add_document(empty_project, read_document(path))
    work = load_document(empty_project, doc.id)
    code = add_code(empty_project, "Found family").id
    coder = ensure_coder(empty_project, "ana").id
    spans = {(zone.start, min(zone.end, zone.start + 12)) for zone in work.zones}
    for start, end in sorted(spans):  # one coding in each zone: summary, notes, chapter headings, chapters
        apply_code(empty_project, doc.id, start, end, code, coder)
    fresh = _round_trip(empty_project, project_locations)
    try:
        segments, codebook = _csvs(fresh)
        assert (segments, codebook) == _csvs(empty_project)
        assert "chapter_notes,2," in segments and "summary,," in segments
        [again] = list_documents(fresh)
        assert load_document(fresh, again.id).zones == work.zones
        assert again.attributes == work.attributes and again.attributes["ao3_work_id"] == ["218676"]
    finally:
        fresh.close()


def test_an_exported_project_with_zones_is_valid_against_the_xsd(empty_project: ProjectStore) -> None:
    if not XSD.exists():
        pytest.skip(f"{XSD} is not here (the standard's XSD is kept outside the project)")
    _seed(empty_project, ["Summary\nChapter one 😀 e\u0301"], [])
    out = io.BytesIO()
    export_qdpx(empty_project, out)
    qde = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("project.qde")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.fromstring(qde)), schema.error_log.last_error
    assert b"<Description>annotator-zones: {" in qde


def test_a_codebook_exports_as_qdc(empty_project: ProjectStore) -> None:
    parent = add_code(empty_project, "Tropes", colour="#aa0000")
    add_code(empty_project, "Slow burn", parent.id)
    out = io.BytesIO()
    assert export_qdc(empty_project, out) == 2
    assert b'name="Slow burn"' in out.getvalue() and b'color="#aa0000"' in out.getvalue()


def test_a_filter_exports_only_what_it_picks(
    empty_project: ProjectStore, project_locations: Callable[[str], str]
) -> None:
    code = add_code(empty_project, "A").id
    doc = add_document(empty_project, ImportedDocument("W", "text", "one two three"))
    for name in ("ana", "bea"):
        apply_code(empty_project, doc.id, 0, 3, code, ensure_coder(empty_project, name).id)
    out = io.BytesIO()
    export_qdpx(empty_project, out, SegmentFilter(coders=("bea",)))
    fresh = create_project(project_locations("filtered"), codebook="empty")
    try:
        import_qdpx(fresh, out.getvalue(), "x.qdpx")
        assert [s.coder for s in iter_segments(fresh)] == ["bea"]
    finally:
        fresh.close()


@pytest.mark.parametrize("name", ["nvivo-win-12.6-oltas.qdpx", "atlasti-23-target.qdpx"])
def test_the_real_samples_import_export_and_reimport_the_same_codings(
    name: str, empty_project: ProjectStore, project_locations: Callable[[str], str]
) -> None:
    path = SAMPLES / "samples" / name
    if not path.exists():
        pytest.skip(f"{path} is not here (the real REFI-QDA exports are kept outside the project)")
    first = import_qdpx(empty_project, path.read_bytes(), path.name)
    assert first.created_codes and not first.unplaced
    for nvivo in (False, True):
        fresh = _round_trip(empty_project, project_locations, nvivo_positions=nvivo)
        try:
            assert _csvs(fresh) == _csvs(empty_project)
        finally:
            fresh.close()
