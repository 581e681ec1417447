"""The values agreement statistics are computed from: coded spans and the continua they lie on.

They live apart from :mod:`annotator.core.agreement` (which re-exports them) so that the columnar
engine (:mod:`annotator.core.agreement_table`), αU (:mod:`annotator.core.unitizing`) and the
disagreement finder (:mod:`annotator.core.disagreements`) can import them without importing the
module that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CodedSpan", "Continuum"]


@dataclass(frozen=True, slots=True)
class CodedSpan:
    """One coder's application of one code to ``[start, end)`` (code points) of a document."""

    document_id: int
    code: str
    coder: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Continuum:
    """A document of ``length`` code points; ``included`` ranges (None: all of it) are in scope."""

    document_id: int
    length: int
    included: tuple[tuple[int, int], ...] | None = None
