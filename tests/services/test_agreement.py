"""The agreement service: which spans and characters go into κ/αU for a researcher's selection."""

from __future__ import annotations

import json

import pytest

from annotator.services.agreement import TeamFilter, measure_agreement
from annotator.services.coders import ensure_coder
from annotator.services.documents import load_document
from annotator.services.errors import NotFoundError, ServiceError
from annotator.store.project import ProjectStore
from tests.team_support import code_as, document_id

# Seed 0 has chapter 2's summary at [13503, 13564) and its author's notes at [13565, 13814).
NOTES = (13565, 13814)


def _length(store: ProjectStore, seed: int) -> int:
    return len(load_document(store, document_id(store, seed)).text)


def test_a_code_group_reports_each_code_and_the_group_pooled(seeded_project: ProjectStore) -> None:
    # Two readings of the same passage under sibling codes: they disagree on each code but
    # agree that it is a trope.
    code_as(seeded_project, "alice", [(0, "Trope/Slow burn", 0, 100)])
    code_as(seeded_project, "bob", [(0, "Trope/Pining", 0, 100)])

    result = measure_agreement(seeded_project, TeamFilter(code_group="Trope"))

    assert result.codes[0] == "Trope" and result.codes[-2:] == ("Trope/*", "*")
    assert {"Trope/Slow burn", "Trope/Pining", "Trope/Fluff"} <= set(result.codes)
    slow = result.pair("Trope/Slow burn", "alice", "bob")
    assert (slow.both, slow.only_a, slow.only_b, slow.kappa) == (0, 100, 0, 0.0)
    pooled = result.pair("Trope/*", "alice", "bob")
    assert (pooled.both, pooled.only_a, pooled.only_b, pooled.kappa) == (100, 0, 0, 1.0)
    assert result.alpha_u("Trope/*").alpha == pytest.approx(1.0)
    # The all-codes row counts each used code once: the pooled group is not added on top, and
    # the unused parent "Trope" and sub-codes nobody applied add nothing (issue 14).
    total = result.scope.characters_in_scope
    assert result.pair("*", "alice", "bob").n == 2 * total
    csv_codes = [r["code"] for r in result.rows() if r["scope"] == "pooled"]
    assert csv_codes.index("Trope/*") > csv_codes.index("Trope/Psychic bond")


def test_zone_filters_decide_which_characters_count(seeded_project: ProjectStore) -> None:
    code_as(seeded_project, "alice", [(0, "Trope/Slow burn", 13565, 13600)])
    code_as(seeded_project, "bob", [(0, "Trope/Slow burn", 13565, 13600), (0, "Trope/Slow burn", 100, 200)])
    one = (document_id(seeded_project, 0),)

    whole = measure_agreement(seeded_project, TeamFilter(document_ids=one))
    everything = whole.pair("Trope/Slow burn", "alice", "bob")
    no_paratext = measure_agreement(seeded_project, TeamFilter(document_ids=one, exclude_paratext=True))
    notes_only = measure_agreement(seeded_project, TeamFilter(document_ids=one, zones=("chapter_notes",)))

    assert (everything.both, everything.only_b, everything.n) == (35, 100, _length(seeded_project, 0))
    row = no_paratext.pair("Trope/Slow burn", "alice", "bob")
    assert (row.both, row.only_a, row.only_b) == (0, 0, 100)  # the notes were left out
    assert no_paratext.scope.characters_in_scope < everything.n - (NOTES[1] - NOTES[0]) + 1
    row = notes_only.pair("Trope/Slow burn", "alice", "bob")
    assert (row.both, row.only_b, row.n) == (35, 0, NOTES[1] - NOTES[0])
    assert row.kappa == pytest.approx(1.0)


