"""The engine's tables, brought to the columns the sheets know how to show.

The writer only reads the KpiReport; these helpers find the known columns under
a few spellings (``recency`` / ``recency_days`` …), compute nothing new except
presentation helpers (AOV per month, the Customers selection), and keep unknown
columns so no figure the engine adds is lost.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from retention_xl.render.labels import AT_RISK_SEGMENTS, segment_key


def norm(name: object) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


MONTHLY_ALIASES = {
    "month": ("month", "period", "month_start", "date"),
    "orders": ("orders", "order_count", "n_orders"),
    "customers": ("customers", "customer_count", "n_customers", "buyers"),
    "new_customers": ("new_customers", "new", "first_time_customers"),
    "returning_customers": ("returning_customers", "returning", "repeat_customers"),
    "active_customers": ("active_customers", "active"),
    "revenue": ("revenue", "net_revenue", "sales"),
    "aov": ("aov", "average_order_value"),
    "returned_orders": ("returned_orders", "returns", "returned"),
}
#: Not shown in the dashboard's monthly table (8 columns fit the tile grid);
#: returns per month are still behind the return-rate tile and in the JSON.
MONTHLY_HIDDEN = ("in_period", "returned_orders")
#: Columns that describe a partial month (issue 10): shown as the month's label, not as columns.
MONTHLY_PARTIAL = ("partial", "covered_from", "covered_to")
MONTHLY_ORDER = ["month", "orders", "customers", "new_customers", "returning_customers",
                 "active_customers", "revenue", "aov", "returned_orders"]

SEGMENT_ALIASES = {
    "segment": ("segment", "name", "rfm_segment"),
    "customers": ("customers", "customer_count", "count", "n_customers"),
    "share": ("share", "customer_share", "share_of_customers"),
    "revenue": ("revenue", "net_revenue", "total_revenue", "monetary_total"),
    "revenue_share": ("revenue_share", "share_of_revenue"),
    "avg_recency": ("avg_recency", "recency", "recency_days", "mean_recency", "avg_recency_days"),
    "predicted_clv": ("predicted_clv",),  # issue 12
    "avg_predicted_clv": ("avg_predicted_clv",),
    "avg_frequency": ("avg_frequency", "frequency", "mean_frequency", "avg_orders"),
    "avg_monetary": ("avg_monetary", "monetary", "mean_monetary", "avg_revenue"),
}
SEGMENT_ORDER = ["segment", "customers", "share", "revenue", "revenue_share",
                 "avg_recency", "avg_frequency", "avg_monetary", "predicted_clv", "avg_predicted_clv"]

CUSTOMER_ALIASES = {
    "customer_id": ("customer_id", "customer", "id", "customerid"),
    "customer_name": ("customer_name", "name"),
    "email": ("email", "e_mail"),
    "phone": ("phone", "telephone", "phone_number"),
    "first_order": ("first_order", "first_order_date", "first_date", "first_purchase"),
    "last_order": ("last_order", "last_order_date", "last_date", "last_purchase"),
    "channel": ("channel",),
    "recency_days": ("recency_days", "days_since_last_order", "recency"),
    "frequency": ("frequency", "orders", "order_count", "n_orders"),
    "returned_orders": ("returned_orders",),
    "monetary": ("monetary", "revenue", "net_revenue", "value", "total"),
    "aov": ("aov", "average_order_value"),
    "r_score": ("r_score", "r"),
    "f_score": ("f_score", "f"),
    "m_score": ("m_score", "m"),
    "rfm_score": ("rfm_score", "rfm"),
    "segment": ("segment", "rfm_segment"),
    "active": ("active", "active_at_end"),
    "p_alive": ("p_alive", "prob_alive", "probability_alive"),
    "expected_purchases": ("expected_purchases", "predicted_purchases"),
    "predicted_clv": ("predicted_clv", "clv"),
    "churn_risk": ("churn_risk",),
    # issue 12: churn risk people can act on
    "expected_90d": ("expected_90d",),
    "next_order_date": ("next_order_date",),
    "value_at_risk": ("value_at_risk",),
}
CUSTOMER_ORDER = list(CUSTOMER_ALIASES)
PERSONAL = ("customer_name", "email", "phone")


def canonical(frame: pd.DataFrame, aliases: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Rename known columns to their canonical names (first match wins)."""
    taken: dict[str, str] = {}
    by_norm = {norm(c): c for c in frame.columns}
    for key, names in aliases.items():
        for name in names:
            col = by_norm.get(name)
            if col is not None and col not in taken.values():
                taken[key] = col
                break
    return frame.rename(columns={v: k for k, v in taken.items()})


