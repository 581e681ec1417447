"""Code × attribute by hand: multi-valued works count under each value; rates per 10,000 words."""

from __future__ import annotations

import pytest

from annotator.core.reports.crosstab import code_crosstab
from annotator.core.reports.data import NO_VALUE
from tests.core.reports.builders import data, work


def test_crosstab_by_hand() -> None:
    works = [
        work(1, words=2_000, attributes={"fandoms": ["A", "B"]}),
        work(2, words=8_000, attributes={"fandoms": ["A"]}),
        work(3, words=500),
    ]
    d = data([(1, 4, 10, 0, 5), (1, 4, 11, 6, 9), (2, 2, 10, 0, 5)], works)
    report = code_crosstab(d, "fandoms")
    assert report.values == ("A", "B", NO_VALUE)
    assert report.multi_valued and "each of its values" in report.notes[-1]
    angst_a = report.cell("Angst", "A")
    assert (angst_a.works, angst_a.documents, angst_a.segments, angst_a.words) == (2, 1, 2, 10_000)
    assert angst_a.percent_documents == pytest.approx(50.0)
    assert angst_a.rate_per_10k_words == pytest.approx(2.0)
    assert report.cell("Angst", "B").rate_per_10k_words == pytest.approx(10.0)
    trope_a = report.cell("Trope", "A")  # rolled up from Slow burn
    assert (trope_a.documents, trope_a.segments) == (1, 1)
    none = report.cell("Trope", NO_VALUE)
    assert (none.works, none.documents, none.percent_documents) == (1, 0, 0.0)
    tidy = report.tidy()
    assert tidy.header[-2:] == ("measure", "value_of_measure")
    assert len(tidy.rows) == 4 * 3 * 6


def test_works_without_words_have_no_rate() -> None:
    report = code_crosstab(
        data([(1, 4, 10, 0, 5)], [work(1, words=0, attributes={"rating": ["G"]})]), "rating"
    )
    cell = report.cell("Angst", "G")
    assert cell.segments == 1 and cell.rate_per_10k_words is None
    assert not report.multi_valued