def test_default_coders_are_the_people_who_coded(seeded_project: ProjectStore) -> None:
    code_as(seeded_project, "alice", [(0, "Trope/Slow burn", 0, 10)])
    code_as(seeded_project, "bob", [(0, "Trope/Slow burn", 0, 10)])
    ensure_coder(seeded_project, "idle")  # never coded anything
    from annotator.services.adjudication import Decision, list_disagreements, resolve_disagreement

    code_as(seeded_project, "bob", [(1, "Trope/Pining", 0, 10)])
    [item] = list_disagreements(seeded_project)
    resolve_disagreement(seeded_project, item, Decision.accept("bob"))  # creates the consensus coder

    result = measure_agreement(seeded_project)
    assert result.coders == ("alice", "bob")
    assert result.codes == ("Trope/Slow burn", "Trope/Pining", "*")
    with_consensus = measure_agreement(seeded_project, TeamFilter(coders=("alice", "consensus")))
    assert with_consensus.pair("Trope/Pining", "alice", "consensus").only_b == 10


def test_documents_filter_limits_the_scopes(seeded_project: ProjectStore) -> None:
    code_as(seeded_project, "alice", [(0, "Trope/Slow burn", 0, 10), (1, "Trope/Slow burn", 0, 10)])
    code_as(seeded_project, "bob", [(1, "Trope/Slow burn", 0, 10)])
    second = document_id(seeded_project, 1)
    result = measure_agreement(seeded_project, TeamFilter(document_ids=(second,)))
    assert result.report.document_ids == (second,)
    assert result.pair("Trope/Slow burn", "alice", "bob").kappa == pytest.approx(1.0)
    assert {r["document"] for r in result.rows() if r["scope"] == "document"} == {
        load_document(seeded_project, second).title
    }


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        (TeamFilter(coders=("alice", "nobody")), "no coder named 'nobody'"),
        (TeamFilter(code_paths=("Trope/No such code",)), "no code at path"),
        (TeamFilter(document_ids=(999,)), "no document with id 999"),
        (TeamFilter(zones=("prologue",)), "unknown zone 'prologue'"),
        (TeamFilter(code_paths=("Trope",), code_group="Trope"), "either codes or a code group"),
        (TeamFilter(zones=("story",), exclude_paratext=True), "not both"),
    ],
)
def test_a_selection_naming_something_missing_is_refused(
    seeded_project: ProjectStore, flt: TeamFilter, message: str
) -> None:
    code_as(seeded_project, "alice", [(0, "Trope/Slow burn", 0, 10)])
    with pytest.raises((NotFoundError, ServiceError), match=message):
        measure_agreement(seeded_project, flt)


def test_undefined_statistics_are_explained_and_json_has_no_nan(seeded_project: ProjectStore) -> None:
    code_as(seeded_project, "alice", [(0, "Trope/Slow burn", 0, 10)])
    code_as(seeded_project, "bob", [(0, "Trope/Slow burn", 5, 10)])
    result = measure_agreement(
        seeded_project, TeamFilter(code_paths=("Trope/Slow burn", "Trope/Fluff"), zones=("title",))
    )
    # No seed work has a title zone: nothing is in scope, and the notes say so.
    assert result.scope.characters_in_scope == 0
    everything = result.pair("*", "alice", "bob")
    assert everything.n == 0 and everything.kappa is None and "no characters in scope" in everything.note
    fluff = result.pair("Trope/Fluff", "alice", "bob")
    assert fluff.kappa is None and "no characters in scope" in fluff.note
    text = json.dumps(result.to_json_dict(), allow_nan=False)
    assert json.loads(text)["scopes"]["pooled"]["codes"]["Trope/Fluff"]["pairs"]["alice|bob"]["kappa"] is None


