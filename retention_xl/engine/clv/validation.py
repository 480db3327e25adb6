"""The forecast checks itself: refit on a calibration window, predict the held-out end.

SPEC Clarifications "Forecast check and risk": the holdout is the latest quarter of
the history (25 % of first purchase -> as-of, at least 60 and at most 180 days). The
purchase model is fitted with the same rules as the forecast (``fit_bg_nbd``,
method "auto") on the summary at the calibration end; its expected purchases over
the holdout are compared with the purchases that happened there (purchase
occasions, as the summary counts them) by the customers of the calibration window,
in total and by number of repeat purchases in the calibration window (0 .. 6+, as
lifetimes' plot_calibration_purchases_vs_holdout_purchases). The forecast is
withheld when the holdout error exceeds 50 % of the actual repeat orders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from retention_xl.engine.clv._common import ClvFitError
from retention_xl.engine.clv.bgnbd import BgNbdParams, fit_bg_nbd
from retention_xl.messages import Message

__all__ = [
    "HOLDOUT_SHARE", "HOLDOUT_MIN_DAYS", "HOLDOUT_MAX_DAYS", "WITHHOLD_ERROR", "MAX_BUCKET",
    "BUCKET_COLUMNS", "VERDICTS", "ForecastCheck", "holdout_days", "check_forecast",
]

HOLDOUT_SHARE = 0.25
HOLDOUT_MIN_DAYS = 60
HOLDOUT_MAX_DAYS = 180
WITHHOLD_ERROR = 0.5  # |predicted - actual| / actual above this: the forecast is withheld
MAX_BUCKET = 6  # calibration repeat purchases 0, 1, ..., 5, "6+"
#: |relative error| up to these: "good", "fair", "poor"; above WITHHOLD_ERROR: "withheld".
VERDICTS = (("good", 0.10), ("fair", 0.25), ("poor", WITHHOLD_ERROR))

#: Columns of ForecastCheck.buckets, one row per number of calibration repeat purchases.
BUCKET_COLUMNS = (
    "repeat_purchases",  # 0 .. MAX_BUCKET (the last row counts MAX_BUCKET and more)
    "customers",  # customers of the calibration window with that many repeat purchases
    "predicted",  # expected holdout purchases of these customers (model fitted on the calibration window)
    "actual",  # their purchases in the holdout
    "predicted_per_customer",  # predicted / customers
    "actual_per_customer",  # actual / customers
)


def _no_buckets() -> pd.DataFrame:
    """The buckets table without rows, its columns typed as engine/tables.py FORECAST_BUCKETS declares."""
    from retention_xl.engine.tables import FORECAST_BUCKETS
    return FORECAST_BUCKETS.empty()


@dataclass(frozen=True)
class ForecastCheck:
    """Holdout validation of the purchase model (report part; JSON ``clv_validation``).

    When the check cannot be made (``reason_code``: short_history, no_customers or a
    ClvFitError code of the calibration fit), the figures are None and ``buckets``
    is empty; the forecast is then shown, marked "not checked".
    """

    calibration_start: date | None  # first purchase day
    calibration_end: date | None  # last day of the calibration window
    holdout_end: date | None  # the as-of day
    holdout_days: int
    customers: int = 0  # customers of the calibration window
    predicted_repeat_orders: float | None = None
    actual_repeat_orders: int | None = None
    relative_error: float | None = None  # (predicted - actual) / actual
    method: str | None = None  # fit method on the calibration window ("mle" / "map")
    params: BgNbdParams | None = None  # the calibration fit (r, alpha in weeks, a, b)
    buckets: pd.DataFrame = field(default_factory=lambda: _no_buckets())
    reason: Message | None = None  # why the check could not be made (clv.check_*, or the fit's error.clv_*)
    reason_code: str | None = None  # its stable key (the JSON's; labels fc.reason.<code>)

    @property
    def checked(self) -> bool:
        return self.relative_error is not None

    @property
    def withheld(self) -> bool:
        """True when the holdout error is too large for the forecast to be shown."""
        return self.relative_error is not None and abs(self.relative_error) > WITHHOLD_ERROR

    @property
    def verdict(self) -> str:
        """"good", "fair", "poor", "withheld" or "unchecked" (label keys of the plain-words verdict)."""
        if self.relative_error is None:
            return "unchecked"
        err = abs(self.relative_error)
        for name, limit in VERDICTS:
            if err <= limit:
                return name
        return "withheld"

    def to_json(self) -> dict[str, Any]:
        return {
            "calibration_start": self.calibration_start,
            "calibration_end": self.calibration_end,
            "holdout_end": self.holdout_end,
            "holdout_days": self.holdout_days,
            "customers": self.customers,
            "predicted_repeat_orders": self.predicted_repeat_orders,
            "actual_repeat_orders": self.actual_repeat_orders,
            "relative_error": self.relative_error,
            "method": self.method,
            "params": self.params._asdict() if self.params is not None else None,
            "verdict": self.verdict,
            "withheld": self.withheld,
            "reason": str(self.reason) if self.reason is not None else None,
            "reason_code": self.reason_code,
            "buckets": [dict(zip(BUCKET_COLUMNS, row)) for row in self.buckets[list(BUCKET_COLUMNS)].itertuples(index=False)],
        }


def holdout_days(span_days: int) -> int:
    """25 % of the history, clamped to 60 .. 180 days."""
    return int(min(HOLDOUT_MAX_DAYS, max(HOLDOUT_MIN_DAYS, round(HOLDOUT_SHARE * span_days))))


def check_forecast(calibration: pd.DataFrame, later: np.ndarray, first_day: int, as_of_day: int,
                   holdout: int, initial: BgNbdParams | None = None) -> ForecastCheck:
    """Compare the calibration fit's holdout prediction with what happened.

    ``calibration`` is the summary (weeks) at the calibration end (as_of_day -
    holdout); ``later`` the purchase occasions of each of its customers (same order)
    after the calibration end, up to the as-of day.
    ``initial`` (e.g. the full fit) only starts the search; the optimum is the same.
    """
    to_date = lambda d: date(1970, 1, 1) + timedelta(days=int(d))  # noqa: E731
    cal_end = as_of_day - holdout
    base = dict(calibration_start=to_date(first_day), calibration_end=to_date(cal_end),
                holdout_end=to_date(as_of_day), holdout_days=int(holdout))
    if cal_end - first_day < holdout:
        return ForecastCheck(**base, customers=len(calibration),
                             reason=Message("clv.check_short_history", days=int(as_of_day - first_day),
                                            holdout=int(holdout)), reason_code="short_history")
    x = calibration["frequency"].to_numpy(dtype=float)
    tx = calibration["recency"].to_numpy(dtype=float)
    T = calibration["T"].to_numpy(dtype=float)
    try:
        model = fit_bg_nbd(x, tx, T, unit="W", initial=initial)
    except ClvFitError as exc:
        return ForecastCheck(**base, customers=len(calibration), reason=exc.message, reason_code=exc.code)
    actual = np.asarray(later, dtype=np.int64)
    predicted = model.expected_purchases(holdout / 7.0, x, tx, T)
    bucket = np.minimum(x.astype(np.int64), MAX_BUCKET)
    n = np.bincount(bucket, minlength=MAX_BUCKET + 1)
    pred_b = np.bincount(bucket, weights=predicted, minlength=MAX_BUCKET + 1)
    act_b = np.bincount(bucket, weights=actual, minlength=MAX_BUCKET + 1).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame({
            "repeat_purchases": np.arange(MAX_BUCKET + 1),
            "customers": n,
            "predicted": pred_b,
            "actual": act_b,
            "predicted_per_customer": np.where(n > 0, pred_b / np.maximum(n, 1), np.nan),
            "actual_per_customer": np.where(n > 0, act_b / np.maximum(n, 1), np.nan),
        })[list(BUCKET_COLUMNS)]
    total_pred, total_act = float(predicted.sum()), int(actual.sum())
    error = (total_pred - total_act) / total_act if total_act > 0 else None
    return ForecastCheck(
        **base, customers=len(calibration), predicted_repeat_orders=total_pred, actual_repeat_orders=total_act,
        relative_error=error, method=model.method, params=model.params, buckets=table,
        reason=None if error is not None else Message("clv.check_no_holdout_orders"),
        reason_code=None if error is not None else "no_holdout_orders",
    )
