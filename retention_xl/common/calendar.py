"""Calendar lengths the report uses everywhere."""

from __future__ import annotations

#: Average days in a month (365.25 / 12 rounded): months of a period, purchase
#: frequency, CLV horizons and the monthly churn all use this one value.
DAYS_PER_MONTH = 30.44
