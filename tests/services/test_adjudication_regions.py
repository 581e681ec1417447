"""Re-reading one region's disagreements after a decision (annotator.services.adjudication_regions):
the same items a full listing gives for that region, a region widened along chains of overlapping
spans, and a book whose resolved count follows each replaced region."""

from __future__ import annotations

import pytest

from annotator.services.adjudication import (
    BY_CONSENSUS,
    BY_NEITHER,
    OPEN,
    Decision,
    list_disagreements,
    resolve_disagreement,
)
from annotator.services.adjudication_regions import DisagreementBook, RegionItems, disagreements_in_region
from annotator.store.project import ProjectStore
from tests.team_support import ALICE, BOB, code_as, code_id, document_id

CHAIN_ALICE = [(2, "Trope/Pining", 0, 10), (2, "Trope/Pining", 18, 30), (2, "Trope/Pining", 100, 110)]
CHAIN_BOB = [(2, "Trope/Pining", 8, 20), (2, "Trope/Pining", 100, 110)]


@pytest.fixture
def team(seeded_project: ProjectStore) -> ProjectStore:
    code_as(seeded_project, "alice", ALICE + CHAIN_ALICE)
    code_as(seeded_project, "bob", BOB + CHAIN_BOB)
    return seeded_project


def _region(store: ProjectStore, seed: int, path: str, start: int, end: int) -> RegionItems:
    return disagreements_in_region(
        store, ("alice", "bob"), document_id(store, seed), code_id(store, path), start, end, path
    )


def test_a_region_holds_what_the_full_listing_holds_before_and_after_decisions(team: ProjectStore) -> None:
    slow_burn = next(
        i for i in list_disagreements(team) if i.code_path == "Trope/Slow burn" and i.start == 500
    )
    before = _region(team, 0, "Trope/Slow burn", 500, 650)
    assert before.items == (slow_burn,) and slow_burn.status == OPEN
    resolve_disagreement(team, slow_burn, Decision.accept("bob"))
    after = _region(team, 0, "Trope/Slow burn", 500, 650)
    [listed] = [i for i in list_disagreements(team) if i.key == slow_burn.key]
    assert after.items == (listed,) and listed.status == BY_CONSENSUS and listed.consensus == ((550, 650),)
    resolve_disagreement(team, listed, Decision.neither())
    assert _region(team, 0, "Trope/Slow burn", 500, 650).items[0].status == BY_NEITHER
    assert _region(team, 0, "Trope/Slow burn", 0, 100).items == ()  # an agreement is no disagreement


def test_a_region_widens_along_a_chain_of_overlapping_spans(team: ProjectStore) -> None:
    region = _region(team, 2, "Trope/Pining", 2, 4)  # inside alice's first span only
    assert (region.start, region.end) == (0, 30)  # [0, 10) ~ [8, 20) ~ [18, 30): one cluster
    [item] = region.items
    assert (item.start, item.end) == (0, 30)
    assert item.versions == {"alice": ((0, 10), (18, 30)), "bob": ((8, 20),)}
    assert _region(team, 2, "Trope/Pining", 100, 110).items == ()  # the same span by both: agreed


def test_the_book_counts_follow_each_replaced_region(team: ProjectStore) -> None:
    items = list_disagreements(team)
    book = DisagreementBook(items)
    assert (book.resolved, book.total) == (0, len(items))
    doc = document_id(team, 0)
    assert [i.key for i in book.in_document(doc)] == [i.key for i in items if i.document_id == doc]
    target = next(i for i in items if i.code_path == "Trope/Pining")
    resolve_disagreement(team, target, Decision.accept("alice"))
    old = book.replace(_region(team, 0, "Trope/Pining", target.start, target.end))
    assert old == [target]
    assert (book.resolved, book.total) == (1, len(items))
    assert [i.status for i in book.in_document(doc, code_id(team, "Trope/Pining"))] == [BY_CONSENSUS]
