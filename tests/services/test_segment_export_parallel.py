"""A large export from an SQLite file is written by two processes: the file must not tell."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TextIO

import pytest

from annotator.io.atomic import atomic_write_text
from annotator.io.csv_safety import CSV_ENCODING
from annotator.services import annotations as ann
from annotator.services.codebook import find_code_by_path
from annotator.services.coders import ensure_coder
from annotator.services.errors import ServiceError
from annotator.services.segment_export_parallel import export_in_two
from annotator.services.segments import SegmentFilter, export_segments
from annotator.store.project import ProjectStore
from tests.services.segment_corpus import TEXT_A, Corpus, build_corpus


@pytest.fixture
def corpus(empty_project: ProjectStore) -> Corpus:
    """The segment corpus plus 300 more spans, so the halves split inside a document."""
    corpus = build_corpus(empty_project)
    store = corpus.store
    with store.reading() as session:
        angst = find_code_by_path(session, "Angst").id
    cora = ensure_coder(store, "cora").id
    for i in range(300):
        start = (i * 7) % (len(TEXT_A) - 12)
        ann.apply_code(store, corpus.doc_a, start, start + 5 + i % 7, angst, cora, memo=f"m{i}, “q”")
    return corpus


def _export_bytes(
    store: ProjectStore, path: Path, flt: SegmentFilter | None, threshold: int | None
) -> tuple[int, bytes]:
    count = atomic_write_text(
        path,
        lambda out: export_segments(store, out, flt, parallel_threshold=threshold),
        encoding=CSV_ENCODING,
    )
    return count, path.read_bytes()


@pytest.mark.parametrize(
    "flt",
    [
        None,
        SegmentFilter(coders=("cora",)),
        SegmentFilter(text="q"),
        SegmentFilter(code_paths=("Angst",), coders=("ana", "cora")),
    ],
    ids=["everything", "one-coder", "text-search", "code-and-coders"],
)
def test_two_process_export_is_byte_identical_to_one(
    corpus: Corpus, tmp_path: Path, flt: SegmentFilter | None
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    single_count, single = _export_bytes(corpus.store, folder / "single.csv", flt, None)
    split_count, split = _export_bytes(corpus.store, folder / "split.csv", flt, 2)
    assert single_count > 2
    assert (split_count, split) == (single_count, single)
    # Nothing of the worker's part is left next to the export.
    assert sorted(p.name for p in folder.iterdir()) == ["single.csv", "split.csv"]


def test_an_export_to_a_stream_is_identical_too(corpus: Corpus) -> None:
    one, two = io.StringIO(newline=""), io.StringIO(newline="")
    assert export_segments(corpus.store, one, parallel_threshold=None) == export_segments(
        corpus.store, two, parallel_threshold=2
    )
    assert one.getvalue() == two.getvalue() and one.getvalue().count("\r\n") > 300


class _Fails:
    """A worker job that breaks halfway (module level, so the spawned process can unpickle it)."""

    def write(self, out: TextIO) -> int:
        out.write("partial line\r\n")
        raise OSError("disk full")


class _Writes:
    def write(self, out: TextIO) -> int:
        out.write("second “half”\r\n")
        return 1


def test_a_failing_worker_is_a_clear_error_and_leaves_no_part_file(tmp_path: Path) -> None:
    out = io.StringIO()
    with pytest.raises(ServiceError, match=r"second worker failed: OSError: disk full"):
        export_in_two(lambda part: part.write("first\r\n") and 1, _Fails(), out, tmp_path)
    assert os.listdir(tmp_path) == []


def test_the_worker_part_follows_the_first_part(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with open(path, "w", encoding=CSV_ENCODING, newline="") as out:
        out.write("header\r\n")
        count = export_in_two(lambda part: part.write("first\r\n") and 1, _Writes(), out, tmp_path)
    assert count == 2
    assert path.read_bytes().decode(CSV_ENCODING) == "header\r\nfirst\r\nsecond “half”\r\n"
    assert os.listdir(tmp_path) == ["out.csv"]
