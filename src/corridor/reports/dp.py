"""Differentially private counts with OpenDP (no Django here).

The privacy unit is one identified person (the caller takes a person's cases as one record,
``reports.anonymise.one_per_person``): adding or removing one person changes one bin of a
histogram by one, so the L1 sensitivity is 1 and Laplace noise of scale 1/ε gives ε-differential
privacy. OpenDP computes the guarantee (``measurement.map``) rather than trusting the formula;
the ledger (``reports.models.PrivacyBudget``) refuses releases beyond the budget.
"""

from __future__ import annotations

from collections import Counter

import opendp.prelude as dp

dp.enable_features("contrib")


def dp_histogram(values: list[str], categories: list[str], *, epsilon: float) -> dict[str, int]:
    """Noisy count of each category (every category is released, even at zero, so that the
    presence of a bin reveals nothing). Negative noisy counts are shown as 0 (post-processing
    costs no privacy)."""
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    counts = Counter(v for v in values if v in categories)
    exact = [counts.get(c, 0) for c in categories]
    measurement = dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=int), size=len(categories)),
        dp.l1_distance(T=int),
        scale=1.0 / epsilon,
    )
    spent = measurement.map(1)
    if spent > epsilon * (1 + 1e-9):
        raise ValueError(f"the measurement would spend {spent} > {epsilon}")
    noisy = measurement(exact)
    return {c: max(0, int(n)) for c, n in zip(categories, noisy, strict=True)}


def privacy_spent(epsilon: float) -> float:
    """ε of one histogram release at the given noise level (1/scale for sensitivity 1)."""
    measurement = dp.m.make_laplace(
        dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=1.0 / epsilon
    )
    return float(measurement.map(1))
