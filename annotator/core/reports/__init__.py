"""Reports over coded works: the one place their figures are computed.

Pure functions over :class:`~annotator.core.reports.data.ReportData` (plain values the services
load from a project). Each report returns frozen dataclasses a table, a chart and a CSV writer
can all read; :meth:`tidy_rows` on a report gives its long form (one row per cell and measure).
"""
