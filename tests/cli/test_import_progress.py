"""``annotator import`` of a folder: the good files are kept, each broken one is named with its
reason, progress is throttled, and the project holds exactly the good works (both backends)."""

from __future__ import annotations

import io
import random
from pathlib import Path

from sqlalchemy import select

from annotator.cli.import_progress import import_selection
from annotator.core.text import text_hash
from annotator.io.file_selection import files_to_import
from annotator.services.documents import list_documents
from annotator.store.models import Document, DocumentZone
from annotator.store.project import ProjectStore, open_project
from tests.cli.conftest import Run

DOWNLOAD = Path(__file__).resolve().parents[1] / "io" / "data" / "ao3-multi-chapter.html"
BROKEN = {
    "b_empty.html": (b"", "file is empty"),
    "b_binary.html": (bytes(b for b in random.Random(3).randbytes(4000) if b), "looks like binary data"),
    "b_image.html": (b"\x89PNG\r\n\x1a\n" + bytes(200), "looks like a PNG image, not text"),
    "b_truncated.epub": (b"PK\x03\x04" + bytes(100), "not a valid EPUB"),
}


def _downloads(folder: Path, count: int) -> list[str]:
    """``count`` AO3 downloads, each the real layout with its own title, work id and story."""
    sample = DOWNLOAD.read_text(encoding="utf-8")
    titles = []
    for n in range(count):
        title = f"Shift Number {n}"
        page = sample.replace("The Long Shift", title).replace("1234567", str(9_000_000 + n))
        page = page.replace("Kylo did not knock.", f"Kylo did not knock on door {n}.")
        (folder / f"a_work_{n:02d}.html").write_text(page, encoding="utf-8")
        titles.append(title)
    return titles


def _assert_consistent(store: ProjectStore, titles: list[str]) -> None:
    """Exactly the good works, each with its text, hash and zones intact."""
    assert sorted(d.title for d in list_documents(store)) == sorted(titles)
    with store.reading() as session:
        for document in session.scalars(select(Document)):
            assert document.text_hash == text_hash(document.text) and document.length == len(document.text)
        zones = session.execute(select(DocumentZone.document_id, DocumentZone.start, DocumentZone.end)).all()
        lengths = dict(session.execute(select(Document.id, Document.length)).all())
    assert zones and all(0 <= start < end <= lengths[doc] for doc, start, end in zones)


def test_a_folder_with_broken_files_keeps_the_good_ones_and_names_each_broken_one(
    project_target: str, run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    titles = _downloads(folder, 11)
    (folder / "c_russian.txt").write_bytes("Гарри улыбнулся. Он не знал, что сказать.".encode("koi8_r"))
    titles.append("c_russian")
    for name, (data, _reason) in BROKEN.items():
        (folder / name).write_bytes(data)
    assert run("new", project_target, "--codebook", "empty")[0] == 0
    status, out, err = run("import", project_target, str(folder))
    assert status == 1
    lines = out.strip().splitlines()
    assert lines == [
        "note: c_russian.txt: read as KOI8-R (no encoding declared)",
        "imported 12, skipped 0 duplicates, failed 4",
    ]
    errors = err.strip().splitlines()
    refusals = [line for line in errors if line.startswith("failed: ")]
    assert len(refusals) == len(BROKEN)
    for line, (name, (_data, reason)) in zip(refusals, sorted(BROKEN.items()), strict=True):
        assert line.startswith(f"failed: {name}: {reason}")
    assert errors[-2] == "imported 16/16 (4 refused) …"
    assert errors[-1].startswith("16 files in ") and " per file (median " in errors[-1]
    store = open_project(project_target)
    try:
        _assert_consistent(store, titles)
    finally:
        store.close()
    # Importing the folder again: nothing new, the broken files still named, the project unchanged.
    status, out, err = run("import", project_target, str(folder))
    assert status == 1 and out.strip().splitlines()[-1] == "imported 0, skipped 12 duplicates, failed 4"
    store = open_project(project_target)
    try:
        _assert_consistent(store, titles)
    finally:
        store.close()


def test_progress_is_printed_every_two_seconds_not_per_file(
    empty_project: ProjectStore, tmp_path: Path
) -> None:
    folder = tmp_path / "works"
    folder.mkdir()
    for n in range(20):
        (folder / f"work_{n:02d}.txt").write_text(f"Work number {n}, a short one.", encoding="utf-8")
    (folder / "work_05.txt").write_bytes(b"")
    ticks = iter(range(1000))
    out, err = io.StringIO(), io.StringIO()
    # A clock that advances 1/8 s whenever it is read: three reads per file, so 0.375 s a file.
    status = import_selection(
        empty_project, files_to_import([folder]), out=out, err=err, clock=lambda: next(ticks) / 8
    )
    assert status == 1
    assert [line for line in err.getvalue().splitlines() if line.startswith("imported ")] == [
        "imported 6/20 (1 refused) …",
        "imported 12/20 (1 refused) …",
        "imported 18/20 (1 refused) …",
        "imported 20/20 (1 refused) …",
    ]
    assert "failed: work_05.txt: file is empty" in err.getvalue().splitlines()
    assert out.getvalue().strip() == "imported 19, skipped 0 duplicates, failed 1"
