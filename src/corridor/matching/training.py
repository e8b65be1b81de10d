"""Fitting the match model: on synthetic corridor data, or on reviewers' decisions.

The shipped model (``data/model.json``) is fitted by ``fit_synthetic`` on data from ``synth``
at several noise levels, never on benchmark data. ``train`` re-fits it on labelled pairs of the
node's own records; unlabelled candidates of the same run count as non-matches with a small
weight, so a handful of confirmed matches cannot make every pair look like one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from corridor.matching.blocking import candidates
from corridor.matching.features import NameFrequencies, compare, name_statistics, prepare
from corridor.matching.model import Model, accumulate, fit, fit_patterns
from corridor.matching.synth import NoiseModel, generate

__all__ = ["training_pairs", "fit_synthetic", "train", "train_on_pairs"]


def training_pairs(
    *,
    left: Sequence[dict],
    right: Sequence[dict],
    truth: set[tuple[str, str]],
    frequencies: NameFrequencies | None = None,
) -> Iterator[tuple[dict[str, str], float]]:
    """Comparison levels and label of every blocked candidate pair (what ``link`` will score).

    ``frequencies`` are the name statistics the model will be used with (the register's own by
    default), so that it learns from the same levels it will score.
    """
    left_prepared = [prepare(record=r, side="left") for r in left]
    right_prepared = [prepare(record=r, side="right") for r in right]
    frequencies = frequencies or name_statistics(left=left_prepared, right=right_prepared)
    for j, found in candidates(left=left_prepared, right=right_prepared):
        b = right_prepared[j]
        for i in found:
            a = left_prepared[i]
            yield (
                compare(a, b, frequencies=frequencies),
                1.0 if (a.record_id, b.record_id) in truth else 0.0,
            )


def fit_synthetic(
    *, n_left: int = 6000, seed: int = 7, noise_levels: Sequence[float] = (0.7, 1.0, 1.6, 2.2)
) -> Model:
    """Fit the model on synthetic data drawn at several noise levels (one seed per level)."""
    patterns: dict[tuple, list[float]] = {}
    pairs = 0
    for k, level in enumerate(noise_levels):
        left, right, truth = generate(n_left=n_left, seed=seed + k, noise=NoiseModel(level=level))
        rows = list(training_pairs(left=left, right=right, truth=set(truth)))
        pairs += len(rows)
        accumulate(patterns=patterns, levels=[r[0] for r in rows], labels=[r[1] for r in rows])
    meta = {
        "source": "synthetic",
        "n_left": n_left,
        "seed": seed,
        "noise_levels": list(noise_levels),
        "pairs": pairs,
    }
    return fit_patterns(patterns=patterns, meta=meta)


def train(
    *,
    left: Sequence[dict],
    right: Sequence[dict],
    decisions: dict[tuple[str, str], str],
    base: Model | None = None,
    unlabelled_weight: float = 0.2,
    prior_weight: float = 1.0,
    frequencies: NameFrequencies | None = None,
) -> Model:
    """Re-fit the model on reviewers' decisions ("match", "no_match", "unsure") about pairs.

    "unsure" decisions are left out. Candidate pairs nobody reviewed are weak negatives, and
    the base model's own predictions on them are added as soft labels (weight ``prior_weight``)
    so that levels no reviewer has seen keep the base model's weights rather than falling to 0;
    the L2 penalty pulls towards the base weights too. ``frequencies`` as in ``training_pairs``.
    """
    from corridor.matching.model import default_model

    base = base or default_model()
    left_by_id = {r["record_id"]: r for r in left}
    right_by_id = {r["record_id"]: r for r in right}
    truth = {pair for pair, decision in decisions.items() if decision == "match"}
    rows = list(training_pairs(left=left, right=right, truth=truth, frequencies=frequencies))
    candidate_levels, candidate_labels = [r[0] for r in rows], [r[1] for r in rows]
    levels: list[dict[str, str]] = []
    labels: list[float] = []
    weights: list[float] = []
    for pair_levels, label in zip(candidate_levels, candidate_labels, strict=True):
        soft = base.probability(pair_levels)
        levels.append(pair_levels)
        labels.append(soft)
        weights.append(prior_weight)
        if not label:
            levels.append(pair_levels)
            labels.append(0.0)
            weights.append(unlabelled_weight)
    frequencies = frequencies or name_statistics(
        left=[prepare(record=r, side="left") for r in left],
        right=[prepare(record=r, side="right") for r in right],
    )
    for (left_id, right_id), decision in decisions.items():
        if (
            decision not in ("match", "no_match")
            or left_id not in left_by_id
            or right_id not in right_by_id
        ):
            continue
        a = prepare(record=left_by_id[left_id], side="left")
        b = prepare(record=right_by_id[right_id], side="right")
        levels.append(compare(a, b, frequencies=frequencies))
        labels.append(1.0 if decision == "match" else 0.0)
        weights.append(5.0)
    return fit(
        levels=levels,
        labels=labels,
        sample_weight=weights,
        meta={"source": "reviewed", "decisions": len(decisions)},
        prior=base,
    )


def train_on_pairs(
    *, pairs: Sequence[tuple[dict, dict]], labels: Sequence[bool | None], base: Model | None = None
) -> Model:
    """Fit on explicit (request, found child) pairs labelled True, False or None (unsure).

    Unsure pairs are dropped. The base model's predictions on the same pairs are added as soft
    labels so that a few dozen reviews adjust the weights rather than replace them.
    """
    from corridor.matching.model import default_model

    base = base or default_model()
    levels: list[dict[str, str]] = []
    targets: list[float] = []
    weights: list[float] = []
    for (a, b), label in zip(pairs, labels, strict=True):
        if label is None:
            continue
        pair_levels = compare(prepare(record=a, side="left"), prepare(record=b, side="right"))
        levels.extend((pair_levels, pair_levels))
        targets.extend((1.0 if label else 0.0, base.probability(pair_levels)))
        weights.extend((5.0, 1.0))
    return fit(
        levels=levels,
        labels=targets,
        sample_weight=weights,
        meta={"source": "reviewed pairs", "pairs": len(levels) // 2},
        prior=base,
    )


def competition_rows(
    *, left: Sequence[dict], right: Sequence[dict], truth: set[tuple[str, str]], workers: int = 1
):
    """Design matrix of ``competition.features`` and labels of every kept candidate pair."""
    import numpy as np

    from corridor.matching.competition import features, log_competitors
    from corridor.matching.engine import LinkJob

    job = LinkJob(left=left, right=right, workers=workers, competition=None)
    parts = [job.score(bounds) for bounds in job.batches()]
    log_odds, rivals, lefts, rights = (np.concatenate([p[k] for p in parts]) for k in range(4))
    left_rivals = log_competitors(log_odds=log_odds, groups=lefts)
    left_ids, right_ids = job.left.record_ids, job.right.record_ids
    labels = np.asarray(
        [
            (left_ids[i], right_ids[j]) in truth
            for i, j in zip(lefts.tolist(), rights.tolist(), strict=True)
        ],
        dtype=np.float64,
    )
    return features(log_odds=log_odds, right=rivals, left=left_rivals), labels


def fit_competition(
    *,
    sizes: Sequence[int] = (2000, 8000, 30000),
    seed: int = 11,
    noise_levels: Sequence[float] = (1.0, 1.6),
    workers: int = 1,
):
    """Fit ``competition.Competition`` on synthetic registers of several sizes and noises.

    Sizes matter: the weights must say how much a namesake costs in a small register and in a
    large one alike, so each size has the same total weight in the fit.
    """
    import numpy as np

    from corridor.matching.competition import Competition

    xs, ys = [], []
    for k, (size, level) in enumerate((s, n) for s in sizes for n in noise_levels):
        left, right, truth = generate(n_left=size, seed=seed + k, noise=NoiseModel(level=level))
        x, y = competition_rows(left=left, right=right, truth=set(truth), workers=workers)
        xs.append(x)
        ys.append(y)
    meta = {
        "source": "synthetic",
        "sizes": list(sizes),
        "seed": seed,
        "noise_levels": list(noise_levels),
        "pairs": int(sum(len(y) for y in ys)),
    }
    return Competition.fit(x=np.concatenate(xs), y=np.concatenate(ys), meta=meta)
