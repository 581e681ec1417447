"""Editing works' titles and attributes: what is stored, what is refused, what is never touched."""

from __future__ import annotations

import pytest

from annotator.core.validation import InvalidInputError
from annotator.services import document_attributes as attrs
from annotator.services import documents as docs
from annotator.services.errors import NotFoundError
from annotator.store.project import ProjectStore
from tests.dumps import dump_tables
from tests.services.conftest import TEXT, World

HOSTILE = "<img src=/dev/zero>"


def _attributes(store: ProjectStore, document_id: int) -> dict[str, list[str]]:
    return docs.load_document(store, document_id).attributes


def _text_and_spans(store: ProjectStore) -> tuple[object, ...]:
    tables = dump_tables(store)
    return (tables["annotations"], tables["document_zones"], [row[4:6] for row in tables["documents"]])


def test_rename_changes_the_title_and_never_the_text_or_spans(world: World) -> None:
    kept = _text_and_spans(world.store)
    edit = attrs.rename_document(world.store, world.doc, "  Foxes,   a  study ")
    view = docs.load_document(world.store, world.doc)
    assert view.title == "Foxes, a study"  # whitespace collapsed as everywhere else
    assert view.text == TEXT
    assert _text_and_spans(world.store) == kept
    assert edit.change.documents_edited == (world.doc,)
    assert edit.before[0].title == "Foxes"


def test_a_label_typed_by_hand_is_stored_under_the_importers_key(world: World) -> None:
    attrs.set_attribute(world.store, world.doc, "Archive Warnings", ["No Archive Warnings Apply"])
    attrs.set_attribute(world.store, world.doc, "Rating", ["Teen And Up Audiences"])
    stored = _attributes(world.store, world.doc)
    assert stored["warnings"] == ["No Archive Warnings Apply"]
    assert stored["rating"] == ["Teen And Up Audiences"]
    assert stored["fandom"] == ["Nature"]  # untouched
    summary = next(d for d in docs.list_documents(world.store) if d.id == world.doc)
    assert summary.attributes["rating"] == ["Teen And Up Audiences"]


def test_values_are_added_removed_and_set_empty_removes_the_attribute(world: World) -> None:
    attrs.add_attribute_value(world.store, world.doc, "fandom", "Forest")
    attrs.add_attribute_value(world.store, world.doc, "tags", "Foxes")
    assert _attributes(world.store, world.doc)["fandom"] == ["Nature", "Forest"]
    attrs.remove_attribute_value(world.store, world.doc, "fandom", "Nature")
    assert _attributes(world.store, world.doc)["fandom"] == ["Forest"]
    attrs.set_attribute(world.store, world.doc, "fandom", [])
    assert "fandom" not in _attributes(world.store, world.doc)
    with pytest.raises(InvalidInputError, match="has no “fandom” “Nature”"):
        attrs.remove_attribute_value(world.store, world.doc, "fandom", "Nature")


def test_a_bulk_edit_sets_one_attribute_on_every_chosen_work_in_one_go(world: World) -> None:
    from annotator.core.types import ImportedDocument

    other = docs.add_document(world.store, ImportedDocument(title="Two", source_format="text", text="two"))
    edit = attrs.set_attribute_for_documents(world.store, [world.doc, other.id], "Language", ["English"])
    assert _attributes(world.store, world.doc)["language"] == ["English"]
    assert _attributes(world.store, other.id)["language"] == ["English"]
    assert set(edit.change.documents_edited) == {world.doc, other.id}
    before = dump_tables(world.store)
    with pytest.raises(NotFoundError):
        attrs.set_attribute_for_documents(world.store, [world.doc, 999], "Language", ["French"])
    assert dump_tables(world.store) == before  # one transaction: the good work was not changed either


def test_edit_document_writes_only_what_differs(world: World) -> None:
    edit = attrs.edit_document(
        world.store, world.doc, "Foxes", {"fandom": ["Nature"], "Rating": ["M"], "tags": ["a", "b", "a"]}
    )
    assert edit.after[0].title is None  # the title was not touched
    assert dict(edit.after[0].attributes) == {"rating": ("M",), "tags": ("a", "b")}
    assert _attributes(world.store, world.doc) == {"fandom": ["Nature"], "rating": ["M"], "tags": ["a", "b"]}
    attrs.edit_document(world.store, world.doc, "Foxes", {})
    assert _attributes(world.store, world.doc) == {}


def test_hostile_markup_is_stored_as_typed(world: World) -> None:
    attrs.rename_document(world.store, world.doc, HOSTILE)
    attrs.set_attribute(world.store, world.doc, HOSTILE, [HOSTILE])
    view = docs.load_document(world.store, world.doc)
    assert view.title == HOSTILE
    assert view.attributes[HOSTILE] == [HOSTILE]


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda w: attrs.rename_document(w.store, w.doc, "x" * 1001), "the title is 1001 characters long"),
        (lambda w: attrs.rename_document(w.store, w.doc, "  \n "), "the title is empty"),
        (lambda w: attrs.rename_document(w.store, w.doc, "a\x00b"), "NUL character"),
        (lambda w: attrs.set_attribute(w.store, w.doc, "n" * 201, ["v"]), "attribute name is 201 characters"),
        (lambda w: attrs.set_attribute(w.store, w.doc, " ", ["v"]), "attribute name is empty"),
        (lambda w: attrs.set_attribute(w.store, w.doc, "tags", ["v" * 2001]), "value of “tags” is 2001"),
        (lambda w: attrs.set_attribute(w.store, w.doc, "tags", ["\ud800"]), "surrogate"),
        (lambda w: attrs.add_attribute_value(w.store, w.doc, "tags", "  "), "new value of “tags” is empty"),
        (lambda w: attrs.rename_document(w.store, 999, "Lost"), "no document with id 999"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_changes_nothing(world: World, action, message: str) -> None:  # type: ignore[no-untyped-def]
    before = dump_tables(world.store)
    with pytest.raises(InvalidInputError, match=message) as refused:
        action(world)
    assert "\n" not in str(refused.value)
    assert dump_tables(world.store) == before
