"""The engine's tables, brought to the columns the sheets show.

The columns are those engine/tables.py declares; nothing here guesses at other
spellings. A few engine columns have a shorter name on the sheets (their labels
``col.<name>`` and formats use it): the ``*_SHOWN_AS`` maps, checked against the
declarations when this module loads. Presentation helpers only (the Customers
selection, month labels, the same month a year earlier); no figure is computed here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retention_xl.engine import tables
from retention_xl.render.labels import AT_RISK_SEGMENTS, segment_key


def _shown_as(table: tables.Table, renames: dict[str, str], order: list[str]) -> dict[str, str]:
    """``renames`` after checking that it renames declared columns and that ``order`` lists only them."""
    shown = [renames.get(n, n) for n in table.names]
    wrong = [n for n in renames if n not in table.names] + [n for n in order if n not in shown]
    if wrong:
        raise tables.TableContractError(f"render/frames.py names undeclared {table.name} columns: {wrong!r}")
    return renames


#: Not shown in the dashboard's monthly table (8 columns fit the tile grid);
#: returns per month are still behind the return-rate tile and in the JSON.
MONTHLY_HIDDEN = ("in_period", "returned_orders")
#: Columns that describe a partial month (issue 10): shown as the month's label, not as columns.
MONTHLY_PARTIAL = ("partial", "covered_from", "covered_to")
#: The order of the Dashboard's monthly table (the other declared columns follow).
MONTHLY_ORDER = ["month", "orders", "customers", "new_customers", "returning_customers",
                 "active_customers", "revenue", "aov", "returned_orders"]
MONTHLY_SHOWN_AS = _shown_as(tables.MONTHLY, {"net_revenue": "revenue"}, MONTHLY_ORDER)

#: The Segments sheet's columns in order ("action" comes from labels, per segment).
SEGMENT_ORDER = ["segment", "customers", "share", "revenue", "revenue_share",
                 "avg_recency", "avg_frequency", "avg_monetary", "predicted_clv", "avg_predicted_clv"]
SEGMENT_SHOWN_AS = _shown_as(tables.SEGMENTS, {"avg_recency_days": "avg_recency"}, SEGMENT_ORDER)

#: The Customers sheet's columns in order (those the report has).
CUSTOMER_ORDER = ["customer_id", "customer_name", "email", "phone", "first_order", "last_order", "channel",
                  "recency_days", "frequency", "returned_orders", "monetary", "aov", "r_score", "f_score",
                  "m_score", "segment", "active", "p_alive", "expected_purchases", "predicted_clv", "churn_risk",
                  "expected_90d", "next_order_date", "value_at_risk"]
CUSTOMER_SHOWN_AS = _shown_as(tables.CUSTOMERS, {
    "first_order_date": "first_order", "last_order_date": "last_order", "days_since_last_order": "recency_days",
    "orders": "frequency", "net_revenue": "monetary"}, CUSTOMER_ORDER)


def _shown(frame: pd.DataFrame, renames: dict[str, str], order: list[str]) -> pd.DataFrame:
    out = frame.rename(columns=renames)
    known = [c for c in order if c in out.columns]
    return out[known + [c for c in out.columns if c not in known]]


def monthly_table(monthly: pd.DataFrame) -> pd.DataFrame:
    """report.monthly (tables.MONTHLY) with the Dashboard's names, in its order."""
    return _shown(monthly, MONTHLY_SHOWN_AS, MONTHLY_ORDER)