def test_span_columns_from_the_store_hold_the_same_spans_as_span_objects(
    seeded_project: ProjectStore,
) -> None:
    """``measure_agreement`` reads columns; they must be exactly the spans ``load_spans`` sees."""
    from annotator.core.agreement import SpanColumns
    from annotator.services.team_scope import load_span_columns, load_spans, resolve_scope

    code_as(seeded_project, "alice", [(0, "Trope/Slow burn", 0, 100), (1, "Trope/Pining", 5, 50)])
    code_as(seeded_project, "bob", [(0, "Trope/Slow burn", 40, 120), (2, "Consent framing/Dubious", 0, 9)])
    code_as(seeded_project, "cleo", [(1, "Trope/Pining", 7, 30)])
    for flt in (TeamFilter(), TeamFilter(coders=("bob", "alice")), TeamFilter(code_group="Trope")):
        with seeded_project.reading() as session:
            scope = resolve_scope(session, flt)
            columns = load_span_columns(session, scope)
            objects = load_spans(session, scope)

        def spans_of(c: SpanColumns) -> list[tuple[int, str, str, int, int]]:
            rows = zip(c.document_id, c.code_index, c.coder_index, c.start, c.end, strict=True)
            return sorted((int(d), c.codes[k], c.coders[r], int(s), int(e)) for d, k, r, s, e in rows)

        expected = sorted((s.document_id, s.code, s.coder, s.start, s.end) for s in objects)
        assert spans_of(columns) == expected and expected
    nobody = ensure_coder(seeded_project, "dora").id
    with seeded_project.reading() as session:  # a coder without spans: no rows, not an error
        scope = resolve_scope(session, TeamFilter(coders=("bob", "alice")))
        empty = load_span_columns(session, scope, coder_ids=[nobody])
    assert empty.start.size == 0 and empty.coders == ("dora",)


def test_unused_codes_in_scope_leave_the_all_codes_row_alone(seeded_project: ProjectStore) -> None:
    code_as(seeded_project, "alice", [(0, "Trope/Slow burn", 0, 100)])
    code_as(seeded_project, "bob", [(0, "Trope/Slow burn", 0, 80)])
    alone = measure_agreement(seeded_project, TeamFilter(code_paths=("Trope/Slow burn",)))
    padded = measure_agreement(seeded_project, TeamFilter(code_paths=("Trope/Slow burn", "Trope/Fluff")))
    group = measure_agreement(seeded_project, TeamFilter(code_group="Trope"))
    expected = alone.pair("*", "alice", "bob")
    for result in (padded, group):
        row = result.pair("*", "alice", "bob")
        assert (row.both, row.only_a, row.neither, row.kappa) == (
            expected.both,
            expected.only_a,
            expected.neither,
            expected.kappa,
        )
        assert result.alpha_u().alpha == pytest.approx(alone.alpha_u().alpha)


def test_default_coders_are_those_who_coded_in_the_chosen_documents(seeded_project: ProjectStore) -> None:
    """Issue 14: a coder with nothing in the chosen documents must not count as "coded nothing"."""
    code_as(seeded_project, "alice", [(0, "Trope/Slow burn", 0, 100), (1, "Trope/Slow burn", 0, 50)])
    code_as(seeded_project, "bob", [(0, "Trope/Slow burn", 0, 100)])
    code_as(seeded_project, "cara", [(1, "Trope/Slow burn", 0, 50)])
    first = measure_agreement(seeded_project, TeamFilter(document_ids=(document_id(seeded_project, 0),)))
    assert first.coders == ("alice", "bob")
    assert first.alpha_u().alpha == pytest.approx(1.0)
    assert measure_agreement(seeded_project).coders == ("alice", "bob", "cara")


def test_disagreements_under_a_zone_filter_keep_only_the_included_text(seeded_project: ProjectStore) -> None:
    """Issue 14: with the paratext excluded, the list shows spans cut to the story, and none that
    lie wholly in the author's notes."""
    from annotator.services.adjudication import list_disagreements

    code_as(
        seeded_project,
        "alice",
        [(0, "Trope/Slow burn", NOTES[0], NOTES[1] + 50), (0, "Trope/Pining", 13600, 13700)],
    )
    code_as(seeded_project, "bob", [(0, "Trope/Slow burn", NOTES[1], NOTES[1] + 40)])
    one = (document_id(seeded_project, 0),)
    items = list_disagreements(seeded_project, flt=TeamFilter(document_ids=one, exclude_paratext=True))
    assert [(i.code_path, i.start, i.end) for i in items] == [("Trope/Slow burn", NOTES[1], NOTES[1] + 50)]
    assert items[0].versions == {"alice": ((NOTES[1], NOTES[1] + 50),), "bob": ((NOTES[1], NOTES[1] + 40),)}
