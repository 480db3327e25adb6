"""The survey figure of a report: NPS (0–10 answers) or CSAT (1–5 answers), typed.

kpi._survey fills one of them from the optional ``score`` column (kpi.survey_kind tells
which scale it is); the workbook, the JSON and the intervals read its fields, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


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
