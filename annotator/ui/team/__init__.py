"""Several coders in the desktop app: merging coders' copies, agreement, comparison, adjudication."""

from annotator.ui.team.agreement_dialog import AgreementDialog
from annotator.ui.team.comparison_window import ComparisonWindow
from annotator.ui.team.merge_action import MergeAction, MergeReportDialog

__all__ = ["AgreementDialog", "ComparisonWindow", "MergeAction", "MergeReportDialog"]
