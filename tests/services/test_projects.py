"""Creating projects from a starting codebook, and describing them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.validation import InvalidInputError
from annotator.paths import default_codebook_path
from annotator.services.codebook import list_codes
from annotator.services.projects import create_project, project_info
from annotator.store.project import ProjectError, ProjectStore, open_project
from tests.services.conftest import World


def test_a_new_project_starts_from_the_fandom_codebook(fandom_project: ProjectStore) -> None:
    paths = [c.path for c in list_codes(fandom_project)]
    with default_codebook_path().open(encoding="utf-8-sig") as handle:
        rows = handle.read().splitlines()[1:]
    assert len(paths) >= len([r for r in rows if r.strip()])  # every row, plus any implied parent
    assert all(c.count == 0 for c in list_codes(fandom_project))


def test_an_empty_project_has_no_codes(empty_project: ProjectStore) -> None:
    assert list_codes(empty_project) == []
    assert project_info(empty_project).annotation_count == 0


def test_a_project_from_a_codebook_file(project_target: str, tmp_path: Path) -> None:
    book = tmp_path / "mine.csv"
    book.write_text("path,colour\nGroup/Leaf,#123456\n", encoding="utf-8")
    store = create_project(project_target, codebook=str(book))
    assert [(c.path, c.colour) for c in list_codes(store)][1] == ("Group/Leaf", "#123456")
    store.close()


def test_a_missing_codebook_file_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "p.annotator"
    with pytest.raises(ProjectError, match=r"nope\.csv"):
        create_project(target, codebook=str(tmp_path / "nope.csv"))
    assert not target.exists()


def test_a_broken_codebook_file_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "p.annotator"
    book = tmp_path / "bad.csv"
    book.write_text("path,colour\nA,#zzzzzz\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"bad\.csv, row 2"):
        create_project(target, codebook=str(book))
    assert not target.exists()


def test_a_codebook_that_fails_midway_leaves_no_half_made_project(
    project_target: str, tmp_path: Path
) -> None:
    book = tmp_path / "clash.csv"
    book.write_text("path\nFluff\nfluff\n", encoding="utf-8")  # reads fine; siblings clash when stored
    with pytest.raises(InvalidInputError, match="'fluff' already exists"):
        create_project(project_target, codebook=str(book))
    create_project(project_target, codebook="empty").close()  # the location is free again


def test_create_refuses_an_existing_project(project_target: str) -> None:
    create_project(project_target, codebook="empty").close()
    with pytest.raises(ProjectError, match="already"):
        create_project(project_target, codebook="fandom")
    store = open_project(project_target)
    assert list_codes(store) == []  # the first project is untouched
    store.close()


def test_project_info_describes_everything(world: World) -> None:
    info = project_info(world.store)
    assert info.annotation_count == 3
    assert [d.title for d in info.documents] == ["Foxes"]
    assert [c.name for c in info.coders] == ["ana", "ben"]
    data = json.loads(json.dumps(info.to_json_dict()))
    assert data["annotations"] == 3
    assert data["codes"][1] == {
        "id": world.slow_burn,
        "path": "Trope/Slow burn",
        "colour": "#aa0000",
        "annotations": 2,
    }
    assert data["coders"][0] == {"id": world.ana, "name": "ana", "role": "coder", "annotations": 2}
    assert data["documents"][0]["attributes"] == {"fandom": ["Nature"], "rating": ["G"]}
    assert data["project"] == world.store.location
