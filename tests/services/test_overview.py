"""What a window shows first, read in one go: the same as each panel's own query, and no write
for a coder the project already has (so another program's write lock does not hold it up)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.core.validation import InvalidInputError
from annotator.services.annotations import apply_code
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder, list_coders
from annotator.services.document_stats import annotation_counts
from annotator.services.documents import list_documents, load_document
from annotator.services.highlights import highlight_rows
from annotator.services.overview import read_overview
from annotator.services.projects import create_project
from annotator.services.segments import SegmentFilter, list_segments
from annotator.store.project import ProjectStore


def _code(store: ProjectStore, coder: str, *spans: tuple[int, int]) -> None:
    document = list_documents(store)[0].id
    code = next(c for c in list_codes(store) if c.path == "Trope/Slow burn").id
    coder_id = ensure_coder(store, coder).id
    for start, end in spans:
        apply_code(store, document, start, end, code, coder_id)


def test_the_overview_holds_what_each_panel_would_read(seeded_project: ProjectStore) -> None:
    _code(seeded_project, "alice", (0, 10), (20, 30))
    _code(seeded_project, "bob", (5, 15))
    overview = read_overview(seeded_project, "alice", segments_limit=2, first_document=True)
    assert overview.coder is not None and overview.coder.name == "alice" and overview.coder.count == 2
    assert overview.coders == list_coders(seeded_project)
    assert overview.codes == list_codes(seeded_project)
    assert overview.documents == list_documents(seeded_project)
    assert overview.segments is not None
    assert overview.segments.rows == list_segments(seeded_project, SegmentFilter(), 2)
    assert overview.segments.total == 3  # more than the page holds: counted in full
    first = overview.documents[0].id
    assert overview.first_document is not None
    assert overview.first_document.view == load_document(seeded_project, first, overview.coder.id)
    assert overview.first_document.rows == highlight_rows(seeded_project, first)  # everyone's
    assert overview.own_counts == annotation_counts(seeded_project, overview.coder.id)  # bob coded too
    assert overview.own_counts.by_document == {first: 2}  # type: ignore[union-attr]


def test_own_counts_are_left_out_where_nobody_else_coded(seeded_project: ProjectStore) -> None:
    _code(seeded_project, "alice", (0, 10))
    overview = read_overview(seeded_project, "alice", first_document=True)
    assert overview.first_document is not None and overview.own_counts is None  # everyone's are hers


def test_a_new_coder_is_made_and_listed(fandom_project: ProjectStore) -> None:
    overview = read_overview(fandom_project, "  New   Person ")
    assert overview.coder is not None and overview.coder.name == "New Person"
    assert (
        [c.name for c in overview.coders] == ["New Person"] == [c.name for c in list_coders(fandom_project)]
    )
    assert overview.segments is None and overview.first_document is None  # not asked for


def test_without_a_coder_nothing_is_written_and_no_work_is_read(seeded_project: ProjectStore) -> None:
    overview = read_overview(seeded_project, None, first_document=True)
    assert overview.coder is None and overview.first_document is None
    assert list_coders(seeded_project) == [] and len(overview.documents) == 5


def test_a_bad_coder_name_is_refused_in_one_line(fandom_project: ProjectStore) -> None:
    with pytest.raises(InvalidInputError, match="coder name is empty"):
        read_overview(fandom_project, "   ")


def test_a_known_coder_is_read_while_another_program_holds_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "busy.annotator"
    store = create_project(path, codebook="fandom")
    ensure_coder(store, "alice")
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sqlite3, sys
                connection = sqlite3.connect(sys.argv[1], isolation_level=None)
                connection.execute("BEGIN IMMEDIATE")
                print("holding", flush=True)
                sys.stdin.readline()
                """
            ),
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "holding\n"
        overview = read_overview(store, "alice", segments_limit=10, first_document=True)
        assert overview.coder is not None and overview.coder.name == "alice"
        assert writer.poll() is None  # read while the other program still held the lock
    finally:
        writer.communicate("\n", timeout=30)
        store.close()
