"""The survey figure of a report: NPS (0–10 answers) or CSAT (1–5 answers), typed.

survey() fills one of them from the optional ``score`` column (survey_kind tells which
scale it is); the workbook, the JSON and the intervals read its fields, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

import numpy as np
import pandas as pd

from retention_xl.engine import metrics
from retention_xl.errors import MetricError
from retention_xl.messages import Message

if TYPE_CHECKING:
    from retention_xl.engine.rows import Orders, Rows


@dataclass(frozen=True)
class Nps:
    """Net Promoter Score of the period's answers: % promoters (9–10) − % detractors (0–6)."""

    value: float  # −100 … 100
    responses: int  # orders of the period with an answer (one per order)
    promoters: int
    detractors: int

    def to_json(self) -> dict[str, float | int]:
        return {"value": self.value, "responses": self.responses, "promoters": self.promoters,
                "detractors": self.detractors}


@dataclass(frozen=True)
class Csat:
    """Customer satisfaction: the share of answers at or above ``threshold`` on a 1–``scale_max`` scale."""

    value: float  # 0 … 1
    responses: int
    satisfied: int  # answers >= threshold
    scale_max: int
    threshold: int

    def to_json(self) -> dict[str, float | int]:
        return {"value": self.value, "responses": self.responses, "satisfied": self.satisfied,
                "scale_max": self.scale_max, "threshold": self.threshold}


#: What a report's survey column gave: NPS, CSAT, or nothing (no column, no answer, off the scale).
Survey = Union[Nps, Csat, None]


#: Words in a score column's header (lower case) that say which survey it holds.
NPS_HEADER_WORDS = ("nps", "net promoter", "promoter", "промоутер", "推荐")
CSAT_HEADER_WORDS = ("csat", "satisf", "rating", "рейтинг", "удовлетвор", "满意")

#: CSAT scale the report assumes (1–5, satisfied = 4 or 5), as metrics.csat's defaults.
CSAT_SCALE_MAX, CSAT_THRESHOLD = 5, 4


def survey_kind(header: str | None, answers: np.ndarray) -> str:
    """"nps" or "csat": what the score column holds, from its header, else from its answers.

    A header naming NPS wins, then one naming CSAT / satisfaction / rating; otherwise
    every answer within 1–5 is a 5-point satisfaction scale (an NPS answer runs 0–10).
    """
    h = str(header or "").strip().lower()
    if any(w in h for w in NPS_HEADER_WORDS):
        return "nps"
    if any(w in h for w in CSAT_HEADER_WORDS):
        return "csat"
    a = answers[~np.isnan(answers)]
    return "csat" if a.size and a.min() >= 1 and a.max() <= CSAT_SCALE_MAX else "nps"


def survey(rows: Rows, od: Orders, t0: int, t1: int, note: Any, header: str | None) -> Survey:
    """NPS or CSAT of the period from the optional ``score`` column: one answer per order (its first row's).

    None when the data has no score column, no answer in the period, or answers off the
    scale (then a note under "nps" / "csat" says so).
    """
    if "score" not in rows.frame.columns:
        return None
    score = pd.to_numeric(rows.frame["score"], errors="coerce").to_numpy(dtype=float)
    has = np.flatnonzero(~np.isnan(score))
    if has.size == 0:
        return None
    kind = survey_kind(header, score[has])
    idx = has[np.lexsort((rows.row[has], rows.order[has]))]
    o = rows.order[idx]
    first = idx[np.r_[True, o[1:] != o[:-1]]]  # first answered row of each order
    day = od.day[rows.order[first]]
    answers = score[first][(day > t0) & (day <= t1)]
    if answers.size == 0:
        note(kind, Message("kpi.no_answers", kind=kind.upper()))
        return None
    try:
        if kind == "csat":
            value = float(metrics.csat(answers, CSAT_SCALE_MAX, CSAT_THRESHOLD))
        else:
            value = float(metrics.nps(answers))
    except MetricError as err:
        note(kind, err.message)
        return None
    if kind == "csat":
        return Csat(value=value, responses=int(answers.size),
                    satisfied=int(np.count_nonzero(answers >= CSAT_THRESHOLD)),
                    scale_max=CSAT_SCALE_MAX, threshold=CSAT_THRESHOLD)
    return Nps(value=value, responses=int(answers.size), promoters=int(np.count_nonzero(answers >= 9)),
               detractors=int(np.count_nonzero(answers <= 6)))
