"""retention_xl: customer-retention metrics for Excel users.

The calculation core (metrics, orders, kpi, cohorts, rfm, clv) knows nothing of
Excel; udfs, ribbon, workbook writer and cli are thin adapters around it.
"""

__version__ = "0.1.0"


def main() -> None:
    """The Excel ribbon button's entry point.

    The add-in is called ``retention_xl.xlam`` and its ribbon callback runs
    ``import retention_xl; retention_xl.main()`` (see workbook/README.md); the
    work is done in :mod:`retention_xl.excel.ribbon`, imported only when clicked so that
    the Excel functions load fast.
    """
    from retention_xl.excel.ribbon import main as build_kpi_report_from_active_sheet

    build_kpi_report_from_active_sheet()
