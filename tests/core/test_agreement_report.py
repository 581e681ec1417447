"""The agreement report's rows and JSON form (annotator.core.agreement_report)."""

from __future__ import annotations

import json

import pytest

from annotator.core.agreement import CodedSpan, Continuum, compute_agreement
from annotator.core.agreement_report import ROW_COLUMNS, explain_chance, pair_agreement, pair_key
from annotator.core.unitizing import unitizing_alpha


def test_rows_cover_every_scope_code_and_pair() -> None:
    report = compute_agreement(
        [CodedSpan(1, "x", "alice", 0, 5), CodedSpan(1, "x", "bob", 3, 8), CodedSpan(2, "y", "carol", 0, 2)],
        [Continuum(1, 10), Continuum(2, 4)],
    )
    rows = report.rows()
    assert all(tuple(r) == ROW_COLUMNS for r in rows)
    # 3 scopes × 3 codes (x, y, *) × (1 αU row + 3 pairs)
    assert len(rows) == 3 * 3 * 4
    first = rows[0]
    assert (first["scope"], first["document_id"], first["code"], first["coder_a"]) == (
        "pooled",
        None,
        "x",
        "*",
    )
    pair = next(
        r
        for r in rows
        if r["document_id"] == 1 and r["code"] == "x" and r["coder_a"] == "alice" and r["coder_b"] == "bob"
    )
    # alice [0,5), bob [3,8) of 10: both [3,5) 2, only_a [0,3) 3, only_b [5,8) 3, neither 2.
    assert (pair["both"], pair["only_a"], pair["only_b"], pair["neither"], pair["n"]) == (2, 3, 3, 2, 10)
    assert pair["percent_agreement"] == 0.4
    # the pair's own αU (carol, who coded nothing in document 1, does not enter it)
    alone = unitizing_alpha(
        [CodedSpan(1, "x", "alice", 0, 5), CodedSpan(1, "x", "bob", 3, 8)], [Continuum(1, 10)], "x"
    )
    assert alone.alpha is not None and pair["alpha_u"] == pytest.approx(alone.alpha)
    assert report.alpha_u("x", 1).alpha != pytest.approx(alone.alpha)  # three coders: another value
    # PSA = 2·2 / (4 + 3 + 3); PABAK = 2 · .4 − 1; AC1: π = 10/20, p_e = .5, (.4 − .5) / .5
    assert (pair["positive_agreement"], pair["pabak"], pair["ac1"]) == pytest.approx((0.4, -0.2, -0.2))


def test_json_is_keyed_by_scope_code_and_pair() -> None:
    report = compute_agreement(
        [CodedSpan(1, "a/b", "alice", 0, 5), CodedSpan(1, "a/b", "bob", 0, 5)],
        [Continuum(1, 10)],
    )
    data = json.loads(json.dumps(report.to_json_dict()))
    entry = data["scopes"]["document:1"]["codes"]["a/b"]
    assert entry["alpha_u"] == 1.0
    assert entry["pairs"]["alice|bob"] == {
        "both": 5,
        "only_a": 0,
        "only_b": 0,
        "neither": 5,
        "n": 10,
        "percent_agreement": 1.0,
        "kappa": 1.0,
        "alpha_u": 1.0,
        "alpha_u_note": "",
        "positive_agreement": 1.0,
        "pabak": 1.0,
        "ac1": 1.0,
        "note": "",
    }
    assert (entry["fleiss_kappa"], entry["nominal_alpha"]) == (1.0, 1.0)
    assert set(data["scopes"]) == {"pooled", "document:1"}
    assert data["scopes"]["pooled"]["codes"]["*"]["pairs"]["alice|bob"]["kappa"] == 1.0


def test_undefined_values_are_null_with_notes() -> None:
    report = compute_agreement([], [Continuum(1, 0)], coders=["a", "b"], codes=["x"])
    entry = report.to_json_dict()["scopes"]["pooled"]["codes"]["x"]
    assert entry["alpha_u"] is None and entry["alpha_u_note"]
    assert entry["pairs"]["a|b"]["kappa"] is None and entry["pairs"]["a|b"]["note"]


def test_pair_key_escapes_separator() -> None:
    assert pair_key("alice", "bob") == "alice|bob"
    assert pair_key("a|b", "c\\d") == "a\\|b|c\\\\d"


