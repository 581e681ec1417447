"""The bootstrap's progress reports: they follow the resamples, change nothing, and can stop it."""

from __future__ import annotations

import pytest

from annotator.core.agreement import CodedSpan, Continuum
from annotator.core.agreement_table import build_span_table
from annotator.core.bootstrap import bootstrap_agreement

SPANS = [
    CodedSpan(d, "x", coder, start + shift, start + 30 + shift)
    for d in range(6)
    for coder, shift in (("ann", 0), ("ben", d), ("cat", 2 * d))
    for start in (5, 80)
]
CONTINUA = [Continuum(d, 150) for d in range(6)]


def test_progress_reaches_every_resample_and_leaves_the_result_unchanged() -> None:
    table = build_span_table(SPANS, CONTINUA)
    seen: list[tuple[int, int]] = []
    followed = bootstrap_agreement(table, 130, 5, progress=lambda done, total: seen.append((done, total)))
    plain = bootstrap_agreement(table, 130, 5)
    assert seen == [(40, 130), (80, 130), (120, 130), (130, 130)]
    assert followed.alpha_u == plain.alpha_u and followed.kappa == plain.kappa


def test_a_progress_report_that_raises_stops_the_bootstrap() -> None:
    class Stop(Exception):
        pass

    calls: list[int] = []

    def stop_after_first(done: int, total: int) -> None:
        calls.append(done)
        raise Stop

    with pytest.raises(Stop):
        bootstrap_agreement(build_span_table(SPANS, CONTINUA), 1000, 1, progress=stop_after_first)
    assert calls == [40]
