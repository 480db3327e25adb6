"""retention_xl: customer-retention metrics for Excel users.

The calculation core (metrics, orders, kpi, cohorts, rfm, clv) knows nothing of
Excel; udfs, ribbon, workbook writer and cli are thin adapters around it.
"""

__version__ = "0.1.0"
