"""Competition among candidates: a pair's probability given the other requests that fit.

The pair model (``model``) judges a pair on its own: "Kokou Mensah, about 12" against a request
for Kokou Mensah born in 2013 scores the same in a register of 2,000 requests and in one of
200,000, where thirty other requests fit as well. What a caseworker needs is the probability
that *this* request is the child's, knowing the others. With ``o_k`` the pair odds of the
child's candidates, Bayes gives ``o_i / (a + sum of o_k)``, ``a`` standing for the chance that
the child has no request at all; the mother's and the father's requests for one child are not
competitors of each other. The same holds from the request's side (a found sibling competes for
the request). ``Competition`` is that form with its constants fitted by logistic regression on
labelled registers of several sizes (``training.fit_competition``): features are the pair's
log-odds and soft-plus bases of the log-sums of the competitors' odds on both sides, and the
register's size (the log of its number of requests), alone and times each of the others: in a
register ten times larger, fewer found children have a request of their own and a
namesake that fits is more often a stranger, which the sum of odds alone does not say.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

__all__ = [
    "Competition",
    "features",
    "register_size",
    "log_competitors",
    "default_competition",
    "FEATURES",
]

_BASE = ("pair", "right+3", "right", "right-3", "left+3", "left", "left-3")
FEATURES = (*_BASE, *(f"size*{name}" for name in _BASE), "size")
REFERENCE_SIZE = 1000
"""Register size (requests) at which the size features are 0."""
_CLIP = (-25.0, 18.0)
_ROWS = 1_000_000


def odds(log_odds):
    """Odds of log-odds (a number or an array), clipped where a sum of them stops meaning more."""
    return np.exp(np.clip(log_odds, *_CLIP))


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def log_competitors(
    *, log_odds: np.ndarray, groups: np.ndarray, exclude: np.ndarray | None = None
) -> np.ndarray:
    """Log of the summed odds of the other members of each pair's group (-inf when none).

    ``groups`` (any integers) say which pairs compete; ``exclude`` (odds, per pair) are removed
    too: the twin requests of a pair, which are not its competitors.
    """
    if not len(log_odds):
        return np.zeros(0)
    each = odds(log_odds)
    # Record indices (the engine's groups) are summed by directly, without a sort, as long as
    # the sums' array stays within a few times the pairs; any other labels are numbered first.
    if groups.dtype.kind in "iu" and 0 <= groups.min() and groups.max() < 4 * len(groups) + 1024:
        inverse = groups
    else:
        inverse = np.unique(groups, return_inverse=True)[1]
    totals = np.bincount(inverse, weights=each)
    others = totals[inverse] - each
    if exclude is not None:
        others = others - exclude
    # Relative rounding of the sum: what is left below it is no competitor at all.
    others = np.where(others > totals[inverse] * 1e-12, others, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(others)


def register_size(requests: int) -> float:
    """The size feature: log of the register's number of requests over ``REFERENCE_SIZE``."""
    return float(np.log(max(requests, 1) / REFERENCE_SIZE))


def features(
    *, log_odds: np.ndarray, right: np.ndarray, left: np.ndarray, requests: int
) -> np.ndarray:
    """The design matrix (one row per pair, intercept last) of ``Competition``.

    ``requests``: how many requests the register holds (all of them, not the candidates).
    """
    return np.column_stack(_columns(log_odds=log_odds, right=right, left=left, requests=requests))


def _columns(
    *, log_odds: np.ndarray, right: np.ndarray, left: np.ndarray, requests: int
) -> list[np.ndarray]:
    """``features``' columns, each a separate array."""
    columns = [log_odds]
    for side in (right, left):
        columns.extend(_softplus(side + shift) for shift in (3.0, 0.0, -3.0))
    size = register_size(requests)
    columns.extend([size * column for column in columns])
    columns.append(np.full(len(log_odds), size))
    columns.append(np.ones(len(log_odds)))
    return columns


