"""The reintegration score of a follow-up visit, on the three dimensions of IOM's reintegration
sustainability model (economic, social, psychosocial), as ``docs/childcare.md`` explains.

Each item is rated 1 (worst) to 5 (best) and scaled to 0..1 as ``(rating - 1) / 4``; a dimension
is the mean of its items; the score is the weighted mean of the dimensions. A child counts as
sustainably reintegrated at a visit when the score reaches ``THRESHOLD``, no dimension falls
below ``FLOOR``, and the child is neither gone nor exploited again. Only these structured answers
count: never a word in free text.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

SCALE = (1, 5)
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "economic": ("econ_needs", "econ_learning"),
    "social": ("soc_housing", "soc_services"),
    "psychosocial": ("psy_wellbeing", "psy_safety", "psy_belonging"),
}
WEIGHTS = {"economic": Decimal(1), "social": Decimal(1), "psychosocial": Decimal(1)}
THRESHOLD = Decimal("0.5")
FLOOR = Decimal("0.25")
BREAKDOWN = ("left", "retrafficked")
ITEMS = tuple(item for items in DIMENSIONS.values() for item in items)
_PLACES = Decimal("0.001")


def in_scale(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and SCALE[0] <= value <= SCALE[1]


def dimension_scores(ratings: dict[str, int]) -> dict[str, Decimal]:
    span = Decimal(SCALE[1] - SCALE[0])
    return {
        name: (
            sum(Decimal(ratings[i] - SCALE[0]) / span for i in items) / Decimal(len(items))
        ).quantize(_PLACES, ROUND_HALF_UP)
        for name, items in DIMENSIONS.items()
    }


def score(ratings: dict[str, int], living_with: str) -> dict:
    """The dimension scores, the composite score and whether the child counts as reintegrated."""
    dims = dimension_scores(ratings)
    total = sum(WEIGHTS[d] * v for d, v in dims.items()) / sum(WEIGHTS.values())
    total = total.quantize(_PLACES, ROUND_HALF_UP)
    reintegrated = (
        total >= THRESHOLD and min(dims.values()) >= FLOOR and living_with not in BREAKDOWN
    )
    return {**dims, "score": total, "reintegrated": reintegrated}
