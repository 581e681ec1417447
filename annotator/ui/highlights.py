"""Which of a document's annotations the viewer shows, and how: ``AnnotationInfo`` → ``Highlight``.

The current coder's annotations are always shown; other coders' only when the researcher asks,
and then dimmed, so one's own coding stays readable next to a colleague's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.types import AnnotationInfo, CodeInfo, CoderInfo
from annotator.ui.viewer import Highlight

UNKNOWN_COLOUR = "#888888"


@dataclass(frozen=True)
class HighlightContext:
    """What the conversion needs to know: codes and coders by id, who is coding, what is shown."""

    codes: dict[int, CodeInfo]
    coders: dict[int, CoderInfo]
    coder_id: int
    show_others: bool

    def visible(self, annotation: AnnotationInfo) -> bool:
        return annotation.coder_id == self.coder_id or self.show_others

    def highlight(self, annotation: AnnotationInfo) -> Highlight:
        code = self.codes.get(annotation.code_id)
        coder = self.coders.get(annotation.coder_id)
        return Highlight(
            annotation_id=annotation.id,
            start=annotation.start,
            end=annotation.end,
            colour=code.colour if code else UNKNOWN_COLOUR,
            code_name=code.name if code else "(deleted code)",
            coder_name=coder.name if coder else "",
            memo=annotation.memo,
            dimmed=annotation.coder_id != self.coder_id,
        )

    def highlights(self, annotations: Iterable[AnnotationInfo]) -> list[Highlight]:
        return [self.highlight(a) for a in annotations if self.visible(a)]

    def hidden_count(self, annotations: Iterable[AnnotationInfo]) -> int:
        return sum(1 for a in annotations if not self.visible(a))
