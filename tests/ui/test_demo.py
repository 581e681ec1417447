"""The demo project: made once from the five seed works and the fandom codebook, then reopened as it
is, so trial coding survives; an empty file left by an interrupted first run is made into the demo."""

from __future__ import annotations

from pathlib import Path

from annotator.services.annotations import apply_code, list_annotations
from annotator.services.codebook import list_codes
from annotator.services.coders import ensure_coder
from annotator.services.documents import list_documents
from annotator.ui.demo import DEMO_FILE_NAME, default_demo_path, open_demo_project
from tests.conftest import SEEDS


def test_the_demo_is_made_from_the_seeds_once_and_reopened_with_its_coding(tmp_path: Path) -> None:
    path = tmp_path / DEMO_FILE_NAME
    store = open_demo_project(path)
    try:
        documents = list_documents(store)
        assert sorted(d.title for d in documents) == sorted(seed.stem for seed in SEEDS)
        slow_burn = next(c for c in list_codes(store) if c.path == "Trope/Slow burn")
        apply_code(store, documents[0].id, 0, 12, slow_burn.id, ensure_coder(store, "alice").id)
    finally:
        store.close()
    again = open_demo_project(path)
    try:
        assert len(list_documents(again)) == len(SEEDS)  # not imported a second time
        [annotation] = list_annotations(again)
        assert (annotation.start, annotation.end, annotation.code_id) == (0, 12, slow_burn.id)
    finally:
        again.close()


def test_an_empty_file_from_an_interrupted_first_run_becomes_the_demo(tmp_path: Path) -> None:
    path = tmp_path / DEMO_FILE_NAME
    path.touch()
    store = open_demo_project(path)
    try:
        assert len(list_documents(store)) == len(SEEDS)
        assert any(c.path == "Trope/Slow burn" for c in list_codes(store))
    finally:
        store.close()
    assert path.stat().st_size > 0


def test_the_demo_lives_in_the_home_folder() -> None:
    assert default_demo_path() == Path.home() / "annotator-demo.annotator"
