"""αU of all coders and every pair computed together equals, bit for bit, αU of each subset alone."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from hypothesis import given, settings

from annotator.core.agreement import CodedSpan, Continuum
from annotator.core.agreement_table import SpanTable, build_span_table
from annotator.core.unitizing import unitizing_alphas
from annotator.core.unitizing_subsets import unitizing_alphas_of_subsets
from tests.core.test_agreement import CODERS, studies
from tests.core.test_bootstrap import typical_corpus


def _subset_table(table: SpanTable, subset: tuple[int, ...]) -> SpanTable:
    return replace(
        table,
        coders=tuple(table.coders[c] for c in subset),
        unit_start=tuple(table.unit_start[c] for c in subset),
        unit_end=tuple(table.unit_end[c] for c in subset),
    )


def _assert_identical(table: SpanTable) -> None:
    m = len(table.coders)
    subsets = [tuple(range(m)), *combinations(range(m), 2), (0,)] if m else [()]
    together = unitizing_alphas_of_subsets(table, subsets)
    for subset in subsets:
        alone = unitizing_alphas(_subset_table(table, subset))
        assert together[subset].keys() == alone.keys()
        for key, value in alone.items():
            # dataclass equality compares the floats exactly (== on the same bits), None and notes
            assert together[subset][key] == value, (subset, key)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(studies())
def test_every_subset_is_bit_identical_to_computing_it_alone(
    study: tuple[list[CodedSpan], list[Continuum]],
) -> None:
    spans, continua = study
    _assert_identical(build_span_table(spans, continua, coders=CODERS, codes=["x", "y"]))


def test_a_realistic_corpus_with_zones_is_bit_identical() -> None:
    spans, continua = typical_corpus(n_docs=6, length=3_000, seed=9)
    zoned = [replace(c, included=((0, 700), (900, 3_000))) for c in continua]
    for chosen in (continua, zoned):
        _assert_identical(build_span_table(spans, chosen))
