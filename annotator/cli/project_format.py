"""Plain-text output of ``annotator info`` and ``annotator demo``: aligned tables a terminal can show.

Titles, code paths, coder names and attributes come from imported files and other people's
CSVs: every cell and value passes through ``terminal.safe``, so none can steer the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.cli.terminal import safe
from annotator.store.project_summary import ProjectInfo

MAX_TITLE = 48
MAX_ATTRIBUTES = 60


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> list[str]:
    """Columns padded to their widest cell; the columns in ``numeric`` are right-aligned."""
    shown = [[safe(cell) for cell in row] for row in (header, *rows)]
    widths = [max(len(row[i]) for row in shown) for i in range(len(header))]
    lines = []
    for row in shown:
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [cell.rjust(w) if i in numeric else cell.ljust(w) for i, (cell, w) in pairs]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines


def _attributes(attributes: dict[str, list[str]]) -> str:
    text = "; ".join(f"{name}: {', '.join(values)}" for name, values in attributes.items())
    return _short(text, MAX_ATTRIBUTES)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def info_lines(info: ProjectInfo) -> list[str]:
    lines = [
        f"Project: {safe(info.location)}",
        f"{_plural(len(info.documents), 'document')}, {_plural(len(info.codes), 'code')}, "
        f"{_plural(len(info.coders), 'coder')}, {_plural(info.annotation_count, 'annotation')}",
    ]
    if info.documents:
        header = ("id", "title", "characters", "annotations", "attributes")
        rows: list[tuple[str, ...]] = [
            (
                str(d.id),
                _short(d.title, MAX_TITLE),
                f"{d.length:,}",
                f"{d.annotation_count:,}",
                _attributes(d.attributes),
            )
            for d in info.documents
        ]
        lines += ["", "Documents", *table(header, rows, (0, 2, 3))]
    if info.codes:
        rows = [(str(c.id), c.path, f"{c.count:,}") for c in info.codes]
        lines += ["", "Codes", *table(("id", "path", "annotations"), rows, (0, 2))]
    if info.coders:
        rows = [(c.name, c.role, f"{c.count:,}") for c in info.coders]
        lines += ["", "Coders", *table(("name", "role", "annotations"), rows, (2,))]
    return lines


def demo_lines(info: ProjectInfo, created: bool) -> list[str]:
    where = safe(info.location)
    return [
        f"{'Created' if created else 'Reopened'} the demo project: {where}",
        f"  {_plural(len(info.documents), 'work')}, {_plural(len(info.codes), 'code')} "
        f"(fandom codebook), {_plural(info.annotation_count, 'annotation')}",
        f"  look inside:  annotator info {where}",
        f"  open it:      annotator gui {where}",
    ]
