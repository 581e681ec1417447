"""Reliability bands for colouring agreement values (plain Python, tested without a display).

Krippendorff (2004, *Content Analysis*, 2nd ed., p. 241): rely only on variables with α ≥ .800;
consider those with .667 ≤ α < .800 only for tentative conclusions. Below that the table adds two
warning bands of its own: amber under .667 and red under .40. κ is coloured on the same scale as
a rough guide (its usual benchmarks, e.g. Landis & Koch 1977, are more lenient).
"""

from __future__ import annotations

TENTATIVE = 0.667
RELIABLE = 0.8
POOR = 0.4

RED, AMBER, YELLOW_GREEN, GREEN = "#f4b6b6", "#f9d9a0", "#e3eda4", "#b7e4b0"

THRESHOLDS_TOOLTIP = (
    "Colours follow Krippendorff's thresholds for α (Content Analysis, 2004, p. 241): "
    "green ≥ 0.80 reliable; yellow-green 0.667–0.80 tentative conclusions only; "
    "amber < 0.667 and red < 0.40 not acceptable. κ uses the same colours as a rough guide."
)


def band(value: float | None) -> str:
    """``"reliable"``, ``"tentative"``, ``"low"``, ``"poor"`` or ``"undefined"``."""
    if value is None:
        return "undefined"
    if value >= RELIABLE:
        return "reliable"
    if value >= TENTATIVE:
        return "tentative"
    return "low" if value >= POOR else "poor"


def band_colour(value: float | None) -> str | None:
    """The background for a value, or None (undefined values are not coloured)."""
    return {"reliable": GREEN, "tentative": YELLOW_GREEN, "low": AMBER, "poor": RED}.get(band(value))
