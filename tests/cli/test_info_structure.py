"""``annotator info --json`` lists each document's zones and chapters, so a script can check an
import without opening the database: run as a shell script would, one process per command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from annotator.services.documents import document_text
from annotator.store.project import open_project

REPO = Path(__file__).resolve().parents[2]
MULTI_CHAPTER = REPO / "tests" / "io" / "data" / "ao3-multi-chapter.html"
SINGLE_CHAPTER = REPO / "tests" / "io" / "data" / "ao3-single-chapter.html"


def _annotator(*argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "annotator", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_info_json_lists_zones_and_chapters_with_offsets_into_the_stored_text(project_target: str) -> None:
    _annotator("new", project_target, "--codebook", "empty")
    _annotator("import", project_target, str(MULTI_CHAPTER), str(SINGLE_CHAPTER))
    info = json.loads(_annotator("info", project_target, "--json"))
    by_file = {d["title"]: d for d in info["documents"]}
    work = by_file["The Long Shift"]
    store = open_project(project_target)
    try:
        texts = {d["id"]: document_text(store, d["id"]) for d in info["documents"]}
    finally:
        store.close()
    text = texts[work["id"]]
    assert [(c["number"], c["title"]) for c in work["chapters"]] == [
        (1, "Chapter 1: Arrival"),
        (2, "Chapter 2"),
        (3, "Chapter 3: Morning"),
    ]
    for chapter in work["chapters"]:
        assert set(chapter) == {"number", "title", "start", "end"}
        assert text[chapter["start"] : chapter["end"]].startswith(chapter["title"] + "\n")
    assert work["chapters"][-1]["end"] < len(text)  # the work's end notes follow the last chapter
    stories = [z for z in work["zones"] if z["kind"] == "story"]
    assert [z["chapter"] for z in stories] == [1, 2, 3]
    assert text[stories[1]["start"] : stories[1]["end"]].startswith("Kylo did not knock.")
    [end_notes] = [z for z in work["zones"] if z["kind"] == "end_notes"]
    assert text[end_notes["start"] : end_notes["end"]] == "The end. Comments welcome."
    assert end_notes["end"] == len(text) and end_notes["chapter"] is None
    for document in info["documents"]:
        length = len(texts[document["id"]])
        assert document["length"] == length
        for zone in document["zones"]:
            assert set(zone) == {"kind", "start", "end", "label", "chapter"}
            assert 0 <= zone["start"] < zone["end"] <= length
        starts = [(z["start"], -z["end"]) for z in document["zones"]]
        assert starts == sorted(starts)  # in text order, a containing zone before its parts
    other = next(d for d in info["documents"] if d["id"] != work["id"])
    assert [c["number"] for c in other["chapters"]] == [1]
