"""``FamilyTable``: Krippendorff's 2016 unitizing family beside the 2004 αU, per code.

One row per code and measure: uα and (k)uα for each code, uα, |uα and cuα for all codes
(``"*"``), each with the source it is defined in, the bootstrap interval when intervals were
computed, and the reason when undefined. Code paths and notes are user data: plain items only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from annotator.core.agreement import ALL_CODES
from annotator.core.agreement_report import LABELS, SOURCES
from annotator.core.unitizing_2016 import MEASURES
from annotator.services.agreement import AgreementResult
from annotator.ui.team.agreement_details import INTERVAL_TOOLTIP, ResultTable, format_interval
from annotator.ui.team.agreement_table import code_heading, format_statistic, wrapped_tooltip
from annotator.ui.team.bands import THRESHOLDS_TOOLTIP

FAMILY_COLUMNS = ("Code", "Measure", "Value", "95% CI", "Source", "Notes")
ABOUT = {
    "u_alpha_2016": "uα: units and gaps of every coder as values of one nominal coincidence matrix.",
    "bar_u_alpha_2016": "|uα: coded versus not coded, whatever the code.",
    "cu_alpha_2016": "cuα: which code, only where units of different coders overlap.",
    "k_u_alpha_2016": "(k)uα: this code within cuα's matrices (where units overlap).",
}


class FamilyTable(ResultTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(FAMILY_COLUMNS, parent)
        header_item = self.horizontalHeaderItem(3)
        if header_item is not None:
            header_item.setToolTip(wrapped_tooltip(INTERVAL_TOOLTIP))

    def show_result(self, result: AgreementResult | None) -> None:
        self.setRowCount(0)
        if result is None:
            return
        minimum = result.bootstrap.min_alpha if result.bootstrap is not None else 0.0
        for code in result.codes:
            family = result.family_2016(code)
            if family is None:
                continue
            for measure in MEASURES:
                coefficient = getattr(family, measure)
                if coefficient.value is None and not coefficient.note:
                    continue  # the measure does not apply to this row (e.g. |uα of one code)
                row = self.rowCount()
                self.insertRow(row)
                self._put(row, 0, code_heading(code))
                self._put(row, 1, LABELS[measure], tip=ABOUT[measure])
                value = coefficient.value
                self._put(row, 2, format_statistic(value), value, f"{ABOUT[measure]}\n\n{THRESHOLDS_TOOLTIP}")
                self._put(row, 3, format_interval(result.family_interval(measure, code), minimum))
                self._put(row, 4, SOURCES[measure])
                self._put(row, 5, coefficient.note, tip=coefficient.note)

    def rows_for(self, code: str = ALL_CODES) -> dict[str, tuple[str, ...]]:
        """The shown rows of ``code`` by measure label: (value, interval, source, notes)."""
        heading = code_heading(code)
        return {
            self.text_at(r, 1): tuple(self.text_at(r, c) for c in range(2, 6))
            for r in range(self.rowCount())
            if self.text_at(r, 0) == heading
        }
