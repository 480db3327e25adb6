"""KpiReport -> report workbook. The implementation lives in :mod:`retention_xl.writer`."""

from .writer import ISSUES_SHEET_LIMIT, ReportSource, WorkbookInfo, issues_csv_frame, write_workbook

__all__ = ["ISSUES_SHEET_LIMIT", "ReportSource", "WorkbookInfo", "issues_csv_frame", "write_workbook"]
