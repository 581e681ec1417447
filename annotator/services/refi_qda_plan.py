"""Where a ``.qdpx``'s selections fall, decided before any transaction: texts, convention, offsets.

Each text source's plain text becomes annotator's stored text (:class:`PositionMap`); the file's
position convention is detected over all its selections at once; each selection is placed exactly
or listed with the reason it could not be (never moved). Sources without text are listed too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from annotator.io.csv_segments import parse_timestamp
from annotator.io.refi_qda.model import QdaCode, QdaProject, QdaSelection, QdaTextSource
from annotator.io.refi_qda.positions import PositionMap, detect_convention
from annotator.store.models import utcnow


@dataclass
class Placed:
    """A selection and the stored offsets it lands on."""

    selection: QdaSelection
    start: int
    end: int


@dataclass
class PlacedSource:
    qda: QdaTextSource
    positions: PositionMap
    placed: list[Placed] = field(default_factory=list)


class Plan:
    """Everything decided before the transaction: texts, the convention, where selections fall."""

    def __init__(self, project: QdaProject, file_name: str) -> None:
        self.file_name = file_name
        self.sources: list[PlacedSource] = []
        self.skipped = [
            f"{name}: a {kind} source (only text sources are imported)"
            for name, kind in project.skipped_sources
        ]
        self.unplaced: list[str] = []
        for qda in project.sources:
            if qda.raw is None:
                self.skipped.append(f"{qda.name}: {qda.problem}")
                continue
            source = PlacedSource(qda, PositionMap(qda.raw))
            if not source.positions.text.strip():
                self.skipped.append(f"{qda.name}: the text is empty")
                continue
            self.sources.append(source)
        self.convention, scores = detect_convention(
            [(s.positions, [(sel.start, sel.end) for sel in s.qda.selections]) for s in self.sources],
            project.origin,
        )
        self.scores = tuple(
            f"{s.convention}: {s.placed} placed, {s.on_word_edges} ends on word edges" for s in scores
        )
        self.convention_shown = self.convention
        if not any(source.qda.selections for source in self.sources):
            self.convention_shown += " (no selections to check; from the file's origin)"
        for source in self.sources:
            for selection in source.qda.selections:
                start = source.positions.stored(selection.start, self.convention)
                end = source.positions.stored(selection.end, self.convention)
                if start is None or end is None or start >= end:
                    why = _why(source.positions, selection, self.convention)
                    self.unplaced.append(
                        f"{source.qda.name}: selection {selection.start}–{selection.end} "
                        f"({len(selection.codings)} coding(s)) {why}"
                    )
                    continue
                source.placed.append(Placed(selection, start, end))


def _why(positions: PositionMap, selection: QdaSelection, convention: str) -> str:
    length = positions.length(convention)
    if selection.start < 0 or selection.end > length:
        return f"is outside the text ({length} positions in {convention})"
    if selection.start >= selection.end:
        return "is empty or reversed"
    return f"falls inside a character or line end ({convention}); not moved"


def codes_with_paths(
    codes: tuple[QdaCode, ...], path: tuple[str, ...] = ()
) -> Iterator[tuple[QdaCode, tuple[str, ...]]]:
    for code in codes:
        yield code, path
        yield from codes_with_paths(code.children, (*path, code.name))


def storable_name(written: str, limit: int, fallback: str) -> str:
    """A vendor's name as annotator can store it: one line, within the limit, never empty."""
    return " ".join(written.split())[:limit].strip() or fallback


def order_of(name: str, default: int) -> int:
    number = name.removeprefix("annotation ")
    return int(number) if number.isdigit() and len(number) < 19 else default


def time_of(value: str) -> datetime:
    try:
        parsed = parse_timestamp(value) if value else None
    except ValueError:  # a vendor's odd date is not worth refusing the project over
        parsed = None
    return parsed or utcnow()
