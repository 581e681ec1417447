"""Coders: created once per name, distinct colours, counts, recolouring; bad names change nothing."""

from __future__ import annotations

import pytest

from annotator.core.validation import InvalidInputError
from annotator.services import coders
from annotator.services.errors import NotFoundError
from annotator.store.project import ProjectStore
from tests.dumps import dump_tables
from tests.services.conftest import World


def test_ensure_coder_creates_once_per_collapsed_name(empty_project: ProjectStore) -> None:
    first = coders.ensure_coder(empty_project, "  Ana   Lima ")
    again = coders.ensure_coder(empty_project, "Ana Lima")
    assert first == again and first.name == "Ana Lima" and first.role == "coder"
    other = coders.ensure_coder(empty_project, "ana lima")  # names are case-sensitive labels
    assert other.id != first.id and other.colour != first.colour


@pytest.mark.parametrize(
    ("name", "words"), [("", ("empty",)), (" \t\n", ("empty",)), ("c" * 10_000, ("10000", "200"))]
)
def test_bad_coder_names_are_refused(empty_project: ProjectStore, name: str, words: tuple[str, ...]) -> None:
    before = dump_tables(empty_project)
    with pytest.raises(InvalidInputError) as info:
        coders.ensure_coder(empty_project, name)
    assert "coder name" in str(info.value) and all(w in str(info.value) for w in words)
    assert dump_tables(empty_project) == before


def test_list_coders_by_name_with_counts(world: World) -> None:
    assert [(c.name, c.count) for c in coders.list_coders(world.store)] == [("ana", 2), ("ben", 1)]


def test_set_coder_colour(world: World) -> None:
    assert coders.set_coder_colour(world.store, world.ben, " #ABCDEF ").colour == "#abcdef"
    before = dump_tables(world.store)
    with pytest.raises(InvalidInputError, match="'blue'"):
        coders.set_coder_colour(world.store, world.ben, "blue")
    with pytest.raises(NotFoundError, match="999"):
        coders.set_coder_colour(world.store, 999, "#000000")
    assert dump_tables(world.store) == before


def test_find_coder(world: World) -> None:
    with world.store.reading() as session:
        assert coders.find_coder(session, " ana ").id == world.ana
        with pytest.raises(NotFoundError, match="'zoe'"):
            coders.find_coder(session, "zoe")
