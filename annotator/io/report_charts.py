"""Report charts with matplotlib: the same figures in the Reports window, the CLI and HTML reports.

Each ``*_figure`` function turns one report into a :class:`matplotlib.figure.Figure` built without
``pyplot`` (no global state, no GUI): the CLI saves it headless (Agg, SVG and PDF renderers), the
Reports window puts it on a Qt canvas, the HTML report inlines its SVG.

- frequencies: horizontal bars per code, the coders side by side (Okabe–Ito colours, safe for
  colour-blind readers);
- crosstab and co-occurrence: a heatmap (``cividis`` / ``viridis``, perceptually uniform and
  colour-blind safe), each cell labelled with its figure when the grid is small enough to read;
- positions: codes × (start, middle, end) and codes × chapter heatmaps;
- one work: a strip per code along the text in the code's colour, chapter starts marked.

User text (code paths, values, titles) is drawn as given: mathtext is off, so ``$x$`` in a code
name stays ``$x$``. Importing this module imports matplotlib, so callers import it lazily.
"""

from __future__ import annotations

import gc
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import offset_copy

from annotator.core.reports.cooccurrence import CooccurrenceReport
from annotator.core.reports.crosstab import CrosstabReport
from annotator.core.reports.data import ALL_CODERS
from annotator.core.reports.frequencies import FrequencyReport
from annotator.core.reports.positions import PARTS, DocumentStrip, PositionReport
from annotator.core.validation import InvalidInputError
from annotator.io.atomic import atomic_write_text

FORMATS = ("png", "svg", "pdf")
# Okabe & Ito (2008), "Color Universal Design": distinguishable under every common colour blindness.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
HEATMAP = "cividis"
COOCCURRENCE_MAP = "viridis"
LABELLED_CELLS = 100  # above this many cells the numbers are hard to read (and each costs ~1 ms)
DPI = 100  # PNG: for screens and slides (SVG and PDF are vector, for print)
_LABEL_CHARS = 40
_CHAR_INCHES = 0.075  # the width of a character of a 9-point label, about
_CELL_INCHES = 0.4  # a heatmap column
_COLOUR_BAR_INCHES = 0.35  # a colour bar beside a heatmap and its gap
_COLOUR_BAR_LABELS = 0.9  # its tick labels and title, right of it
_TICK_POINTS = 3.5  # the gap between an axis and its category labels
_RC: dict[str, Any] = {
    "text.parse_math": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "annotator",
    "font.size": 9,
}

Report = FrequencyReport | CrosstabReport | CooccurrenceReport | PositionReport | DocumentStrip


@contextmanager
def _style() -> Iterator[None]:
    """The charts' settings; the cyclic garbage collector paused meanwhile.

    A figure makes thousands of small objects, enough to set off full collections that walk
    every object of the process (a project's reports, the window): a third of a chart's time,
    at random. They are collected as usual once the figure is drawn."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        with matplotlib.rc_context(_RC):
            yield
    finally:
        if collecting:
            gc.enable()


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"


def _widest(labels: Sequence[str]) -> int:
    return max((len(_short(label)) for label in labels), default=0)


def _figure(
    row_labels: Sequence[str],
    *,
    row_height: float = 0.25,
    plot_width: float = 6.0,
    column_labels: Sequence[str] = (),
    right: float = 0.3,
) -> Figure:
    """A figure sized to its content: a left margin for the row labels, a bottom margin for the
    slanted column labels (or an axis label), ``row_height`` inches per row. Margins are set
    here rather than by a layout engine, which would draw the figure once more to measure it."""
    left = _widest(row_labels) * _CHAR_INCHES + 0.35
    bottom = (_widest(column_labels) * _CHAR_INCHES * 0.72 + 0.3) if column_labels else 0.55
    top = 0.45
    width = left + plot_width + right
    height = min(max(1.2, len(row_labels) * row_height) + top + bottom, 40.0)
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height
    )
    return fig


def _row_labels(ax: Axes, labels: Sequence[str]) -> None:
    """A label left of each row ``0, 1, …`` (data units), drawn as plain text artists.

    Category labels are not axis ticks: a tick is two lines and two texts, built, measured and
    drawn, which for 30 codes on two axes was about half of a chart's time."""
    ax.set_yticks([])
    where = offset_copy(ax.get_yaxis_transform(), cast(Figure, ax.figure), x=-_TICK_POINTS, units="points")
    for row, label in enumerate(labels):
        ax.text(0, row, _short(label), transform=where, ha="right", va="center", clip_on=False)


