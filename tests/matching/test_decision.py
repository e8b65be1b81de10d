"""The decision cut: with calibrated probabilities, the cut that maximises the expected F1."""

import numpy as np

from corridor.matching.assignment import LOWEST_CUT, best_f1_cut
from corridor.matching.engine import LinkJob, run_job
from corridor.matching.synth import generate


def _f1(probability: np.ndarray, truth: np.ndarray, cut: float) -> float:
    decided = probability >= cut
    return 2 * (decided & truth).sum() / (decided.sum() + truth.sum())


def test_the_cut_is_about_half_the_best_f1_and_finds_it():
    rng = np.random.default_rng(5)
    for a, b in ((0.6, 0.6), (0.3, 1.2), (2.0, 0.5)):  # doubtful, mostly strangers, mostly sure
        probability = rng.beta(a, b, 20_000)
        truth = rng.random(len(probability)) < probability  # calibrated by construction
        cut = best_f1_cut(probability, expected=float(probability.sum()))
        best = max(_f1(probability, truth, t) for t in np.linspace(LOWEST_CUT, 0.95, 66))
        assert _f1(probability, truth, cut) >= best - 0.005
        assert abs(cut - max(_f1(probability, truth, cut) / 2, LOWEST_CUT)) < 0.03


def test_no_pair_is_decided_below_the_lowest_cut():
    assert best_f1_cut(np.full(10, 0.05), expected=50.0) == LOWEST_CUT
    assert best_f1_cut(np.zeros(0), expected=0.0) == LOWEST_CUT


def test_a_run_decides_from_its_cut_and_a_given_threshold_is_kept():
    left, right, _truth = generate(n_left=1200, seed=21)
    auto = run_job(job=LinkJob(left=left, right=right))
    # About half the F1 (0.95 here); a little more, as the shipped fit never saw this generator.
    assert LOWEST_CUT <= auto.cut <= 0.6
    assert (auto.probability[auto.match] >= auto.cut).all() and auto.match.sum() > 100
    fixed = run_job(job=LinkJob(left=left, right=right, threshold=0.8))
    assert fixed.cut == 0.8 and (fixed.probability[fixed.match] >= 0.8).all()
    assert fixed.match.sum() < auto.match.sum()