def monthly_display(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """(columns to show, in-period flag per row) of monthly_table's frame."""
    return frame.drop(columns=list(MONTHLY_HIDDEN)), frame["in_period"].to_numpy(dtype=bool)


def month_labels(frame: pd.DataFrame, lang: str) -> list[str | None]:
    """Per month row: the label of a partial month ("Dec 2011 · to 9 Dec"), None for a full one."""
    from retention_xl.render.labels import month_label
    out: list[str | None] = []
    for rec in frame[["month", "partial", "covered_from", "covered_to"]].itertuples(index=False):
        out.append(month_label(lang, rec.month, rec.covered_from, rec.covered_to) if bool(rec.partial) else None)
    return out


def month_labels_all(frame: pd.DataFrame, lang: str, partial: list[str | None]) -> list[str]:
    """Every month's label as text (for a chart axis that shows partial months by name)."""
    from retention_xl.render.labels import month_label
    return [p if p is not None else month_label(lang, m) for m, p in zip(frame["month"], partial)]


def year_earlier(frame: pd.DataFrame, column: str = "revenue") -> pd.Series | None:
    """Issue 13: each month's ``column`` in the same month a year earlier, where the table has
    that month (NaN otherwise); None when no month of the table has one."""
    if len(frame) == 0:
        return None
    months = pd.to_datetime(frame["month"]).dt.to_period("M")
    by_month = dict(zip(months, pd.to_numeric(frame[column], errors="coerce")))
    prior = pd.Series([by_month.get(m - 12, np.nan) for m in months], index=frame.index, dtype=float)
    return None if prior.isna().all() else prior


def segment_table(segments: pd.DataFrame) -> pd.DataFrame:
    """report.segments (tables.SEGMENTS) with the Segments sheet's names, in its order."""
    return _shown(segments, SEGMENT_SHOWN_AS, SEGMENT_ORDER)


def customer_table(customers: pd.DataFrame, drop_personal: bool) -> pd.DataFrame:
    """report.customers_table (tables.CUSTOMERS) with the sheet's names; without the declared
    personal columns when ``drop_personal``."""
    if drop_personal:
        customers = customers.drop(columns=[c for c in tables.CUSTOMERS.personal if c in customers.columns])
    return _shown(customers, CUSTOMER_SHOWN_AS, CUSTOMER_ORDER)


def value_column(frame: pd.DataFrame) -> str:
    """The column "most valuable" sorts by on the Customers sheet: net revenue."""
    return "monetary"


def select_customers(frame: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, np.ndarray]:
    """The most valuable customers and the most valuable of those at risk.

    Returns the rows (most valuable first, then the at-risk ones) and a "why"
    code per row: 0 = most valuable, 1 = at risk, 2 = net zero or less after refunds
    (never "most valuable", issue 10). Half the rows go to each group; a group that
    has fewer candidates leaves its room to the other.
    """
    n = len(frame)
    value_col = value_column(frame)
    values = (frame[value_col].astype(float).fillna(-np.inf).to_numpy()
              if value_col else np.zeros(n))
    order = np.argsort(-values, kind="stable")  # most valuable first
    positive = values > 0
    if n <= limit:
        risk = _risk_mask(frame)
        why = np.where(risk[order], 1, np.where(positive[order], 0, 2))
        picked = frame.iloc[order]
        return picked, why
    risk = _risk_mask(frame)
    risk_order = order[risk[order]]
    if "value_at_risk" in frame.columns:  # the call list: most value at risk first
        var = frame["value_at_risk"].astype(float).fillna(0.0).to_numpy()
        risk_order = risk_order[np.argsort(-var[risk_order], kind="stable")]
    n_risk = min(len(risk_order), limit // 2)
    risk_pick = risk_order[:n_risk]
    chosen = np.zeros(n, dtype=bool)
    chosen[risk_pick] = True
    top_pick = order[~chosen[order] & positive[order]][: limit - n_risk]
    rows = np.concatenate([top_pick, risk_pick])
    why = np.concatenate([np.zeros(len(top_pick), dtype=int), np.ones(len(risk_pick), dtype=int)])
    return frame.iloc[rows], why


#: RFM segments listed as at risk when there is no (shown) forecast (SPEC Clarifications).
FALLBACK_RISK_SEGMENTS = frozenset({"at_risk", "cant_lose"})


def _risk_mask(frame: pd.DataFrame) -> np.ndarray:
    """At risk (issue 12): with the forecast, customers of high churn risk with value at risk
    (net revenue of the last 12 months x (1 - P(alive))) above 0; without it (not fitted or
    withheld by the holdout check), the RFM segments "At risk" and "Can't lose them"."""
    if "value_at_risk" in frame.columns and "churn_risk" in frame.columns:
        var = frame["value_at_risk"].astype(float).fillna(0.0).to_numpy()
        return (frame["churn_risk"].to_numpy(dtype=object) == "high") & (var > 0)
    if "segment" in frame.columns and "churn_risk" not in frame.columns:
        seg = frame["segment"]
        risky = [s for s in pd.unique(seg.dropna()) if segment_key(s) in FALLBACK_RISK_SEGMENTS]
        return seg.isin(risky).to_numpy(dtype=bool)
    if "segment" in frame.columns:
        seg = frame["segment"]
        risky = [s for s in pd.unique(seg.dropna()) if segment_key(s) in AT_RISK_SEGMENTS]
        mask = seg.isin(risky).to_numpy(dtype=bool)
        if "churn_risk" in frame.columns and "frequency" in frame.columns:
            lost = [s for s in pd.unique(seg.dropna()) if segment_key(s) == "lost"]
            slipping = frame["churn_risk"].isin(["medium", "high"]).to_numpy(dtype=bool)
            repeat = (pd.to_numeric(frame["frequency"], errors="coerce") >= 2).fillna(False).to_numpy(dtype=bool)
            mask = mask | (slipping & repeat & ~seg.isin(lost).to_numpy(dtype=bool))
        return mask
    if "p_alive" in frame.columns:
        return (frame["p_alive"].astype(float) < 0.5).fillna(False).to_numpy()
    if {"recency_days", "frequency"} <= set(frame.columns):
        rec = frame["recency_days"].astype(float)
        return ((frame["frequency"].astype(float) >= 2) & (rec > rec.median())).fillna(False).to_numpy()
    return np.zeros(len(frame), dtype=bool)
