"""Predicted CLV and churn risk: BG/NBD purchases x Gamma-Gamma spend, numpy/scipy only.

* ``rfm_summary`` turns orders into the per-customer (frequency, recency, T,
  monetary_value) summary the models use.
* ``fit_bg_nbd`` (Fader, Hardie & Lee 2005, "Counting your customers the easy way")
  fits how often customers buy and how likely they are to drop out.
* ``fit_gamma_gamma`` (Fader, Hardie & Lee 2005, "RFM and CLV") fits spend per order.
* ``forecast`` is the one call the KPI engine and ``CLV_PREDICT`` use: it fits both
  models and returns per-customer P(alive), expected purchases, predicted CLV and a
  churn-risk band, or a plain-language ``reason`` when the data cannot support a fit.

Time units: the summary and the BG/NBD parameters are in ``unit`` ("D" days,
"W" weeks = 7 days, "M" months = 30.44 days, the month length used across the
report). ``forecast`` fits in weeks; its horizon is in months of 30.44 days.

One module per part: ``summary`` (orders -> summary), ``bgnbd`` (purchases and
dropout), ``gamma_gamma`` (spend), ``forecast`` (CLV, risk), ``validation`` (the
holdout check). Import from ``retention_xl.engine.clv``.
"""

from __future__ import annotations

from retention_xl.engine.clv._common import (
    MIN_REPEAT_BUYERS, MONTH_DAYS, P_ALIVE_HIGH_RISK, P_ALIVE_LOW_RISK, UNIT_DAYS, ClvFitError,
)
from retention_xl.engine.clv.bgnbd import DROPOUT_PRIOR_SD, FIT_METHODS, BgNbdModel, BgNbdParams, fit_bg_nbd
from retention_xl.engine.clv.forecast import ClvForecast, customer_lifetime_value, forecast, forecast_check, monthly_rate, purchase_fit
from retention_xl.engine.clv.gamma_gamma import GammaGammaModel, GammaGammaParams, fit_gamma_gamma
from retention_xl.engine.clv.summary import rfm_summary
from retention_xl.engine.clv.validation import BUCKET_COLUMNS, WITHHOLD_ERROR, ForecastCheck, holdout_days

__all__ = [
    "UNIT_DAYS",
    "MONTH_DAYS",
    "MIN_REPEAT_BUYERS",
    "P_ALIVE_LOW_RISK",
    "P_ALIVE_HIGH_RISK",
    "ClvFitError",
    "BgNbdParams",
    "GammaGammaParams",
    "BgNbdModel",
    "GammaGammaModel",
    "ClvForecast",
    "rfm_summary",
    "fit_bg_nbd",
    "DROPOUT_PRIOR_SD",
    "FIT_METHODS",
    "fit_gamma_gamma",
    "customer_lifetime_value",
    "monthly_rate",
    "forecast",
    "forecast_check",
    "purchase_fit",
    "ForecastCheck",
    "BUCKET_COLUMNS",
    "WITHHOLD_ERROR",
    "holdout_days",
]
