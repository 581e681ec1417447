"""Where coders disagree: clusters of overlapping spans to review, and character runs to show.

Spans of one document and code are *clustered* when they overlap (share at least one
character), across coders and transitively; touching spans do not overlap. A cluster is an
agreement when every coder has exactly the same spans in it (the same boundaries, the same
segmentation); otherwise it is a ``Disagreement`` listing each coder's version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotator.core.agreement_types import CodedSpan

Interval = tuple[int, int]


@dataclass(frozen=True)
class Disagreement:
    """A cluster whose coders' versions differ; ``start``/``end`` is the cluster's hull.

    ``versions`` maps every coder asked about to their spans in the cluster, sorted and
    de-duplicated (an empty tuple: that coder did not code it).
    """

    document_id: int
    code: str
    start: int
    end: int
    versions: dict[str, tuple[Interval, ...]]


@dataclass(frozen=True)
class DisagreementSummary:
    """How many clusters agree and disagree, overall and per code (agreed, disagreed)."""

    agreed: int = 0
    disagreed: int = 0
    by_code: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DisagreementRun:
    """A maximal run ``[start, end)`` coded (for one code) by ``coder`` but not the other."""

    start: int
    end: int
    coder: str


def _clusters(
    spans: Iterable[CodedSpan], coders: Sequence[str]
) -> list[tuple[int, str, int, int, dict[str, tuple[Interval, ...]]]]:
    """Every cluster as (document, code, hull start, hull end, versions), in review order."""
    wanted = set(coders)
    groups: dict[tuple[int, str], list[tuple[int, int, str]]] = defaultdict(list)
    for s in spans:
        if s.coder in wanted and s.end > s.start:
            groups[(s.document_id, s.code)].append((s.start, s.end, s.coder))
    clusters = []
    for (document_id, code), members in groups.items():
        members.sort()
        current: list[tuple[int, int, str]] = []
        reach = 0
        for member in [*members, None]:
            if member is None or (current and member[0] >= reach):
                versions: dict[str, set[Interval]] = {c: set() for c in coders}
                for start, end, coder in current:
                    versions[coder].add((start, end))
                hull = (current[0][0], reach)
                clusters.append(
                    (document_id, code, *hull, {c: tuple(sorted(v)) for c, v in versions.items()})
                )
                current = []
            if member is not None:
                reach = max(reach, member[1]) if current else member[1]
                current.append(member)
    clusters.sort(key=lambda c: (c[0], c[2], c[1], c[3]))
    return clusters


def _agrees(versions: dict[str, tuple[Interval, ...]]) -> bool:
    return len(set(versions.values())) <= 1


def find_disagreements(spans: Iterable[CodedSpan], coders: Sequence[str]) -> list[Disagreement]:
    """Clusters where ``coders`` differ, ordered by (document, start, code).

    Spans of other coders are ignored; a coder without spans in a cluster makes it a
    disagreement.
    """
    return [
        Disagreement(document_id, code, start, end, versions)
        for document_id, code, start, end, versions in _clusters(spans, coders)
        if not _agrees(versions)
    ]


def summarise(spans: Iterable[CodedSpan], coders: Sequence[str]) -> DisagreementSummary:
    """Count agreeing and disagreeing clusters, overall and per code."""
    by_code: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, code, _, _, versions in _clusters(spans, coders):
        by_code[code][0 if _agrees(versions) else 1] += 1
    agreed = sum(a for a, _ in by_code.values())
    disagreed = sum(d for _, d in by_code.values())
    return DisagreementSummary(agreed, disagreed, {code: (a, d) for code, (a, d) in sorted(by_code.items())})


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted union of ``[start, end)`` intervals; touching intervals merge."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def difference(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """``a`` minus ``b`` for sorted, disjoint interval lists (as ``union`` returns)."""
    out: list[Interval] = []
    j = 0
    for start, end in a:
        while j < len(b) and b[j][1] <= start:
            j += 1
        k = j
        while k < len(b) and b[k][0] < end:
            if b[k][0] > start:
                out.append((start, b[k][0]))
            start = max(start, b[k][1])
            k += 1
        if start < end:
            out.append((start, end))
    return out


def intersection(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """``a`` ∩ ``b`` for sorted, disjoint interval lists."""
    return difference(a, difference(a, b))


def character_disagreement_runs(
    spans: Iterable[CodedSpan],
    document_id: int,
    code: str,
    coder_a: str,
    coder_b: str,
    included: Sequence[Interval] | None = None,
) -> list[DisagreementRun]:
    """Maximal runs of one document where, for ``code``, only ``coder_a`` or only ``coder_b``
    coded the characters, sorted by start; optionally restricted to ``included`` ranges."""
    mine: dict[str, list[Interval]] = {coder_a: [], coder_b: []}
    for s in spans:
        if s.document_id == document_id and s.code == code and s.coder in mine:
            mine[s.coder].append((s.start, s.end))
    a, b = union(mine[coder_a]), union(mine[coder_b])
    if included is not None:
        scope = union(included)
        a, b = intersection(a, scope), intersection(b, scope)
    runs = [DisagreementRun(s, e, coder_a) for s, e in difference(a, b)]
    runs += [DisagreementRun(s, e, coder_b) for s, e in difference(b, a)]
    return sorted(runs, key=lambda r: (r.start, r.end))
