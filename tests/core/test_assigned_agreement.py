"""Agreement with assignments: unassigned coders are missing on a document, not "coded nothing"."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import ALL_CODES, CodedSpan, Continuum, compute_agreement
from annotator.core.assigned_agreement import NOTE_MIXED_COUNTS, NOTE_NOT_BOTH, compute_assigned_agreement
from tests.core.test_agreement import CODERS, studies


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


@settings(max_examples=80, deadline=None)
@given(studies(), st.booleans())
def test_everyone_assigned_gives_exactly_the_default_report(
    study: tuple[list[CodedSpan], list[Continuum]], listed: bool
) -> None:
    spans, continua = study
    assigned = {c.document_id: set(CODERS) for c in continua} if listed else {}
    plain = compute_agreement(spans, continua, coders=CODERS, codes=["x", "y"])
    missing = compute_assigned_agreement(spans, continua, assigned, coders=CODERS, codes=["x", "y"])
    for key, u in plain.unitizing.items():
        v = missing.unitizing[key]
        assert _same(u.alpha, v.alpha) and _same(u.observed, v.observed) and _same(u.expected, v.expected)
        assert u.note == v.note
    assert plain.pairs == missing.pairs
    for key, s in plain.coder_sets.items():
        t = missing.coder_sets[key]
        assert _same(s.fleiss_kappa, t.fleiss_kappa) and _same(s.nominal_alpha, t.nominal_alpha)


def _issue_example() -> tuple[list[CodedSpan], list[Continuum]]:
    """Document 1: alice and bob nearly agree and carol has nothing; document 2: carol coded."""
    spans = [
        CodedSpan(1, "x", "alice", 0, 400),
        CodedSpan(1, "x", "bob", 2, 400),
        CodedSpan(1, "x", "alice", 600, 900),
        CodedSpan(1, "x", "bob", 600, 905),
        CodedSpan(2, "x", "carol", 10, 50),
        CodedSpan(2, "x", "alice", 12, 50),
    ]
    return spans, [Continuum(1, 1000), Continuum(2, 100)]


def test_a_coder_not_assigned_the_document_no_longer_drags_alpha_down() -> None:
    spans, continua = _issue_example()
    doc1 = continua[:1]
    pair_only = compute_agreement(spans, doc1, coders=["alice", "bob"]).alpha_u().alpha
    everyone = compute_agreement(spans, doc1, coders=["alice", "bob", "carol"]).alpha_u().alpha
    assigned = compute_assigned_agreement(
        spans, doc1, {1: {"alice", "bob"}}, coders=["alice", "bob", "carol"]
    )
    assert pair_only is not None and everyone is not None and everyone < pair_only - 0.3
    assert assigned.alpha_u().alpha == pytest.approx(pair_only, abs=1e-12)
    assert assigned.pair(ALL_CODES, "alice", "carol").kappa is None
    assert assigned.pair(ALL_CODES, "alice", "carol").kappa_note == NOTE_NOT_BOTH


def test_each_document_counts_only_its_assigned_coders() -> None:
    spans, continua = _issue_example()
    report = compute_assigned_agreement(spans, continua, {1: {"alice", "bob"}, 2: {"alice", "carol"}})
    for doc, coders in ((1, ["alice", "bob"]), (2, ["alice", "carol"])):
        alone = compute_agreement(spans, [c for c in continua if c.document_id == doc], coders=coders)
        assert report.alpha_u(ALL_CODES, doc).alpha == pytest.approx(alone.alpha_u().alpha, abs=1e-12)
    # alice and bob share only document 1: their pooled κ is document 1's.
    only_1 = compute_agreement(spans, continua[:1], coders=["alice", "bob"])
    assert report.pair("x", "alice", "bob").kappa == pytest.approx(only_1.pair("x", "alice", "bob").kappa)
    assert report.pair("x", "bob", "carol").kappa_note == NOTE_NOT_BOTH
    assert report.coder_set().fleiss_kappa is not None  # two coders on every document


def test_pooled_nominal_alpha_with_different_coder_counts_matches_krippendorff_package() -> None:
    spans = [
        CodedSpan(1, "x", "a", 0, 5),
        CodedSpan(1, "x", "b", 1, 6),
        CodedSpan(1, "x", "c", 0, 4),
        CodedSpan(2, "x", "a", 2, 7),
        CodedSpan(2, "x", "b", 3, 8),
    ]
    continua = [Continuum(1, 10), Continuum(2, 9)]
    report = compute_assigned_agreement(spans, continua, {2: {"a", "b"}}, coders=["a", "b", "c"])
    data = np.full((3, 19), np.nan)
    for s in spans:
        row, offset = "abc".index(s.coder), 0 if s.document_id == 1 else 10
        data[row, offset : offset + (10 if s.document_id == 1 else 9)] = np.where(
            np.isnan(data[row, offset : offset + (10 if s.document_id == 1 else 9)]),
            0,
            data[row, offset : offset + (10 if s.document_id == 1 else 9)],
        )
        data[row, offset + s.start : offset + s.end] = 1
    data[2, :10] = np.where(np.isnan(data[2, :10]), 0, data[2, :10])
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    pooled = report.coder_set("x")
    assert pooled.nominal_alpha == pytest.approx(expected, abs=1e-12)
    assert pooled.fleiss_kappa is None and pooled.fleiss_note == NOTE_MIXED_COUNTS


def test_the_2016_family_counts_only_the_assigned_coders() -> None:
    spans, continua = _issue_example()
    report = compute_assigned_agreement(spans, continua, {1: {"alice", "bob"}, 2: {"alice", "carol"}})
    for doc, coders in ((1, ["alice", "bob"]), (2, ["alice", "carol"])):
        alone = compute_agreement(spans, [c for c in continua if c.document_id == doc], coders=coders)
        mine, theirs = report.family_2016("x", doc), alone.family_2016("x")
        assert mine is not None and theirs is not None
        assert mine.u_alpha_2016.value == pytest.approx(theirs.u_alpha_2016.value, abs=1e-12)
    pooled = report.family_2016()
    everyone = compute_agreement(spans, continua, coders=["alice", "bob", "carol"]).family_2016()
    assert pooled is not None and everyone is not None
    assert pooled.u_alpha_2016.value is not None and everyone.u_alpha_2016.value is not None
    # carol counted as "coded nothing" on document 1 would pull uα far down
    assert pooled.u_alpha_2016.value > everyone.u_alpha_2016.value + 0.2


@settings(max_examples=40, deadline=None, derandomize=True)
@given(studies())
def test_everyone_assigned_gives_the_default_2016_family(
    study: tuple[list[CodedSpan], list[Continuum]],
) -> None:
    spans, continua = study
    assigned = {c.document_id: set(CODERS) for c in continua}
    plain = compute_agreement(spans, continua, coders=CODERS, codes=["x", "y"])
    missing = compute_assigned_agreement(spans, continua, assigned, coders=CODERS, codes=["x", "y"])
    assert plain.unitizing_2016.keys() == missing.unitizing_2016.keys()
    for key, family in plain.unitizing_2016.items():
        assert family == missing.unitizing_2016[key]
