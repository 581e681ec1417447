"""Bounds on what one file may be and become (``io/limits.py``, enforced by ``read_document``).

Small files that unpack into huge documents, files that are not files, and sizes that lie: each
is refused with one line naming the file, or read once and harmlessly, without reading without end.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from annotator.io import importers, limits
from annotator.io.ao3_epub import read_ao3_epub
from annotator.io.errors import DocumentImportError
from annotator.io.importers import read_document
from tests.io.builders import epub_bytes, opf, xhtml

SENTENCE = "All work and no play. "
# Just under 1 MiB, so the compression-ratio check (which starts at 1 MiB) lets the entry pass.
ECHO_CHAPTER = xhtml("<p>" + SENTENCE * 46_000 + "</p>")


def _epub(chapters: dict[str, str], spine: list[str], title: str = "Echo") -> bytes:
    items = [(name.removesuffix(".xhtml"), name) for name in chapters]
    files: dict[str, str | bytes] = {"OEBPS/content.opf": opf(items, spine, title)}
    files.update({f"OEBPS/{name}": body for name, body in chapters.items()})
    return epub_bytes(files)


def _error(call: object, *args: object) -> str:
    with pytest.raises(DocumentImportError) as caught:
        call(*args)  # type: ignore[operator]
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- text a container unpacks to ---------------------------------------------------------------


def test_an_epub_listing_one_chapter_150_times_reads_it_once() -> None:
    """The issue's file: 4 KB whose spine lists a 1 MB chapter 150 times (was 151,800,151 chars)."""
    assert len(ECHO_CHAPTER) < 2**20
    data = _epub({"echo.xhtml": ECHO_CHAPTER}, ["echo"] * 150)
    assert len(data) < 8 * 1024
    doc = read_ao3_epub(data, "echo.epub")
    assert doc.text.count(SENTENCE.strip()) == 46_000
    assert len(doc.text) < 1_100_000


def test_a_chapter_listed_again_keeps_its_first_place() -> None:
    chapters = {f"{n}.xhtml": xhtml(f"<p>Part {n}.</p>") for n in ("a", "b", "c")}
    doc = read_ao3_epub(_epub(chapters, ["a", "b", "a", "c", "b"]), "again.epub")
    assert doc.text.endswith("Part a.\n\nPart b.\n\nPart c.")


def test_two_manifest_items_for_one_file_are_read_once() -> None:
    package = opf([("one", "same.xhtml"), ("two", "same.xhtml")], ["one", "two"], "Twice")
    data = epub_bytes({"OEBPS/content.opf": package, "OEBPS/same.xhtml": xhtml("<p>Only once.</p>")})
    assert read_ao3_epub(data, "twice.epub").text.count("Only once.") == 1


def test_the_text_of_an_epubs_chapters_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 5_000)
    chapters = {f"{n}.xhtml": xhtml(f"<p>{n * 2_000}</p>") for n in ("a", "b", "c")}
    message = _error(read_ao3_epub, _epub(chapters, ["a", "b", "c"]), "long.epub")
    assert message.startswith("long.epub: the text of its chapters is too long (")
    assert message.endswith(" characters; the limit is 5,000)")


def test_read_document_bounds_the_text_of_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 100)
    path = tmp_path / "long.txt"
    path.write_text("é" * 101, encoding="utf-8")  # 202 bytes, within the file limit
    assert _error(read_document, path) == "long.txt: its text is too long (101 characters; the limit is 100)"
    path.write_text("é" * 100, encoding="utf-8")
    assert read_document(path).text == "é" * 100


# --- what is not a regular file ----------------------------------------------------------------


needs_posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX devices and named pipes")


@needs_posix
def test_a_device_is_refused_without_reading_it() -> None:
    assert _error(read_document, Path(os.devnull)) == "null: cannot be read (a device, not a file)"
    # /dev/zero never ends: reading it ran until MemoryError. Refused before a byte is read.
    assert _error(read_document, Path("/dev/zero")) == "zero: cannot be read (a device, not a file)"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "chapters.txt"
    folder.mkdir()
    assert _error(read_document, folder) == "chapters.txt: cannot be read (a folder, not a file)"


@needs_posix
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    outcome: list[str] = []

    def attempt() -> None:
        try:
            read_document(pipe)
        except DocumentImportError as exc:
            outcome.append(str(exc))

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # blocked in open(): give it a writer that closes at once, so it ends
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=30)
    assert outcome == ["pipe.txt: cannot be read (a named pipe, not a file)"]


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_a_file_whose_size_lies_is_read_no_further_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """/proc files are regular and say they hold 0 bytes; the read itself must stop at the limit."""
    assert Path("/proc/self/status").stat().st_size == 0
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 64)
    reads: list[int] = []
    real_read = os.read

    def counting_read(descriptor: int, size: int) -> bytes:
        reads.append(size)
        return real_read(descriptor, size)

    monkeypatch.setattr(os, "read", counting_read)
    message = _error(read_document, Path("/proc/self/status"))
    assert message == "status: file is too large (more than the 64 bytes allowed)"
    assert sum(reads) <= 65