def ordered(frame: pd.DataFrame, order: list[str]) -> list[str]:
    known = [c for c in order if c in frame.columns]
    return known + [c for c in frame.columns if c not in known]


def monthly_table(monthly: pd.DataFrame) -> pd.DataFrame:
    if monthly is None or len(monthly) == 0:
        return pd.DataFrame(columns=["month"])
    frame = monthly.copy()
    if "month" not in {norm(c) for c in frame.columns} and not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
        frame = frame.rename(columns={frame.columns[0]: "month"})
    frame = canonical(frame, MONTHLY_ALIASES)
    if "aov" not in frame.columns and {"revenue", "orders"} <= set(frame.columns):
        orders = frame["orders"].astype(float).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["aov"] = np.where(orders > 0, frame["revenue"].astype(float).to_numpy() / orders, np.nan)
    if ("returning_customers" not in frame.columns
            and {"customers", "new_customers"} <= set(frame.columns)):
        frame["returning_customers"] = frame["customers"] - frame["new_customers"]
    return frame[ordered(frame, MONTHLY_ORDER)]


def monthly_display(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """(columns to show, in-period flag per row) of a canonical monthly table."""
    if "in_period" in frame.columns:
        flag = frame["in_period"].fillna(True).astype(bool).to_numpy()
    else:
        flag = np.ones(len(frame), dtype=bool)
    return frame.drop(columns=[c for c in MONTHLY_HIDDEN if c in frame.columns]), flag


def month_labels(frame: pd.DataFrame, lang: str) -> list[str | None]:
    """Per month row: the label of a partial month ("Dec 2011 · to 9 Dec"), None for a full one."""
    from retention_xl.render.labels import month_label
    if "partial" not in frame.columns or "month" not in frame.columns:
        return [None] * len(frame)
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
    if column not in frame.columns or "month" not in frame.columns or len(frame) == 0:
        return None
    months = pd.to_datetime(frame["month"]).dt.to_period("M")
    by_month = dict(zip(months, pd.to_numeric(frame[column], errors="coerce")))
    prior = pd.Series([by_month.get(m - 12, np.nan) for m in months], index=frame.index, dtype=float)
    return None if prior.isna().all() else prior


def segment_table(segments: pd.DataFrame) -> pd.DataFrame:
    if segments is None or len(segments) == 0:
        return pd.DataFrame(columns=["segment", "customers"])
    frame = segments.copy()
    if "segment" not in {norm(c) for c in frame.columns} and not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index().rename(columns={"index": "segment"})
    frame = canonical(frame, SEGMENT_ALIASES)
    return frame[ordered(frame, SEGMENT_ORDER)]


def customer_table(customers: pd.DataFrame, drop_personal: bool) -> pd.DataFrame:
    frame = canonical(customers, CUSTOMER_ALIASES)
    if drop_personal:
        frame = frame.drop(columns=[c for c in frame.columns if c in PERSONAL or looks_personal(c)])
    return frame[ordered(frame, CUSTOMER_ORDER)]


_PERSONAL_HEADER = re.compile(
    r"(e[-_ ]?mail|mail|phone|tel|mobile|name|address|"
    r"почт|телефон|тел\.|мобил|имя|фио|фамил|адрес|"
    r"邮箱|邮件|电话|手机|姓名|名字|地址)",
    re.IGNORECASE,
)


def looks_personal(header: object) -> bool:
    """Column headers that carry personal data (names, e-mails, phones, addresses)."""
    return bool(_PERSONAL_HEADER.search(str(header)))


def value_column(frame: pd.DataFrame) -> str | None:
    for col in ("monetary", "predicted_clv", "frequency"):
        if col in frame.columns:
            return col
    return None


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
        return frame["churn_risk"].eq("high").fillna(False).to_numpy(dtype=bool) & (var > 0)
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
