"""Exporting .qdpx and .qdc: a project survives annotator → qdpx → a fresh project unchanged."""

from __future__ import annotations

import contextlib
import io
import itertools
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.text import normalise_text
from annotator.core.types import ImportedDocument
from annotator.services.annotations import apply_code
from annotator.services.codebook import add_code, export_codebook
from annotator.services.coders import ensure_coder
from annotator.services.document_attributes import set_attribute
from annotator.services.documents import add_document, set_document_memo
from annotator.services.projects import create_project
from annotator.services.refi_qda_export import export_qdc, export_qdpx
from annotator.services.refi_qda_import import import_qdpx
from annotator.services.segments import SegmentFilter, export_segments, iter_segments
from annotator.store.project import ProjectStore
from tests.io.refi_builders import SAMPLES

_PIECES = ["word", " ", "\n", "\r\n", "e\u0301", "😀", "👩\u200d💻", "é", ",", "\t"]
_TEXTS = st.lists(
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=20).map("".join), min_size=1, max_size=3
)
_SPANS = st.lists(
    st.tuples(
        st.integers(0, 2), st.integers(0, 60), st.integers(1, 20), st.integers(0, 2), st.integers(0, 1)
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
    assert not report.unplaced and not report.skipped
    return fresh


@settings(
    max_examples=12,
    derandomize=True,
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
        parent = add_code(store, "Tropes", colour="#aa0000", definition="d", inclusion="in", example="ex")
        codes = [
            parent.id,
            add_code(store, "Slow burn", parent.id, short_name="SB").id,
            add_code(store, "Angst").id,
        ]
        coders = [ensure_coder(store, "ana").id, ensure_coder(store, "Bea 😀").id]
        docs = []
        for number, raw in enumerate(texts):
            text = normalise_text(raw) if normalise_text(raw).strip() else "x"
            docs.append(add_document(store, ImportedDocument(f"Work {number}", "text", text)))
        for doc_index, start, length, code_index, coder_index in spans:
            doc = docs[min(doc_index, len(docs) - 1)]
            start = min(start, doc.length - 1)
            end = min(start + length, doc.length)
            with contextlib.suppress(Exception):  # a duplicate span is refused, as it should be
                apply_code(
                    store, doc.id, start, end, codes[code_index], coders[coder_index], memo=f"m{start}"
                )
        set_attribute(store, docs[0].id, "rating", ["Explicit", "Mature"])
        set_document_memo(store, docs[0].id, "ana", "a memo")
        fresh = _round_trip(store, project_locations, nvivo_positions=nvivo)
        try:
            assert _csvs(fresh) == _csvs(store)
        finally:
            fresh.close()
    finally:
        store.close()


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


def test_the_real_nvivo_export_imports_exports_and_reimports_the_same_codings(
    empty_project: ProjectStore, project_locations: Callable[[str], str]
) -> None:
    path = SAMPLES / "samples" / "nvivo-win-12.6-oltas.qdpx"
    if not path.exists():
        pytest.skip(f"{path} is not here (the real REFI-QDA exports are kept outside the project)")
    import_qdpx(empty_project, path.read_bytes(), path.name)
    for nvivo in (False, True):
        fresh = _round_trip(empty_project, project_locations, nvivo_positions=nvivo)
        try:
            assert _csvs(fresh) == _csvs(empty_project)
        finally:
            fresh.close()
