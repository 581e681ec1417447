"""Report charts: the files open, in the asked format, and hold the report's series and labels."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from matplotlib.image import imread

from annotator.core.reports.cooccurrence import CooccurrenceCell, CooccurrenceReport, Proximity
from annotator.core.reports.crosstab import CrosstabCell, CrosstabReport
from annotator.core.reports.frequencies import FrequencyReport, FrequencyRow
from annotator.core.reports.positions import DocumentStrip, PositionReport, StripSpan
from annotator.core.validation import InvalidInputError
from annotator.io import report_charts as charts

SVG = "{http://www.w3.org/2000/svg}"


def _frequencies(coders: tuple[str, ...] = ("ana", "ben", "(all coders)")) -> FrequencyReport:
    rows = tuple(
        FrequencyRow(code, 0, coder, segments, 1, 10 * segments, 0.1)
        for code, base in (("Angst", 3), ("Humour $x$", 5))
        for coder, segments in zip(coders, (base, base + 1, 2 * base + 1), strict=False)
    )
    return FrequencyReport(coders, rows, works=2, characters_in_scope=1000)


def _svg(fig: object) -> ET.Element:
    return ET.fromstring(charts.figure_bytes(fig, "svg"))  # type: ignore[arg-type]


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _bars(root: ET.Element) -> dict[str, float]:
    """Each bar's id (``bar-CODER-CODE``) and its length in SVG units (a horizontal bar's width)."""
    found = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("id", "").startswith("bar-"):
            d = g.find(f"{SVG}path").get("d").split()  # type: ignore[union-attr]
            xs = [float(v) for v in d if v[0].isdigit() or v[0] == "-"][0::2]
            found[g.get("id", "")] = max(xs) - min(xs)
    return found


def test_frequency_bars_one_per_code_and_coder_with_code_names_as_written() -> None:
    root = _svg(charts.frequency_figure(_frequencies()))
    texts = _texts(root)
    assert "Angst" in texts and "Humour $x$" in texts  # no mathtext: the name as typed
    assert "ana" in texts and "ben" in texts  # the legend names the coders
    # 2 codes × 2 coders (the pooled figure is no bar beside the coders), as long as the counts.
    bars = _bars(root)
    assert sorted(bars) == ["bar-0-0", "bar-0-1", "bar-1-0", "bar-1-1"]
    unit = bars["bar-0-0"] / 3  # ana's Angst: 3 segments
    assert bars["bar-1-0"] == pytest.approx(4 * unit) and bars["bar-0-1"] == pytest.approx(5 * unit)
    assert bars["bar-1-1"] == pytest.approx(6 * unit)


def test_a_single_coder_has_no_legend() -> None:
    root = _svg(charts.frequency_figure(_frequencies(("(all coders)",))))
    assert sorted(_bars(root)) == ["bar-0-0", "bar-0-1"]
    assert "all coders" not in _texts(root)


def test_crosstab_heatmap_labels_each_cell_with_its_percentage() -> None:
    cells = (
        CrosstabCell("Angst", "Explicit", 4, 1, 25.0, 2, 1000, 1.0),
        CrosstabCell("Angst", "Teen", 2, 2, 100.0, 5, 500, 1.0),
        CrosstabCell("Fluff", "Explicit", 4, 0, 0.0, 0, 1000, 1.0),
        CrosstabCell("Fluff", "Teen", 2, 1, 50.0, 1, 500, 1.0),
    )
    report = CrosstabReport("rating", ("Explicit", "Teen"), ("Angst", "Fluff"), cells, False)
    texts = _texts(_svg(charts.crosstab_figure(report)))
    assert {"25", "100", "50", "Explicit", "Teen", "Angst", "Fluff"} <= set(texts)


def test_cooccurrence_matrix_is_symmetric_with_no_diagonal() -> None:
    cells = (
        CooccurrenceCell("A", "B", 3, 2, 2, 0.5),
        CooccurrenceCell("A", "C", 0, 0, 0, 0.0),
        CooccurrenceCell("B", "C", 7, 1, 1, 0.2),
    )
    report = CooccurrenceReport(Proximity(), ("A", "B", "C"), (4, 5, 6), cells)
    matrix = charts.cooccurrence_matrix(report)
    assert matrix[0, 1] == matrix[1, 0] == 3 and matrix[1, 2] == matrix[2, 1] == 7
    assert all(matrix[i, i] != matrix[i, i] for i in range(3))  # NaN: a code with itself
    assert {"3", "7", "0"} <= set(_texts(_svg(charts.cooccurrence_figure(report))))


def test_position_heatmaps_name_parts_and_chapters() -> None:
    report = PositionReport(("A", "B"), ("1", "2", "(none)"), ((1, 2, 3), (0, 0, 4)), ((1, 2, 0), (3, 0, 1)))
    texts = _texts(_svg(charts.positions_figure(report)))
    assert {"start", "middle", "end", "ch 1", "ch 2", "no chapter"} <= set(texts)


def test_strip_draws_each_span_in_its_code_colour_and_marks_chapters() -> None:
    strip = DocumentStrip(
        7,
        "A <b>title</b>",
        1000,
        ((1, 0, 400), (2, 400, 1000)),
        ("A", "B"),
        (StripSpan("A", "ana", 10, 50), StripSpan("A", "ben", 500, 600), StripSpan("B", "ana", 100, 900)),
    )
    root = _svg(charts.strip_figure(strip, {"A": "#ff0000", "B": "#00aa00"}))
    svg = ET.tostring(root, encoding="unicode")
    assert svg.count("fill: #ff0000") == 2 and svg.count("fill: #00aa00") == 1
    texts = _texts(root)
    assert " ch 1" in texts and " ch 2" in texts and "7: A <b>title</b>" in texts


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_write_chart_in_each_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"chart.{suffix.upper()}"
    fig = charts.frequency_figure(_frequencies())
    assert charts.write_chart(fig, path) == suffix
    data = path.read_bytes()
    if suffix == "png":
        image = imread(io.BytesIO(data))
        width, height = fig.get_size_inches() * charts.DPI
        assert image.shape[:2] == (round(height), round(width))
    elif suffix == "pdf":
        assert data.startswith(b"%PDF-") and b"CreationDate" not in data
    else:
        assert ET.fromstring(data).tag == f"{SVG}svg"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_an_unknown_chart_format_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"\.png, \.svg or \.pdf"):
        charts.write_chart(charts.frequency_figure(_frequencies()), tmp_path / "chart.jpg")
    assert not list(tmp_path.iterdir())


def test_an_empty_report_still_draws_and_says_so() -> None:
    empty = FrequencyReport(("(all coders)",), (), works=0, characters_in_scope=0)
    assert "no codes in scope" in _texts(_svg(charts.frequency_figure(empty)))
