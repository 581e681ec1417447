"""The agreement report's rows and JSON form (annotator.core.agreement_report)."""

from __future__ import annotations

import json

from annotator.core.agreement import CodedSpan, Continuum, compute_agreement
from annotator.core.agreement_report import ROW_COLUMNS, pair_key


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
    assert pair["percent_agreement"] == 0.4 and pair["alpha_u"] is None


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
        "note": "",
    }
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
