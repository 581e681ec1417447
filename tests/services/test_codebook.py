"""Codebook actions: add, edit, move, merge, delete; codebook CSV out and back in byte for byte."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from annotator.core.codebook import colour_difference
from annotator.core.validation import InvalidInputError
from annotator.services import annotations as ann
from annotator.services import code_merging, codebook_csv
from annotator.services import codebook as cb
from annotator.services.errors import NotFoundError, ServiceError
from annotator.store.project import ProjectStore
from tests.dumps import dump_tables
from tests.services.conftest import World


def _unchanged(store: ProjectStore, action: Callable[[], Any], error: type[Exception], *words: str) -> None:
    before = dump_tables(store)
    with pytest.raises(error) as info:
        action()
    for word in words:
        assert word in str(info.value), str(info.value)
    assert dump_tables(store) == before


def _paths(store: ProjectStore) -> list[str]:
    return [c.path for c in cb.list_codes(store)]


def test_codes_list_in_tree_order_with_paths_and_counts(world: World) -> None:
    codes = cb.list_codes(world.store)
    assert [c.path for c in codes] == ["Trope", "Trope/Slow burn", "Trope/Fluff", "Angst"]
    assert [c.count for c in codes] == [0, 2, 1, 0]
    slow_burn = codes[1]
    assert (slow_burn.colour, slow_burn.inclusion, slow_burn.parent_id) == (
        "#aa0000",
        "takes its time",
        world.trope,
    )
    assert len({c.colour for c in codes}) == 4  # new codes get distinct palette colours


def test_add_code_appends_to_its_siblings_and_refuses_clashes(world: World) -> None:
    added = cb.add_code(world.store, "  Hurt \t Comfort ", world.trope, "#ABCDEF", example="e")
    assert (added.name, added.path, added.colour, added.position, added.example) == (
        "Hurt Comfort",
        "Trope/Hurt Comfort",
        "#abcdef",
        2,
        "e",
    )
    store = world.store
    _unchanged(
        store, lambda: cb.add_code(store, "fluff", world.trope), ServiceError, "'fluff'", "already exists"
    )
    _unchanged(store, lambda: cb.add_code(store, "ANGST"), ServiceError, "at the top level")
    _unchanged(store, lambda: cb.add_code(store, "X", 999), NotFoundError, "999")
    _unchanged(store, lambda: cb.add_code(store, "   "), InvalidInputError, "empty")
    _unchanged(store, lambda: cb.add_code(store, "n" * 10_000), InvalidInputError, "10000", "500")
    _unchanged(store, lambda: cb.add_code(store, "X", colour="red"), InvalidInputError, "'red'", "#rrggbb")
    _unchanged(store, lambda: cb.add_code(store, "X", colour="#12345g"), InvalidInputError, "#12345g")
    _unchanged(store, lambda: cb.add_code(store, "X", colour_name="x"), InvalidInputError, "colour_name")
    _unchanged(
        store, lambda: cb.add_code(store, "X", short_name="s" * 10_000), InvalidInputError, "short name"
    )


def test_a_new_code_gets_a_colour_its_siblings_do_not_look_like(world: World) -> None:
    store = world.store
    added = [cb.add_code(store, name, world.trope) for name in ("Pining", "Angst", "Hurt/comfort", "Fluff 2")]
    trope = [c for c in cb.list_codes(store) if c.parent_id == world.trope]
    assert len(trope) == 6
    for code in added:
        others = [c.colour for c in trope if c.id != code.id]
        assert min(colour_difference(code.colour, colour) for colour in others) >= 20, (code, others)


def test_a_name_may_repeat_under_different_parents(world: World) -> None:
    cb.add_code(world.store, "Fluff", world.angst)
    assert "Angst/Fluff" in _paths(world.store)


def test_sibling_clash_ignores_case_beyond_ascii(world: World) -> None:
    cb.add_code(world.store, "Ängste")
    with pytest.raises(ServiceError, match="already exists"):
        cb.add_code(world.store, "äNGSTE")


def test_update_code_changes_only_the_given_fields(world: World) -> None:
    info = cb.update_code(
        world.store, world.fluff, name="Tooth-rotting", colour="#00FF00", definition="sweet"
    )
    assert (info.name, info.path, info.colour, info.definition) == (
        "Tooth-rotting",
        "Trope/Tooth-rotting",
        "#00ff00",
        "sweet",
    )
    assert cb.code_fields(world.store, world.fluff)["inclusion"] == ""
    # Renaming to its own name in another case is not a clash with itself.
    assert cb.update_code(world.store, world.fluff, name="TOOTH-ROTTING").name == "TOOTH-ROTTING"


def test_update_code_refuses_bad_values_and_changes_nothing(world: World) -> None:
    store, fluff = world.store, world.fluff
    _unchanged(store, lambda: cb.update_code(store, fluff, name="Slow Burn"), ServiceError, "already exists")
    _unchanged(store, lambda: cb.update_code(store, fluff, name="ok", colour="#12"), InvalidInputError, "#12")
    _unchanged(store, lambda: cb.update_code(store, fluff, name="x" * 10_000), InvalidInputError, "limit")
    _unchanged(store, lambda: cb.update_code(store, fluff, name=""), InvalidInputError, "empty")
    _unchanged(store, lambda: cb.update_code(store, fluff, parent_id="1"), InvalidInputError, "parent_id")
    _unchanged(
        store, lambda: cb.update_code(store, fluff, short_name="s" * 101), InvalidInputError, "short name"
    )
    _unchanged(store, lambda: cb.update_code(store, 999, name="x"), NotFoundError, "999")


def test_move_code_with_its_subtree(world: World) -> None:
    before = cb.move_code(world.store, world.trope, world.angst)
    assert (before.parent_id, before.position) == (None, 0)
    assert _paths(world.store) == ["Angst", "Angst/Trope", "Angst/Trope/Slow burn", "Angst/Trope/Fluff"]
    cb.move_code(world.store, world.fluff, None, 0)
    assert _paths(world.store)[0] == "Fluff"


def test_move_code_reorders_siblings(world: World) -> None:
    cb.move_code(world.store, world.fluff, world.trope, 0)
    assert _paths(world.store) == ["Trope", "Trope/Fluff", "Trope/Slow burn", "Angst"]
    cb.move_code(world.store, world.fluff, world.trope, 99)  # past the end: last
    assert _paths(world.store) == ["Trope", "Trope/Slow burn", "Trope/Fluff", "Angst"]


def test_move_code_refuses_its_own_subtree_and_name_clashes(world: World) -> None:
    store = world.store
    _unchanged(store, lambda: cb.move_code(store, world.trope, world.trope), ServiceError, "inside itself")
    _unchanged(
        store, lambda: cb.move_code(store, world.trope, world.slow_burn), ServiceError, "inside itself"
    )
    cb.add_code(store, "Fluff")  # a top-level Fluff
    _unchanged(
        store, lambda: cb.move_code(store, world.fluff, None), ServiceError, "'Fluff'", "already exists"
    )
    _unchanged(store, lambda: cb.move_code(store, world.fluff, 999), NotFoundError, "999")
    _unchanged(store, lambda: cb.move_code(store, 999, None), NotFoundError, "999")


def test_merge_moves_annotations_drops_exact_duplicates_and_moves_children(world: World) -> None:
    store = world.store
    child = cb.add_code(store, "Mutual pining", world.slow_burn)
    # ben coded 4–9 with Slow burn; he also coded it with Fluff: that one is an exact duplicate.
    ann.apply_code(store, world.doc, 4, 9, world.fluff, world.ben)
    before = dump_tables(store)
    merge = code_merging.merge_codes(store, world.slow_burn, world.fluff)
    assert len(merge.dropped_annotations) == 1 and merge.dropped_annotations[0]["coder_id"] == world.ben
    assert len(merge.moved_annotation_ids) == 1  # ana's
    assert merge.moved_child_ids == [child.id]
    assert _paths(store) == ["Trope", "Trope/Fluff", "Trope/Fluff/Mutual pining", "Angst"]
    spans = sorted(
        (a.coder_id, a.start, a.end) for a in ann.list_annotations(store) if a.code_id == world.fluff
    )
    assert spans == sorted([(world.ana, 4, 9), (world.ben, 4, 9), (world.ana, 16, 21)])
    code_merging.unmerge_codes(store, merge)
    assert dump_tables(store) == before


def test_merge_refusals_change_nothing(world: World) -> None:
    store = world.store
    _unchanged(
        store, lambda: code_merging.merge_codes(store, world.fluff, world.fluff), ServiceError, "itself"
    )
    _unchanged(
        store, lambda: code_merging.merge_codes(store, world.trope, world.fluff), ServiceError, "own sub-code"
    )
    _unchanged(store, lambda: code_merging.merge_codes(store, 999, world.fluff), NotFoundError, "999")
    _unchanged(store, lambda: code_merging.merge_codes(store, world.fluff, 999), NotFoundError, "999")
    # A child of the source named like a child of the target would make two siblings alike.
    cb.add_code(store, "Sub", world.angst)
    cb.add_code(store, "sub", world.trope)
    _unchanged(
        store,
        lambda: code_merging.merge_codes(store, world.trope, world.angst),
        ServiceError,
        "already exists",
    )


def test_deletion_impact_counts_the_subtree(world: World) -> None:
    assert cb.deletion_impact(world.store, world.trope) == cb.DeletionImpact(codes=3, annotations=3)
    assert cb.deletion_impact(world.store, world.fluff) == cb.DeletionImpact(codes=1, annotations=1)
    assert cb.deletion_impact(world.store, world.angst) == cb.DeletionImpact(codes=1, annotations=0)
    with pytest.raises(NotFoundError):
        cb.deletion_impact(world.store, 999)


def test_delete_and_restore_code(world: World) -> None:
    before = dump_tables(world.store)
    snap = cb.delete_code(world.store, world.trope)
    assert (len(snap.codes), len(snap.annotations)) == (3, 3)
    assert _paths(world.store) == ["Angst"] and ann.list_annotations(world.store) == []
    cb.restore_codes(world.store, snap)
    assert dump_tables(world.store) == before
    _unchanged(world.store, lambda: cb.delete_code(world.store, 999), NotFoundError, "999")


def test_find_code_by_path(world: World) -> None:
    with world.store.reading() as session:
        assert cb.find_code_by_path(session, "Trope/Slow burn").id == world.slow_burn
        assert cb.find_code_by_path(session, "trope/FLUFF").id == world.fluff  # case, when unambiguous
        assert cb.find_code_by_path(session, ("Angst",)).id == world.angst
        with pytest.raises(NotFoundError, match="'Trope/Nope'"):
            cb.find_code_by_path(session, "Trope/Nope")


def test_ensure_code_path_creates_only_missing_levels(world: World) -> None:
    with world.store.transaction() as session:
        code = cb.ensure_code_path(session, ["Trope", "Slow burn", "Yearning"])
        assert code.parent_id == world.slow_burn
    assert len(cb.list_codes(world.store)) == 5


# --- codebook CSV ---------------------------------------------------------------------------

TRICKY = {
    "definition": "=SUM(1)",
    "inclusion": '+ plus, - minus\nsecond line with "quotes", commas',
    "exclusion": "@mention\tand a tab",
    "example": "'=already quoted",
}


def _export(store: ProjectStore) -> str:
    out = io.StringIO(newline="")
    codebook_csv.export_codebook(store, out)
    return out.getvalue()


def test_codebook_csv_round_trip_is_byte_identical(world: World, second_empty_project: ProjectStore) -> None:
    store, other = world.store, second_empty_project
    slash = cb.add_code(store, "AU/Alternate universe", world.trope, "#010203", short_name="AU", **TRICKY)
    cb.add_code(store, "=SUM(1)", slash.id, "#fedcba", definition="-starts with minus")
    cb.add_code(store, "Back\\slash", None, "#000000", example="tab\tinside")
    cb.move_code(store, world.angst, None, 0)  # codebook order is not id order
    first = _export(store)
    assert first.startswith("path,colour,short_name,definition,inclusion,exclusion,example\r\n")
    assert "'=SUM(1)" in first and "AU\\/Alternate universe" in first

    assert codebook_csv.import_codebook(other, io.StringIO(first, newline="")) == (
        len(cb.list_codes(store)),
        0,
    )
    assert _export(other) == first
    imported = {c.path: c for c in cb.list_codes(other)}
    for code in cb.list_codes(store):
        copy = imported[code.path]
        for name in ("name", "colour", "short_name", "definition", "inclusion", "exclusion", "example"):
            assert getattr(copy, name) == getattr(code, name), (code.path, name)


def test_importing_a_codebook_updates_existing_codes_by_path(world: World) -> None:
    csv_text = "path,colour,definition\r\nTrope/Fluff,#111111,soft\r\nNew/Leaf,#222222,leafy\r\n"
    result = codebook_csv.import_codebook(world.store, io.StringIO(csv_text))
    assert result == (2, 1) and (result.created, result.updated) == (2, 1)
    assert result.change.codebook_changed and not result.change.documents_added
    codes = {c.path: c for c in cb.list_codes(world.store)}
    assert (codes["Trope/Fluff"].colour, codes["Trope/Fluff"].definition) == ("#111111", "soft")
    assert codes["New/Leaf"].colour == "#222222"
    assert codes["New"].colour != "#222222"  # an implied parent does not take its child's colour


@pytest.mark.parametrize(
    ("csv_text", "words"),
    [
        ("name,colour\r\nA,#000000\r\n", ("no 'path' column",)),
        ("path,colour\r\nA,red\r\n", ("row 2", "'red'")),
        ("path\r\nA\r\nA\r\n", ("row 3", "twice")),
        ("path\r\nA//B\r\n", ("row 2", "empty code name")),
        ("path\r\n" + "x" * 600 + "\r\n", ("row 2", "longer than 500")),
        ("path,short_name\r\nA," + "s" * 200 + "\r\n", ("short name",)),
        ("path\r\nangst\r\n", ("'angst'", "already exists")),
    ],
)
def test_a_bad_codebook_file_is_refused_whole(world: World, csv_text: str, words: tuple[str, ...]) -> None:
    _unchanged(
        world.store,
        lambda: codebook_csv.import_codebook(world.store, io.StringIO(csv_text), "book.csv"),
        InvalidInputError,
        *words,
    )