@dataclass
class Competition:
    """Weights of ``features`` (intercept last): the log-odds of a pair among its competitors.

    ``levels`` (``comparison=level``: weight) re-weigh the pair's own comparison levels among
    its competitors: the pair model is fitted on registers of a few thousand requests, and at
    national size some levels promise more than they hold (a family name that is only "weak"
    holds about half its promise among 200,000 requests). Fitted with the other weights.
    """

    weights: list[float]
    meta: dict = field(default_factory=dict)
    levels: dict[str, float] = field(default_factory=dict)

    def level_terms(self):
        """``levels`` as ``scoring.Weights`` (no intercept), to add up pairs' level codes."""
        from corridor.matching.model import Model
        from corridor.matching.scoring import Weights

        return Weights(Model(weights=self.levels, intercept=0.0))

    def level_term(self, levels: dict[str, str]) -> float:
        """``levels``' term of one pair compared by ``features.compare``."""
        from corridor.matching.model import Model

        return Model(weights=self.levels, intercept=0.0).log_odds(levels)

    def log_odds(
        self,
        *,
        log_odds: np.ndarray,
        right: np.ndarray,
        left: np.ndarray,
        requests: int,
        adjust: np.ndarray | None = None,
    ) -> np.ndarray:
        """``adjust``: each pair's ``levels`` term (``level_terms``), none by default."""
        requests = self.fitted(requests)
        out = np.zeros(len(log_odds)) if adjust is None else np.array(adjust, dtype=np.float64)
        # A million rows at a time, summed column by column: at national scale the design
        # matrix of every link at once (16 columns of 15 million) would be 2 GB for a moment,
        # and stacking even a million rows of it took longer than the sum.
        for start in range(0, len(log_odds), _ROWS):
            part = slice(start, start + _ROWS)
            columns = _columns(
                log_odds=log_odds[part], right=right[part], left=left[part], requests=requests
            )
            for weight, column in zip(self.weights, columns, strict=True):
                out[part] += weight * column
        return out

    def fitted(self, requests: int) -> int:
        """A register size brought within the sizes the weights were fitted on.

        Outside them the size terms would extrapolate: a register of 30 requests is scored as
        the smallest one fitted, one of ten million as the largest.
        """
        sizes = list(self.meta.get("sizes", {}).values())
        if not sizes:
            return requests
        return min(max(requests, min(sizes)), max(sizes))

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(FEATURES),
                "weights": self.weights,
                "levels": dict(sorted(self.levels.items())),
                "meta": self.meta,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> Competition:
        data = json.loads(text)
        return cls(
            weights=list(data["weights"]),
            meta=data.get("meta", {}),
            levels=dict(data.get("levels", {})),
        )

    @classmethod
    def fit(
        cls,
        *,
        x: np.ndarray,
        y: np.ndarray,
        l2: float = 1.0,
        meta: dict | None = None,
        levels: tuple[str, ...] = (),
    ):
        """Logistic regression by Newton's method (intercept not penalised).

        ``x``: ``features``' columns, then one 0/1 column per name of ``levels``
        (``comparison=level``), then the intercept.
        """
        beta = np.zeros(x.shape[1])
        penalty = np.full(x.shape[1], l2)
        penalty[-1] = 0.0
        for _ in range(100):
            p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -35, 35)))
            gradient = x.T @ (p - y) + penalty * beta
            hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
            step = np.linalg.solve(hessian, gradient)
            beta -= step
            if np.max(np.abs(step)) < 1e-8:
                break
        beta = [round(float(b), 5) for b in beta]
        first = len(beta) - len(levels) - 1
        return cls(
            weights=[*beta[:first], beta[-1]],
            meta=dict(meta or {}),
            levels={name: b for name, b in zip(levels, beta[first:-1], strict=True) if b},
        )


@functools.lru_cache(maxsize=1)
def default_competition() -> Competition | None:
    """The shipped competition weights (``data/competition.json``), if fitted."""
    path = resources.files("corridor.matching").joinpath("data/competition.json")
    if not path.is_file():
        return None
    return Competition.from_json(path.read_text("utf-8"))
