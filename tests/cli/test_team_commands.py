"""``annotator merge``, ``agreement`` and ``disagreements`` as a researcher runs them in a terminal."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.services.coders import list_coders
from annotator.services.projects import create_project
from annotator.store.project import ProjectStore
from tests.cli.conftest import Run
from tests.damaged_copies import damage
from tests.team_support import ALICE, BOB, code_as, seeded_copy, team_targets

__all__ = ["team_targets"]

Targets = Callable[[str], str]


def _location(store: ProjectStore) -> str:
    return store.location if store.is_sqlite else store.url.render_as_string(hide_password=False)


@pytest.fixture
def team(seeded_project: ProjectStore) -> str:
    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "bob", BOB)
    return _location(seeded_project)


def _no_nan(text: str) -> None:
    assert "nan" not in text.lower().replace("nanny", ""), text
    assert "Traceback" not in text


def test_merge_two_coders_copies_then_again(run: Run, team_targets: Targets, tmp_path: Path) -> None:
    alice = seeded_copy(team_targets("alice"), tmp_path)
    bob = seeded_copy(team_targets("bob"), tmp_path, renamed=True)
    code_as(alice, "alice", ALICE)
    code_as(bob, "bob", BOB)
    target = create_project(team_targets("target"))
    sources = [_location(alice), _location(bob)]

    status, out, _ = run("merge", _location(target), *sources)
    assert status == 0
    assert "annotations: 4 added" in out and "annotations: 3 added" in out
    assert "has the same text as 'Work 1'" in out

    status, out, _ = run("merge", _location(target), *sources, "--json")
    reports = json.loads(out)
    assert status == 0 and [r["annotations_added"] for r in reports] == [0, 0]
    assert [r["annotations_duplicate"] for r in reports] == [4, 3]
    for store in (alice, bob, target):
        store.close()


def test_merge_refuses_a_damaged_copy_listing_every_problem(
    run: Run, team_targets: Targets, tmp_path: Path
) -> None:
    alice = seeded_copy(team_targets("alice"), tmp_path)
    bob = seeded_copy(team_targets("bob"), tmp_path)
    code_as(alice, "alice", ALICE)
    code_as(bob, "bob", BOB)
    target = create_project(team_targets("target"))
    damage(
        _location(bob),
        "UPDATE annotations SET quote = 'fabricated' WHERE id = 1",
        ("UPDATE codes SET colour = ? WHERE id = 8", ("#ff000\x1b",)),
    )

    status, out, err = run("merge", _location(target), _location(alice), _location(bob))

    assert status == 1 and "annotations: 4 added" in out  # alice's copy went in before bob's was read
    assert err.splitlines() == [
        f"annotator: error: cannot merge {bob.location}: 2 problems found in that copy; nothing was merged",
        "  code 8 “Trope › Pining”: colour “#ff000\\x1b” is not of the form #rrggbb",
        "  annotation 1 on “000_5fff9f97e7e95096”: quote does not match the text at 0–100",
    ]
    assert [c.name for c in list_coders(target)] == ["alice"]
    for store in (alice, bob, target):
        store.close()


def test_agreement_prints_a_table_per_code(run: Run, team: str) -> None:
    status, out, err = run("agreement", team)
    assert status == 0 and err == ""
    assert "Trope/Slow burn    αU (2004) 0.874" in out
    assert "alice | bob   150      50      50" in out and "0.749" in out
    assert out.index("Trope/Slow burn") < out.index("Trope/Pining") < out.index("All codes (*)")
    _no_nan(out)


def test_agreement_csv_and_json(run: Run, team: str, tmp_path: Path) -> None:
    target = tmp_path / "agreement.csv"
    status, out, err = run("agreement", team, "--code-group", "Trope", "--csv", str(target), "--json")
    assert status == 0 and f"to {target}" in err
    data = json.loads(out)
    assert data["group"] == "Trope/*"
    assert data["scopes"]["pooled"]["codes"]["Trope/*"]["pairs"]["alice|bob"]["both"] == 150
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    pooled = [r for r in rows if r["scope"] == "pooled" and r["coder_a"] == "alice"]
    slow = [r for r in pooled if r["code"] == "Trope/Slow burn"]
    assert [(r["both"], r["only_a"], r["only_b"]) for r in slow] == [("150", "50", "50")]
    assert {r["scope"] for r in rows} == {"pooled", "document"}
    assert not list(tmp_path.glob(".agreement.csv.*"))  # no temporary file left behind
    _no_nan(raw.decode("utf-8-sig"))


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--codes", "Trope/Fluff"], "κ undefined: neither coder used this code in scope"),
        (["--coders", "alice"], "agreement needs at least two coders; this selection has 1 (alice)"),
        (["--zones", "title"], "% and κ undefined: no characters in scope"),
        (
            ["--documents", "5", "--coders", "alice,bob", "--codes", "Trope/Slow burn"],
            "κ undefined: neither coder used this code",
        ),
        # nobody coded document 5: by default nobody is in scope (issue 14), rather than two
        # coders who "coded nothing"
        (["--documents", "5"], "agreement needs at least two coders; this selection has 0 (none)"),
    ],
)
def test_edge_cases_explain_themselves(run: Run, team: str, argv: list[str], expected: str) -> None:
    status, out, err = run("agreement", team, *argv)
    assert status == 0 and err == ""
    assert expected in out
    _no_nan(out)


def test_identical_coders_agree_perfectly(run: Run, seeded_project: ProjectStore) -> None:
    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "carol", ALICE)
    status, out, _ = run("agreement", _location(seeded_project), "--json")
    pooled = json.loads(out)["scopes"]["pooled"]["codes"]
    assert status == 0
    for code in ("Trope/Slow burn", "Trope/Pining", "*"):
        assert pooled[code]["pairs"]["alice|carol"]["kappa"] == 1.0
        assert pooled[code]["pairs"]["alice|carol"]["percent_agreement"] == 1.0
        assert pooled[code]["alpha_u"] == pytest.approx(1.0)


def test_a_project_nobody_coded(run: Run, seeded_project: ProjectStore) -> None:
    status, out, err = run("agreement", _location(seeded_project))
    assert status == 0 and err == ""
    assert "this selection has 0 (none)" in out and "(no coder pairs to compare)" in out
    _no_nan(out)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--coders", "alice,zed"], "annotator: error: no coder named 'zed'"),
        (["--codes", "Trope/Nope"], "annotator: error: no code at path 'Trope/Nope'"),
        (["--documents", "first"], "annotator: error: document ids are whole numbers, not 'first'"),
        (["--zones", "prologue"], "annotator: error: unknown zone 'prologue'"),
    ],
)
def test_bad_selections_fail_with_one_line(run: Run, team: str, argv: list[str], message: str) -> None:
    status, out, err = run("agreement", team, *argv)
    assert status == 1 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_disagreements_csv(run: Run, team: str, tmp_path: Path) -> None:
    target = tmp_path / "disagreements.csv"
    codes = "Trope/Slow burn,Trope/Pining"
    status, out, _ = run("disagreements", team, "--csv", str(target), "--codes", codes)
    assert status == 0 and "2 disagreement(s), 0 resolved; wrote 4 rows" in out
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [(r["disagreement"], r["code_path"], r["coder"], r["start"], r["end"]) for r in rows] == [
        ("1", "Trope/Pining", "alice", "200", "300"),
        ("1", "Trope/Pining", "bob", "", ""),
        ("2", "Trope/Slow burn", "alice", "500", "600"),
        ("2", "Trope/Slow burn", "bob", "550", "650"),
    ]
    assert all(len(r["text"]) == 100 for r in rows if r["start"])


def test_disagreements_csv_guards_formula_cells(
    run: Run, seeded_project: ProjectStore, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from annotator.store.models import Document
    from tests.team_support import document_id

    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "=bob", BOB)  # names and titles can start with a formula trigger
    with seeded_project.transaction() as session:
        first = document_id(seeded_project, 0)
        session.execute(update(Document).where(Document.id == first).values(title="=1+1"))
    target = tmp_path / "d.csv"
    status, _, _ = run("disagreements", _location(seeded_project), "--csv", str(target), "--documents", "1")
    assert status == 0
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert {r[2] for r in rows[1:]} == {"'=1+1"} and "'=bob" in {r[4] for r in rows[1:]}


def test_the_consensus_exports_with_the_coder_filter(
    run: Run, seeded_project: ProjectStore, tmp_path: Path
) -> None:
    from annotator.services.adjudication import Decision, list_disagreements, resolve_disagreement

    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "bob", BOB)
    for item in list_disagreements(seeded_project):
        resolve_disagreement(seeded_project, item, Decision.accept_all())
    target = tmp_path / "consensus.csv"
    status, _, _ = run("export", _location(seeded_project), "--segments", str(target), "--coder", "consensus")
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert status == 0 and {r["coder"] for r in rows} == {"consensus"}
    assert sorted((r["code_path"], int(r["start"]), int(r["end"])) for r in rows) == [
        ("Power dynamic/Physical", 50, 80),
        ("Power dynamic/Physical", 1000, 1100),
        ("Trope/Pining", 200, 300),
        ("Trope/Slow burn", 500, 600),
        ("Trope/Slow burn", 550, 650),
    ]


def test_agreement_shows_pairwise_alpha_more_coefficients_and_weak_documents(
    run: Run, seeded_project: ProjectStore, tmp_path: Path
) -> None:
    code_as(seeded_project, "alice", ALICE)
    code_as(seeded_project, "bob", BOB)
    code_as(seeded_project, "carol", ALICE)
    location = _location(seeded_project)
    target = tmp_path / "agreement.csv"
    status, out, err = run("agreement", location, "--csv", str(target))
    assert status == 0, err
    assert "αU" in out and "PSA" in out and "PABAK" in out and "AC1" in out and "Fleiss κ" in out
    assert "Lowest αU (all codes) per document" in out
    _no_nan(out)
    rows = list(csv.DictReader(target.read_bytes().decode("utf-8-sig").splitlines()))
    pooled = {(r["code"], r["coder_a"], r["coder_b"]): r for r in rows if r["scope"] == "pooled"}
    # alice and carol coded alike: their own αU is 1 while the three-coder αU is lower
    assert float(pooled[("*", "alice", "carol")]["alpha_u"]) == pytest.approx(1.0)
    assert float(pooled[("*", "*", "*")]["alpha_u"]) < 1.0
    assert pooled[("*", "alice", "bob")]["positive_agreement"] != ""
    assert pooled[("*", "*", "*")]["fleiss_kappa"] != "" and pooled[("*", "*", "*")]["nominal_alpha"] != ""
    status, out, _ = run("agreement", location, "--json")
    pair = json.loads(out)["scopes"]["pooled"]["codes"]["*"]["pairs"]["alice|carol"]
    assert (pair["alpha_u"], pair["positive_agreement"], pair["pabak"], pair["ac1"]) == (1.0, 1.0, 1.0, 1.0)


def test_agreement_with_bootstrap_intervals_csv_json_and_methods(run: Run, team: str, tmp_path: Path) -> None:
    target = tmp_path / "agreement.csv"
    argv = ["agreement", team, "--bootstrap", "200", "--seed", "3", "--min-alpha", ".8"]
    status, out, err = run(*argv, "--methods")
    assert status == 0, err
    assert "Bootstrap: 200 resamples of the" in out and "(seed 3)" in out
    assert "95% CI [" in out and "p(< 0.800)" in out and "κ 95% CI" in out
    assert "Methods paragraph:" in out and "200 bootstrap resamples of documents (seed 3)" in out
    assert "2 coders independently coded" in out and "0 were resolved by adjudication" in out
    _no_nan(out)
    again = run(*argv, "--methods")[1]
    assert again == out  # seeded: the same intervals every time
    status, out, _ = run(*argv, "--json", "--csv", str(target))
    data = json.loads(out)["bootstrap"]
    assert (data["resamples"], data["seed"], data["min_alpha"]) == (200, 3, 0.8)
    alpha = data["codes"]["*"]["alpha_u"]
    assert alpha["low"] <= alpha["high"] and 0.0 <= alpha["p_below_min"] <= 1.0
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    pooled_alpha = [r for r in rows if r["scope"] == "pooled" and r["coder_a"] == "*" and r["code"] == "*"]
    assert float(pooled_alpha[0]["alpha_u_ci_low"]) == alpha["low"]
    assert pooled_alpha[0]["bootstrap_resamples"] == "200"
    pair = [r for r in rows if r["scope"] == "pooled" and r["coder_a"] == "alice" and r["code"] == "*"]
    assert pair[0]["kappa_ci_low"] != "" and all(
        r["kappa_ci_low"] == "" for r in rows if r["scope"] == "document"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--bootstrap", "0"], "annotator: error: --bootstrap takes 1 to 100,000 resamples, not 0"),
        (
            ["--bootstrap", "--min-alpha", "2"],
            "annotator: error: --min-alpha is an α between -1 and 1, not 2.0",
        ),
    ],
)
def test_bad_bootstrap_options_fail_with_one_line(run: Run, team: str, argv: list[str], message: str) -> None:
    status, out, err = run("agreement", team, *argv)
    assert status == 1 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_agreement_shows_the_2016_unitizing_family_with_its_source(
    run: Run, team: str, tmp_path: Path
) -> None:
    target = tmp_path / "agreement.csv"
    status, out, err = run("agreement", team)
    assert status == 0 and err == "" and "Krippendorff, Mathet, Bouvry & Widlöcher 2016" in out
    heading = next(line for line in out.splitlines() if line.startswith("All codes (*)"))
    assert "2016: uα " in heading and "|uα " in heading and "cuα " in heading
    assert "(k)uα " in next(line for line in out.splitlines() if line.startswith("Trope/Slow burn"))
    status, out, _ = run("agreement", team, "--csv", str(target), "--json")
    data = json.loads(out)
    pooled = data["scopes"]["pooled"]["codes"]["*"]
    assert data["sources"]["cu_alpha_2016"].startswith("Krippendorff, Mathet, Bouvry & Widlöcher 2016")
    assert "u_alpha_2016" in pooled and "u_alpha_2016_note" in pooled
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    everyone = next(r for r in rows if r["scope"] == "pooled" and r["code"] == "*" and r["coder_a"] == "*")
    assert {"u_alpha_2016", "bar_u_alpha_2016", "cu_alpha_2016", "k_u_alpha_2016"} <= set(everyone)
    value = pooled["u_alpha_2016"]
    assert (everyone["u_alpha_2016"] == "") if value is None else float(everyone["u_alpha_2016"]) == value
    _no_nan(out)


def test_bootstrap_intervals_cover_the_2016_family(run: Run, team: str) -> None:
    status, out, err = run("agreement", team, "--bootstrap", "100", "--seed", "2")
    assert status == 0, err
    heading = next(line for line in out.splitlines() if line.startswith("Trope/Slow burn"))
    # e.g. "2016: uα 0.749 [0.748, 0.749]": the pooled value and its 95% interval
    assert re.search(r"2016: uα \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]", heading), heading
    _no_nan(out)
