"""Which of a document's annotations the viewer shows, and how: annotation → ``Highlight``.

The current coder's annotations are always shown; other coders' only when the researcher asks,
and then dimmed, so one's own coding stays readable next to a colleague's.

An open document's annotations arrive as lean ``HighlightRow`` tuples (see
:mod:`annotator.services.highlights`); a change arrives as ``AnnotationInfo`` values. Both go
through the same per-(code, coder) style, worked out once per pair rather than once per span.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.codebook import display_path
from annotator.core.types import AnnotationInfo, CodeInfo, CoderInfo
from annotator.services.highlights import HighlightRow
from annotator.ui.viewer import Highlight

UNKNOWN_COLOUR = "#888888"

_Style = tuple[str, str, str, bool]  # colour, code name, coder name, dimmed


@dataclass(frozen=True)
class HighlightContext:
    """What the conversion needs to know: codes and coders by id, who is coding, what is shown."""

    codes: dict[int, CodeInfo]
    coders: dict[int, CoderInfo]
    coder_id: int
    show_others: bool
    _styles: dict[tuple[int, int], _Style] = field(default_factory=dict, compare=False, repr=False)

    def shows(self, coder_id: int) -> bool:
        return coder_id == self.coder_id or self.show_others

    def visible(self, annotation: AnnotationInfo) -> bool:
        return self.shows(annotation.coder_id)

    def _style(self, code_id: int, coder_id: int) -> _Style:
        key = (code_id, coder_id)
        style = self._styles.get(key)
        if style is None:
            code = self.codes.get(code_id)
            coder = self.coders.get(coder_id)
            style = self._styles[key] = (
                code.colour if code else UNKNOWN_COLOUR,
                display_path(code.path) if code else "(deleted code)",
                coder.name if coder else "",
                coder_id != self.coder_id,
            )
        return style

    def highlight(self, annotation: AnnotationInfo) -> Highlight:
        a = annotation
        colour, code_name, coder_name, dimmed = self._style(a.code_id, a.coder_id)
        return Highlight(a.id, a.start, a.end, colour, code_name, coder_name, a.memo, dimmed)

    def highlights(self, rows: Iterable[HighlightRow]) -> list[Highlight]:
        """The shown rows as highlights: ~1 µs a row, the open of a heavily coded work."""
        styles, style, make = self._styles, self._style, Highlight._make
        me, everyone = self.coder_id, self.show_others
        shown: list[Highlight] = []
        add = shown.append
        for aid, start, end, code_id, coder_id, memo in rows:
            if coder_id != me and not everyone:
                continue
            colour, code, coder, dimmed = styles.get((code_id, coder_id)) or style(code_id, coder_id)
            add(make((aid, start, end, colour, code, coder, memo, dimmed)))
        return shown

    def hidden_count(self, rows: Iterable[HighlightRow]) -> int:
        if self.show_others:
            return 0
        me = self.coder_id
        return sum(1 for row in rows if row[4] != me)