def _column_labels(ax: Axes, labels: Sequence[str]) -> None:
    """A label under each column ``0, 1, …``, slanted so long names fit (see :func:`_row_labels`)."""
    ax.set_xticks([])
    where = offset_copy(ax.get_xaxis_transform(), cast(Figure, ax.figure), y=-_TICK_POINTS, units="points")
    for column, label in enumerate(labels):
        ax.text(
            column,
            0,
            _short(label),
            transform=where,
            rotation=45,
            rotation_mode="anchor",
            ha="right",
            va="top",
            clip_on=False,
        )


def chart_format(path: str | os.PathLike[str]) -> str:
    """The format a chart file's name asks for (png, svg or pdf), or a one-line error."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidInputError(f"a chart is saved as .png, .svg or .pdf, not {Path(path).name!r}")
    return suffix


def frequency_figure(report: FrequencyReport, measure: str = "segments") -> Figure:
    """Bars per code of ``measure`` (segments, documents, characters, share), one bar per coder."""
    coders = [c for c in report.coders if c != ALL_CODERS] or [ALL_CODERS]
    codes = list(dict.fromkeys(row.code for row in report.rows))
    values = {(row.code, row.coder): getattr(row, measure) or 0 for row in report.rows}
    with _style():
        legend = _widest(["coder", *coders]) * _CHAR_INCHES + 0.7 if len(coders) > 1 else 0.3
        fig = _figure(codes, row_height=0.1 + 0.13 * len(coders), right=legend)
        ax = fig.add_subplot()
        y = np.arange(len(codes), dtype=float)
        height = 0.8 / len(coders)
        for i, coder in enumerate(coders):
            shown = [
                float(values.get((code, coder), 0)) * (100 if measure == "share" else 1) for code in codes
            ]
            label = "all coders" if coder == ALL_CODERS else _short(coder)
            offset = (i - (len(coders) - 1) / 2) * height
            bars = ax.barh(y + offset, shown, height=height, label=label, color=OKABE_ITO[i % len(OKABE_ITO)])
            for j, bar in enumerate(bars):
                bar.set_gid(f"bar-{i}-{j}")  # coder i, code j: an id in the SVG, for readers and tests
        _row_labels(ax, codes)
        ax.invert_yaxis()
        unit = {"share": "% of text in scope", "characters": "coded characters"}.get(measure, measure)
        ax.set_xlabel(f"{unit} ({report.works} works)")
        ax.set_title(f"Code frequencies: {unit}")
        if codes and len(coders) > 1:
            ax.legend(title="coder", loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
        _empty_note(ax, not codes, "no codes in scope")
    return fig


def _heatmap(
    ax: Axes,
    matrix: np.ndarray,
    rows: Sequence[str],
    columns: Sequence[str],
    cmap: str,
    label: str,
    digits: int,
    top: float | None = None,
    labelled: bool | None = None,
    rows_labelled: bool = True,
) -> None:
    masked = np.ma.masked_invalid(matrix)
    # A fixed scale from 0 (to 100 for percentages): colours compare across charts.
    # Colours are mapped on the small matrix, then its cells scaled up ("rgba"): mapping the
    # scaled-up picture instead cost more than the whole matrix.
    image = ax.imshow(
        masked, cmap=cmap, aspect="auto", interpolation="none", interpolation_stage="rgba", vmin=0, vmax=top
    )
    if rows_labelled:
        _row_labels(ax, rows)
    else:
        ax.set_yticks([])
    _column_labels(ax, columns)
    # A bar 0.15 inch thick and 80% of the heatmap's height, whatever its size (``fraction`` is
    # of the axes' width, ``aspect`` the bar's length over its thickness).
    box, fig = ax.get_position(), cast(Figure, ax.figure)
    wide, tall = box.width * fig.get_figwidth(), box.height * fig.get_figheight()
    fig.colorbar(
        image,
        ax=ax,
        label=label,
        shrink=0.8,
        fraction=0.15 / max(wide, 0.5),
        pad=0.1 / max(wide, 0.5),
        aspect=max(0.8 * tall / 0.15, 5.0),
    )
    if matrix.size and (matrix.size <= LABELLED_CELLS if labelled is None else labelled):
        finite = matrix[np.isfinite(matrix)]
        middle = ((top or (finite.max() if finite.size else 0.0)) or 1.0) / 2
        for (r, c), value in np.ndenumerate(matrix):
            if np.isfinite(value):
                colour = "white" if value < middle else "black"
                ax.text(c, r, f"{value:.{digits}f}", ha="center", va="center", fontsize=7, color=colour)


def crosstab_figure(report: CrosstabReport) -> Figure:
    """Codes × values: % of the works with each value that have the code."""
    matrix = np.array(
        [
            [np.nan if (p := report.cell(code, v).percent_documents) is None else p for v in report.values]
            for code in report.codes
        ],
        dtype=float,
    ).reshape(len(report.codes), len(report.values))
    with _style():
        fig = _figure(
            report.codes,
            plot_width=max(2.0, _CELL_INCHES * len(report.values)) + _COLOUR_BAR_INCHES,
            column_labels=report.values,
            right=_COLOUR_BAR_LABELS,
        )
        ax = fig.add_subplot()
        _heatmap(ax, matrix, report.codes, report.values, HEATMAP, "% of works with the code", 0, 100)
        ax.set_title(f"Codes by {_short(report.attribute)}")
        _empty_note(ax, not matrix.size, "no codes or works in scope")
    return fig


def cooccurrence_matrix(report: CooccurrenceReport) -> np.ndarray:
    """The pairs of every two codes (symmetric; the diagonal is NaN: a code with itself)."""
    index = {code: i for i, code in enumerate(report.codes)}
    matrix = np.zeros((len(report.codes), len(report.codes)))
    for cell in report.cells:
        a, b = index[cell.code_a], index[cell.code_b]
        matrix[a, b] = matrix[b, a] = cell.pairs
    np.fill_diagonal(matrix, np.nan)
    return matrix


def cooccurrence_figure(report: CooccurrenceReport) -> Figure:
    with _style():
        n = len(report.codes)
        fig = _figure(
            report.codes,
            plot_width=max(2.0, 0.3 * n) + _COLOUR_BAR_INCHES,
            column_labels=report.codes,
            right=_COLOUR_BAR_LABELS,
        )
        ax = fig.add_subplot()
        _heatmap(
            ax, cooccurrence_matrix(report), report.codes, report.codes, COOCCURRENCE_MAP, "segment pairs", 0
        )
        ax.set_title(f"Co-occurrence ({report.proximity.describe()})")
        _empty_note(ax, not n, "no codes in scope")
    return fig


def positions_figure(report: PositionReport) -> Figure:
    """Segments of each code by the third of the work they start in, and by chapter."""
    parts = np.array(report.by_part, dtype=float).reshape(len(report.codes), len(PARTS))
    chapters = np.array(report.by_chapter, dtype=float).reshape(len(report.codes), len(report.chapters))
    with _style():
        columns = [f"ch {c}" if c.isdigit() else "no chapter" for c in report.chapters]
        widths = [
            _CELL_INCHES * len(PARTS) + _COLOUR_BAR_INCHES,
            _CELL_INCHES * len(columns) + _COLOUR_BAR_INCHES,
        ]
        fig = _figure(
            report.codes,
            plot_width=sum(widths) + _COLOUR_BAR_LABELS,
            column_labels=[*PARTS, *columns],
            right=_COLOUR_BAR_LABELS,
        )
        first, second = fig.subplots(
            1, 2, width_ratios=widths, gridspec_kw={"wspace": _COLOUR_BAR_LABELS / (sum(widths) / 2)}
        )
        labelled = parts.size + chapters.size <= LABELLED_CELLS  # both or neither
        _heatmap(first, parts, report.codes, PARTS, HEATMAP, "segments", 0, labelled=labelled)
        first.set_title("By part of the work")
        _heatmap(
            second,
            chapters,
            report.codes,
            columns,
            HEATMAP,
            "segments",
            0,
            labelled=labelled,
            rows_labelled=False,
        )
        second.set_title("By chapter")
        _empty_note(first, not report.codes, "no codes in scope")
    return fig


def strip_figure(strip: DocumentStrip, colours: Mapping[str, str] | None = None) -> Figure:
    """A strip per code along the work (in the code's colour), a line at each chapter start."""
    colours = colours or {}
    with _style():
        fig = _figure(strip.codes, row_height=0.35, plot_width=8.0)
        ax = fig.add_subplot()
        length = max(strip.length, 1)
        by_code: dict[str, list[tuple[int, int]]] = {code: [] for code in strip.codes}
        for span in strip.spans:
            by_code[span.code].append((span.start, max(span.end - span.start, length // 1000, 1)))
        for row, code in enumerate(strip.codes):
            colour = colours.get(code) or OKABE_ITO[row % len(OKABE_ITO)]
            ax.broken_barh(by_code[code], (row - 0.4, 0.8), facecolors=colour, edgecolors="none")
        for number, start, _ in strip.chapters:
            ax.axvline(start, color="0.35", linewidth=0.8, linestyle="--")
            ax.text(start, -0.6, f" ch {number}", fontsize=7, va="bottom", ha="left", color="0.25")
        _row_labels(ax, strip.codes)
        ax.set_ylim(len(strip.codes) - 0.5, -0.9)
        ax.set_xlim(0, length)
        ax.set_xlabel("position in the text (characters)")
        ax.set_title(_short(f"{strip.document_id}: {strip.title}"))
        _empty_note(ax, not strip.codes, "no segments in scope")
    return fig


def _empty_note(ax: Axes, empty: bool, text: str) -> None:
    if empty:
        ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="0.4")


def report_figure(report: Report, colours: Mapping[str, str] | None = None) -> Figure:
    """The chart of any counting report."""
    if isinstance(report, FrequencyReport):
        return frequency_figure(report)
    if isinstance(report, CrosstabReport):
        return crosstab_figure(report)
    if isinstance(report, CooccurrenceReport):
        return cooccurrence_figure(report)
    if isinstance(report, PositionReport):
        return positions_figure(report)
    return strip_figure(report, colours)


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """``fig`` rendered as PNG, SVG or PDF (no date in the metadata: the same report, the same file)."""
    buffer = io.BytesIO()
    metadata: dict[str, str | None] = (
        {"Date": None} if fmt == "svg" else {"CreationDate": None} if fmt == "pdf" else {}
    )
    with _style():
        # The lightest PNG compression: a fraction of the encoding time for a slightly larger file.
        extra: dict[str, Any] = {"pil_kwargs": {"compress_level": 1}} if fmt == "png" else {}
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata, **extra)
    return buffer.getvalue()


def figure_svg(fig: Figure) -> str:
    """The ``<svg>`` element of ``fig``, without XML declaration or doctype, for inlining in HTML."""
    text = figure_bytes(fig, "svg").decode("utf-8")
    return text[text.index("<svg") :]


def write_chart(fig: Figure, path: str | os.PathLike[str]) -> str:
    """Save ``fig`` atomically in the format ``path``'s suffix names; return that format."""
    fmt = chart_format(path)
    data = figure_bytes(fig, fmt)
    # The binary data goes to the text file's buffer: nothing is written as text, so no BOM.
    atomic_write_text(path, lambda out: out.buffer.write(data))
    return fmt