def test_the_chance_note_says_why_a_high_percent_sits_beside_a_low_or_undefined_kappa() -> None:
    apart = pair_agreement(None, "x", "alice", "bob", both=0, only_a=2, only_b=1, neither=997)
    assert apart.percent_agreement == 0.997 and apart.kappa is not None and apart.kappa < 0
    assert explain_chance(apart) == (
        "The coders shared no coded character (2 only by alice, 1 only by bob): κ ≤ 0. "
        "The high % agreement comes from the 997 characters neither coded."
    )
    unused = pair_agreement(None, "x", "alice", "bob", both=0, only_a=0, only_b=0, neither=50)
    assert unused.kappa is None and unused.percent_agreement == 1.0
    assert explain_chance(unused).startswith("κ undefined: neither coder used this code in scope (pe = 1)")
    assert "100% by construction" in explain_chance(unused)
    # 95 of 100 characters left uncoded by both, 5 coded by one or both: p_o = .97, κ ≈ .39.
    rare = pair_agreement(None, "x", "alice", "bob", both=2, only_a=2, only_b=1, neither=95)
    assert rare.kappa is not None and rare.kappa < 0.667
    assert explain_chance(rare).startswith("% agreement is high because most characters were left uncoded")
    # Where % and κ agree (both high, or both low) there is nothing to explain; nor with no characters.
    close = pair_agreement(None, "x", "alice", "bob", both=40, only_a=1, only_b=1, neither=58)
    low = pair_agreement(None, "x", "alice", "bob", both=10, only_a=30, only_b=30, neither=30)
    empty = pair_agreement(None, "x", "alice", "bob", both=0, only_a=0, only_b=0, neither=0)
    assert [explain_chance(p) for p in (close, low, empty)] == ["", "", ""]


def test_the_chance_note_names_a_coder_who_never_used_the_code() -> None:
    idle = pair_agreement(None, "x", "alice", "bob", both=0, only_a=0, only_b=7, neither=993)
    assert idle.kappa == 0
    assert explain_chance(idle) == (
        "alice did not use this code in scope and bob coded 7 characters: κ = 0, no agreement beyond "
        "chance. The high % agreement comes from the 993 characters neither coded."
    )
    one = pair_agreement(None, "x", "alice", "bob", both=0, only_a=1, only_b=0, neither=99)
    assert explain_chance(one).startswith(
        "bob did not use this code in scope and alice coded 1 character: κ = 0"
    )


def test_the_2016_family_sits_beside_alpha_u_with_its_source() -> None:
    spans = [
        CodedSpan(1, "A", "alice", 0, 10),
        CodedSpan(1, "B", "alice", 12, 20),
        CodedSpan(1, "A", "bob", 0, 12),
        CodedSpan(1, "B", "bob", 14, 20),
    ]
    report = compute_agreement(spans, [Continuum(1, 40)])
    rows = {(r["scope"], r["code"]): r for r in report.rows() if r["coder_a"] == "*"}
    pooled, code_a = rows[("pooled", "*")], rows[("pooled", "A")]
    family = report.family_2016()
    assert family is not None and pooled["u_alpha_2016"] == family.u_alpha_2016.value is not None
    assert pooled["cu_alpha_2016"] is not None and pooled["k_u_alpha_2016"] is None  # per code only
    assert code_a["k_u_alpha_2016"] == report.family_2016("A").k_u_alpha_2016.value  # type: ignore[union-attr]
    assert code_a["bar_u_alpha_2016"] is None and code_a["alpha_u"] == report.alpha_u("A").alpha
    data = report.to_json_dict()
    assert data["sources"]["alpha_u"].startswith("Krippendorff 2004")
    assert "Widlöcher 2016" in data["sources"]["u_alpha_2016"]
    entry = data["scopes"]["pooled"]["codes"]["*"]
    assert entry["u_alpha_2016"] == pooled["u_alpha_2016"] and "k_u_alpha_2016" not in entry
    json.dumps(data, allow_nan=False)


def test_family_notes_name_the_measures_once() -> None:
    spans = [
        CodedSpan(1, "A", "alice", 0, 10),
        CodedSpan(1, "B", "alice", 5, 15),
        CodedSpan(1, "A", "bob", 0, 9),
    ]
    pooled = next(r for r in compute_agreement(spans, [Continuum(1, 30)]).rows() if r["code"] == "*")
    assert "uα, |uα, cuα (2016) undefined: a coder's units of different codes overlap" in pooled["note"]
