"""Match model: one weight per comparison level, fitted as a logistic regression.

This is the Fellegi–Sunter form (a pair's log-odds is the sum of its fields' weights) without
its independence assumption: fitting the weights jointly lets the family name and the father's
name, which usually agree together, share their evidence instead of counting it twice. The
output is a calibrated probability on data drawn like the training data; reviewers' decisions
(``train`` with real labels) re-fit it to the node's own records.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from corridor.matching.features import COMPARISONS

__all__ = ["Model", "fit", "fit_patterns", "accumulate", "default_model", "FEATURES"]

FEATURES: tuple[str, ...] = tuple(
    f"{comparison}={level}" for comparison, levels in COMPARISONS.items() for level in levels
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}


@dataclass
class Model:
    """Weights (log-odds contributions) per ``comparison=level`` and an intercept."""

    weights: dict[str, float]
    intercept: float
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_comparison: dict[str, dict[str, float]] = {}
        for name, weight in self.weights.items():
            comparison, level = name.split("=", 1)
            self._by_comparison.setdefault(comparison, {})[level] = weight

    def weight(self, comparison: str, level: str) -> float:
        """Log-odds contribution of one comparison level (0 when training never saw it)."""
        return self._by_comparison.get(comparison, {}).get(level, 0.0)

    def log_odds(self, levels: dict[str, str]) -> float:
        total = self.intercept
        table = self._by_comparison
        for comparison, level in levels.items():
            row = table.get(comparison)
            if row:
                total += row.get(level, 0.0)
        return total

    def probability(self, levels: dict[str, str]) -> float:
        return sigmoid(self.log_odds(levels))

    def to_json(self) -> str:
        return json.dumps(
            {"intercept": self.intercept, "weights": self.weights, "meta": self.meta},
            indent=1,
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        return cls(weights=data["weights"], intercept=data["intercept"], meta=data.get("meta", {}))


def sigmoid(x: float) -> float:
    """A log-odds as a probability, without overflow at either end."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _design(levels: Sequence[dict[str, str]]) -> np.ndarray:
    matrix = np.zeros((len(levels), len(FEATURES) + 1), dtype=np.float64)
    matrix[:, -1] = 1.0
    for row, pair in enumerate(levels):
        for comparison, level in pair.items():
            index = _INDEX.get(f"{comparison}={level}")
            if index is not None:
                matrix[row, index] = 1.0
    return matrix


def fit(
    *,
    levels: Sequence[dict[str, str]],
    labels: Iterable[float],
    sample_weight: Iterable[float] | None = None,
    l2: float = 1.0,
    meta: dict | None = None,
    prior: Model | None = None,
) -> Model:
    """Fit the weights by Newton's method with an L2 penalty (the intercept is not penalised).

    The penalty keeps levels seen rarely in training near zero weight, which is also the honest
    explanation for them: "not enough evidence either way". With a ``prior`` model the penalty
    pulls towards its weights instead: a few dozen reviewed pairs adjust the shipped weights
    rather than collapsing the levels they do not show to zero.
    """
    patterns: dict[tuple, list[float]] = {}
    weights_in = [1.0] * len(levels) if sample_weight is None else list(sample_weight)
    accumulate(patterns=patterns, levels=levels, labels=labels, sample_weight=weights_in)
    return fit_patterns(patterns=patterns, l2=l2, meta=meta, prior=prior)


def accumulate(
    *,
    patterns: dict[tuple, list[float]],
    levels: Iterable[dict[str, str]],
    labels: Iterable[float],
    sample_weight: Iterable[float] | None = None,
) -> None:
    """Add pairs to (pattern -> [weighted matches, weighted non-matches]) totals.

    Millions of candidate pairs fall into a few thousand distinct level patterns, so fitting
    on the totals costs the same as fitting on the pairs, in a fraction of the memory.
    """
    weights = sample_weight if sample_weight is not None else iter(lambda: 1.0, None)
    for pair, label, weight in zip(levels, labels, weights, strict=sample_weight is not None):
        totals = patterns.setdefault(tuple(sorted(pair.items())), [0.0, 0.0])
        totals[0] += weight * label
        totals[1] += weight * (1.0 - label)


def fit_patterns(
    *,
    patterns: dict[tuple, list[float]],
    l2: float = 1.0,
    meta: dict | None = None,
    prior: Model | None = None,
) -> Model:
    """Fit on pattern totals (see ``accumulate``); same result as fitting on the pairs."""
    keys = list(patterns)
    rows = [dict(key) for key in keys for _ in (0, 1)]
    x = _design(rows)
    y = np.tile(np.array([1.0, 0.0]), len(keys))
    w = np.array([patterns[key][k] for key in keys for k in (0, 1)], dtype=np.float64)
    center = np.zeros(x.shape[1])
    if prior is not None:
        center[:-1] = [prior.weights.get(name, 0.0) for name in FEATURES]
    beta = np.zeros(x.shape[1])  # Newton from zero: starting at the prior can overshoot
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -35, 35)))
        gradient = x.T @ (w * (p - y)) + penalty * (beta - center)
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    known = x[:, :-1].any(axis=0) | (center[:-1] != 0)
    weights = {name: round(float(beta[i]), 4) for i, name in enumerate(FEATURES) if known[i]}
    return Model(weights=weights, intercept=round(float(beta[-1]), 4), meta=dict(meta or {}))


@functools.lru_cache(maxsize=1)
def default_model() -> Model:
    """The model shipped with the package, fitted on the published family-tracing development
    sets (see ``training``)."""
    path = resources.files("corridor.matching").joinpath("data/model.json")
    return Model.from_json(path.read_text("utf-8"))
