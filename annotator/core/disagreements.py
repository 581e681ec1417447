"""Where coders disagree: clusters of overlapping spans to review, and character runs to show.

Spans of one document and code are *clustered* when they overlap (share at least one
character), across coders and transitively; touching spans do not overlap. A cluster is an
agreement when every coder has exactly the same spans in it (the same boundaries, the same
segmentation); otherwise it is a ``Disagreement`` listing each coder's version.

One coder's overlapping spans of a code are first merged into one (touching ones stay apart),
as the statistics do (``agreement_table``): alice [40, 50) + [45, 60) against bob [40, 60) is
an agreement, as κ = αU = 1 says, and versions list the merged spans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from annotator.core.agreement_table import SpanColumns
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
        members = _merge_own(members)
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


def _merge_own(members: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Each coder's overlapping spans merged (touching ones kept apart), sorted by start."""
    merged: dict[str, list[list[int]]] = defaultdict(list)
    for start, end, coder in sorted(members):
        mine = merged[coder]
        if mine and start < mine[-1][1]:
            mine[-1][1] = max(mine[-1][1], end)
        elif not mine or (start, end) != tuple(mine[-1]):
            mine.append([start, end])
    return sorted((s, e, coder) for coder, spans in merged.items() for s, e in spans)


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


def clip_to_zones(
    spans: Iterable[CodedSpan], included: Mapping[int, Sequence[Interval] | None]
) -> list[CodedSpan]:
    """Spans cut to the included text of their documents, as the statistics see them.

    ``included`` maps a document id to its included ranges (None: all of it; a document not
    in it keeps its spans whole). A span crossing excluded text becomes one span per included
    part; a span entirely in excluded text is dropped.
    """
    scopes = {doc: None if ranges is None else union(ranges) for doc, ranges in included.items()}
    out: list[CodedSpan] = []
    for s in spans:
        scope = scopes.get(s.document_id)
        if scope is None:
            out.append(s)
            continue
        out += [
            CodedSpan(s.document_id, s.code, s.coder, start, end)
            for start, end in intersection([(s.start, s.end)], scope)
            if end > start
        ]
    return out


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


def find_disagreements_in_columns(columns: SpanColumns) -> list[Disagreement]:
    """``find_disagreements`` over ``SpanColumns`` (every coder of ``columns.coders`` asked about),
    clustered with numpy: the same clusters, in the same order, for hundreds of thousands of spans.

    Rows are sorted by (document, code, start, end, coder) and de-duplicated; a cluster starts
    where a span starts at or after the furthest end so far in its document and code. A cluster
    agrees when each of its distinct spans was coded by every coder.
    """
    keep = (columns.code_index >= 0) & (columns.coder_index >= 0) & (columns.end > columns.start)
    table = np.stack(
        [
            columns.document_id[keep],
            columns.code_index[keep],
            columns.start[keep],
            columns.end[keep],
            columns.coder_index[keep],
        ],
        axis=1,
    )
    if table.size == 0:
        return []
    table = _merge_own_columns(table)
    table = table[np.lexsort(table.T[::-1])]  # by document, code, start, end, coder
    doc, code, start, end, coder = table.T
    group_start = np.ones(len(table), dtype=bool)
    group_start[1:] = (doc[1:] != doc[:-1]) | (code[1:] != code[:-1])
    group = np.cumsum(group_start)
    # The furthest end so far, restarted in each group: groups are offset so they never mix.
    big = int(end.max()) + 1
    reach = np.maximum.accumulate(group * big + end) - group * big
    new_cluster = group_start.copy()
    new_cluster[1:] |= start[1:] >= reach[:-1]
    cluster_starts = np.flatnonzero(new_cluster)
    # Rows sharing (cluster, start, end) are adjacent; count the coders of each distinct span.
    new_span = new_cluster.copy()
    new_span[1:] |= (start[1:] != start[:-1]) | (end[1:] != end[:-1])
    span_starts = np.flatnonzero(new_span)
    coders_per_span = np.diff(np.append(span_starts, len(table)))
    cluster_of_span = np.cumsum(new_cluster)[span_starts] - 1
    fewest = np.full(len(cluster_starts), len(columns.coders), dtype=np.int64)
    np.minimum.at(fewest, cluster_of_span, coders_per_span)
    cluster_ends = np.append(cluster_starts[1:], len(table))
    found: list[Disagreement] = []
    disputed = fewest < len(columns.coders)
    starts, ends, coder_list = start.tolist(), end.tolist(), coder.tolist()
    names = columns.coders
    for first, last, hull_end in zip(
        cluster_starts[disputed].tolist(),
        cluster_ends[disputed].tolist(),
        reach[cluster_ends[disputed] - 1].tolist(),
        strict=True,
    ):
        versions: dict[str, list[Interval]] = {c: [] for c in names}
        for i in range(first, last):
            versions[names[coder_list[i]]].append((starts[i], ends[i]))
        found.append(
            Disagreement(
                int(doc[first]),
                columns.codes[code[first]],
                starts[first],
                hull_end,
                {name: tuple(v) for name, v in versions.items()},
            )
        )
    found.sort(key=lambda x: (x.document_id, x.start, x.code, x.end))
    return found


def _merge_own_columns(table: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Rows (document, code, start, end, coder) with each coder's overlapping spans of a code in a
    document merged into one (touching ones kept apart; duplicates counted once)."""
    table = table[np.lexsort((table[:, 3], table[:, 2], table[:, 1], table[:, 0], table[:, 4]))]
    doc, code, start, end, coder = table.T
    group_start = np.ones(len(table), dtype=bool)
    group_start[1:] = (doc[1:] != doc[:-1]) | (code[1:] != code[:-1]) | (coder[1:] != coder[:-1])
    group = np.cumsum(group_start)
    big = int(end.max()) + 1
    reach = np.maximum.accumulate(group * big + end) - group * big  # furthest end so far, per group
    new_span = group_start.copy()
    new_span[1:] |= start[1:] >= reach[:-1]
    first = np.flatnonzero(new_span)
    last = np.append(first[1:] - 1, len(table) - 1)
    merged = table[first].copy()
    merged[:, 3] = reach[last]
    return merged
