"""The 2016 unitizing family in the agreement service: the methods paragraph and the CSV/JSON
intervals (issue 14)."""

from __future__ import annotations

import csv
import io
import json

from annotator.core.agreement import ALL_CODES
from annotator.core.unitizing_2016 import MEASURES, SOURCE_2016
from annotator.services.agreement import (
    BootstrapOptions,
    TeamFilter,
    export_agreement_csv,
    measure_agreement,
    methods_paragraph,
)
from annotator.store.project import ProjectStore
from tests.team_support import code_as

SLOW = "Trope/Slow burn"
ALICE = [(0, SLOW, 0, 400), (0, SLOW, 600, 900), (1, SLOW, 10, 50), (2, SLOW, 100, 300)]
BOB = [(0, SLOW, 2, 400), (0, SLOW, 600, 905), (1, SLOW, 12, 50), (2, SLOW, 120, 290)]
FILTER = TeamFilter(coders=("alice", "bob"), code_paths=(SLOW,))


def _coded(store: ProjectStore) -> None:
    code_as(store, "alice", ALICE)
    code_as(store, "bob", BOB)


def test_the_methods_paragraph_reports_the_2016_family_with_its_source(seeded_project: ProjectStore) -> None:
    _coded(seeded_project)
    result = measure_agreement(seeded_project, FILTER)
    family = result.report.family_2016()
    assert family is not None and family.u_alpha_2016.value is not None
    text = methods_paragraph(result)
    assert SOURCE_2016 in text
    shown = f"{family.u_alpha_2016.value:.3f}".replace("0.", ".", 1)
    assert f"uα = {shown}" in text


def test_csv_and_json_carry_the_2016_family_intervals(seeded_project: ProjectStore) -> None:
    _coded(seeded_project)
    options = BootstrapOptions(resamples=60, seed=5)
    result = measure_agreement(seeded_project, FILTER, bootstrap=options)
    assert result.bootstrap is not None
    out = io.StringIO()
    export_agreement_csv(result, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    pooled_all = next(
        r for r in rows if r["scope"] == "pooled" and r["code"] == ALL_CODES and r["coder_a"] == "*"
    )
    for measure in ("u_alpha_2016", "bar_u_alpha_2016", "cu_alpha_2016"):
        ci = result.bootstrap.unitizing_2016[(measure, ALL_CODES)]
        assert ci.low is not None and ci.high is not None
        assert float(pooled_all[f"{measure}_ci_low"]) == ci.low
        assert float(pooled_all[f"{measure}_ci_high"]) == ci.high
        assert float(pooled_all[f"{measure}_p_below_min"]) == ci.below
    pooled_code = next(
        r for r in rows if r["scope"] == "pooled" and r["code"] == SLOW and r["coder_a"] == "*"
    )
    assert pooled_code["bar_u_alpha_2016_ci_low"] == ""  # |uα is an all-codes figure only
    assert pooled_code["u_alpha_2016_ci_low"] != ""
    data = json.loads(json.dumps(result.to_json_dict(), allow_nan=False))
    codes = data["bootstrap"]["codes"]
    assert set(codes[ALL_CODES]) >= {"alpha_u", "u_alpha_2016", "bar_u_alpha_2016", "cu_alpha_2016"}
    assert codes[ALL_CODES]["cu_alpha_2016"]["low"] == result.family_interval("cu_alpha_2016").low
    assert codes[SLOW]["k_u_alpha_2016"]["defined_resamples"] >= 0
    assert set(codes[SLOW]) & set(MEASURES) == {"u_alpha_2016", "k_u_alpha_2016"}
