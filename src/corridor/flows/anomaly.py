"""Robust anomaly score of a daily count against its seasonal baseline (no Django here).

The baseline is the same weekday in the weeks before and, when there is history, the same
weekdays around the same date a year earlier: flows at a border post follow the week (market
days) and the season (school holidays, harvests, Tabaski). Median and MAD resist the odd spike
that a mean and standard deviation would chase.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

# 0.6745 makes the MAD a consistent estimator of the standard deviation under normality
# (Iglewicz and Hoaglin's modified z-score); 3.5 is their recommended outlier threshold.
CONSISTENCY = 0.6745
THRESHOLD = 3.5
MIN_HISTORY = 4
MIN_COUNT = 3


@dataclass(frozen=True)
class Score:
    observed: int
    median: float
    mad: float
    z: float
    history: int

    @property
    def is_anomaly(self) -> bool:
        return self.history >= MIN_HISTORY and self.observed >= MIN_COUNT and self.z > THRESHOLD


def baseline_days(day: date, *, weeks: int = 8) -> list[date]:
    """Same weekday over the previous ``weeks`` weeks, plus the same weekday ±2 weeks a year
    earlier (the season)."""
    days = [day - timedelta(weeks=w) for w in range(1, weeks + 1)]
    last_year = day - timedelta(weeks=52)
    days += [last_year + timedelta(weeks=w) for w in (-2, -1, 0, 1, 2)]
    return sorted(days)


def robust_score(observed: int, history: list[int]) -> Score:
    if not history:
        return Score(observed, 0.0, 0.0, 0.0, 0)
    median = statistics.median(history)
    mad = statistics.median(abs(x - median) for x in history)
    # A flat history (MAD 0) would make every change infinite: floor the spread at one person.
    spread = max(mad, 1.0)
    z = CONSISTENCY * (observed - median) / spread
    return Score(observed, float(median), float(mad), round(z, 2), len(history))
