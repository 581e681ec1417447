"""Several coders in the desktop app: merging coders' copies, agreement, comparison, adjudication.

The names below are imported on first use (PEP 562): the main window imports the Team menu
(``annotator.ui.team.menu``) at start-up, which loads this package, and the dialogs behind it
bring the statistics and adjudication (numpy among them) that the first window does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.ui.team.agreement_dialog import AgreementDialog
    from annotator.ui.team.comparison_window import ComparisonWindow
    from annotator.ui.team.merge_action import MergeAction, MergeReportDialog

__all__ = ["AgreementDialog", "ComparisonWindow", "MergeAction", "MergeReportDialog"]

_MODULES = {
    "AgreementDialog": "annotator.ui.team.agreement_dialog",
    "ComparisonWindow": "annotator.ui.team.comparison_window",
    "MergeAction": "annotator.ui.team.merge_action",
    "MergeReportDialog": "annotator.ui.team.merge_action",
}


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
