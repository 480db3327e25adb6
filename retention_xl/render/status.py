"""Green / amber / red judgements of the headline figures against SPEC targets.

Pure functions: a figure in, a :class:`Status` out. The dashboard shows the
colour *and* the word, never colour alone. Thresholds come from ``metrics`` (the
seed articles), so the Excel functions and the report agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from retention_xl.engine import metrics

GOOD, WARN, BAD, INFO, NONE = "good", "warn", "bad", "info", "none"

#: Churn is judged as the mirror of CRR: at most 15 % is fine, above 40 % is bad.
CHURN_GOOD_MAX = 0.15
CHURN_BAD_ABOVE = 0.40
#: Return rate: below 5 % good; from 7 % (the seeds' "high" complaint level) bad.
RETURN_GOOD_BELOW = 0.05
RETURN_HIGH_FROM = metrics.COMPLAINT_RATE_HIGH
#: Repeat purchase rate below this is red rather than amber.
REPEAT_BAD_BELOW = 0.10


@dataclass(frozen=True)
class Status:
    level: str  # good | warn | bad | info | none
    word: str  # labels key, "status.…"


def _missing(value: float | None) -> bool:
    return value is None or not math.isfinite(float(value))


NO_DATA = Status(NONE, "status.no_data")
INFO_STATUS = Status(INFO, "status.info")


def crr_status(value: float | None, benchmark: float | None = None) -> Status:
    if _missing(value):
        return NO_DATA
    low, high = metrics.CRR_TARGET
    if value >= high:
        return Status(GOOD, "status.excellent")
    if value >= low:
        return Status(GOOD, "status.on_target")
    if value < metrics.CRR_ATTENTION_BELOW:
        return Status(BAD, "status.attention")
    if benchmark is not None:
        word = "status.above_industry" if value >= benchmark else "status.below_industry"
        return Status(WARN, word)
    return Status(WARN, "status.below")


def churn_status(value: float | None) -> Status:
    if _missing(value):
        return NO_DATA
    if value <= CHURN_GOOD_MAX:
        return Status(GOOD, "status.on_target")
    if value > CHURN_BAD_ABOVE:
        return Status(BAD, "status.attention")
    return Status(WARN, "status.above_target")


def repeat_status(value: float | None) -> Status:
    if _missing(value):
        return NO_DATA
    low, high = metrics.REPEAT_RATE_HEALTHY
    if value > high:
        return Status(GOOD, "status.excellent")
    if value >= low:
        return Status(GOOD, "status.healthy")
    if value < REPEAT_BAD_BELOW:
        return Status(BAD, "status.attention")
    return Status(WARN, "status.below")


def return_status(value: float | None) -> Status:
    if _missing(value):
        return NO_DATA
    if value < RETURN_GOOD_BELOW:
        return Status(GOOD, "status.on_target")
    if value >= RETURN_HIGH_FROM:
        return Status(BAD, "status.high")
    return Status(WARN, "status.above_target")


def nps_status(value: float | None) -> Status:
    if _missing(value):
        return NO_DATA
    if value > metrics.NPS_EXCELLENT_ABOVE:
        return Status(GOOD, "status.excellent")
    if value >= 0:
        return Status(WARN, "status.improve")
    return Status(BAD, "status.attention")


def info_status(value: float | None) -> Status:
    return NO_DATA if _missing(value) else INFO_STATUS
