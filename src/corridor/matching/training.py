"""Fitting the match model: on labelled registers, or on reviewers' decisions.

The shipped model (``data/model.json``) is fitted by ``fit_registers`` on the family-tracing
benchmark's published development sets (``bench/match_train.py``); the held-out sets it is judged
on are never read. ``train`` re-fits it on labelled pairs of the node's own records; unlabelled
candidates of the same run count as non-matches with a small weight, so a handful of confirmed
matches cannot make every pair look like one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from corridor.matching.blocking import candidates
from corridor.matching.features import (
    COMPARISONS,
    NameFrequencies,
    compare,
    name_statistics,
    prepare,
)
from corridor.matching.model import FEATURES, Model, fit, fit_patterns

__all__ = [
    "training_pairs",
    "pattern_totals",
    "fit_registers",
    "train",
    "train_on_pairs",
]


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


def pattern_totals(
    *,
    left: Sequence[dict],
    right: Sequence[dict],
    truth: set[tuple[str, str]],
    patterns: dict[tuple, list[float]],
    workers: int = 1,
) -> int:
    """Add the level patterns of every candidate pair ``link`` scores to ``patterns``.

    The columnar path of ``training_pairs`` (same candidates, same levels as the engine),
    counted into (pattern -> [matches, non-matches]) totals for ``model.fit_patterns``.
    Returns the number of pairs added.
    """
    import numpy as np

    from corridor.matching.engine import LinkJob
    from corridor.matching.scoring import pair_codes

    job = LinkJob(left=left, right=right, workers=workers, competition=None)
    names = list(COMPARISONS)
    pairs = 0
    for bounds in job.batches():
        rights, lefts = job.candidates(bounds)
        codes = pair_codes(
            left=job.left, right=job.right, i=lefts, j=rights, frequencies=job.frequencies
        )
        labels = _labels(job=job, lefts=lefts, rights=rights, truth=truth)
        matrix = np.column_stack([codes[name] for name in names]).astype(np.int16)
        unique, inverse = np.unique(matrix, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        matches = np.bincount(inverse, weights=labels, minlength=len(unique))
        counts = np.bincount(inverse, minlength=len(unique))
        for row, match, count in zip(
            unique.tolist(), matches.tolist(), counts.tolist(), strict=True
        ):
            key = tuple(
                sorted(
                    (name, COMPARISONS[name][code])
                    for name, code in zip(names, row, strict=True)
                    if code < len(COMPARISONS[name])
                )
            )
            totals = patterns.setdefault(key, [0.0, 0.0])
            totals[0] += match
            totals[1] += count - match
        pairs += len(lefts)
    return pairs


def _labels(*, job, lefts, rights, truth: set[tuple[str, str]]):
    """1.0 for each candidate (left index, right index) of ``job`` that is a true pair."""
    import numpy as np

    left_ids, right_ids = job.left.record_ids, job.right.record_ids
    return np.fromiter(
        (
            (left_ids[i], right_ids[j]) in truth
            for i, j in zip(lefts.tolist(), rights.tolist(), strict=True)
        ),
        dtype=np.float64,
        count=len(lefts),
    )


def fit_registers(
    registers: Iterable[tuple[str, Sequence[dict], Sequence[dict], set[tuple[str, str]]]],
    *,
    workers: int = 1,
    meta: dict | None = None,
) -> Model:
    """Fit the pair model on labelled registers: (name, requests, found children, true pairs)."""
    patterns: dict[tuple, list[float]] = {}
    counted = {}
    for name, left, right, truth in registers:
        counted[name] = pattern_totals(
            left=left, right=right, truth=truth, patterns=patterns, workers=workers
        )
    return fit_patterns(patterns=patterns, meta={**(meta or {}), "pairs": counted})


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


COMPETITION_LEVELS = tuple(name for name in FEATURES if not name.startswith("name_count="))
"""The comparison levels the competition re-weighs (``Competition.levels``): all but the count
of requests carrying the full name, which is the pair model's own measure of the crowd; left
to the competition, the count's penalty went to the sums of rivals, and eight identical
namesakes each kept a third of a chance."""


def competition_rows(
    *,
    left: Sequence[dict],
    right: Sequence[dict],
    truth: set[tuple[str, str]],
    workers: int = 1,
    model: Model | None = None,
    found: int | None = None,
):
    """Design matrix of ``competition.features`` and labels of every kept candidate pair.

    The candidates are scored by ``model`` (the shipped pair model by default). With ``found``,
    only the pairs of the first ``found`` found children are returned, their competitors still
    counted among all of them: a request's rivals are as many as in a whole run.
    """
    import numpy as np

    from corridor.matching.competition import features, log_competitors
    from corridor.matching.engine import LinkJob
    from corridor.matching.features import COMPARISONS
    from corridor.matching.scoring import pair_codes

    job = LinkJob(left=left, right=right, workers=workers, competition=None, model=model)
    parts = [job.score(bounds) for bounds in job.batches()]
    log_odds, rivals, lefts, rights = (np.concatenate([p[k] for p in parts]) for k in range(4))
    left_rivals = log_competitors(log_odds=log_odds, groups=lefts)
    if found is not None:
        kept = rights < found
        log_odds, rivals, left_rivals = log_odds[kept], rivals[kept], left_rivals[kept]
        lefts, rights = lefts[kept], rights[kept]
    labels = _labels(job=job, lefts=lefts, rights=rights, truth=truth)
    x = features(log_odds=log_odds, right=rivals, left=left_rivals, requests=len(left))
    # Then each comparison level as a 0/1 column (``Competition.levels``), the intercept last.
    codes = pair_codes(
        left=job.left, right=job.right, i=lefts, j=rights, frequencies=job.frequencies
    )
    split = [name.split("=", 1) for name in COMPETITION_LEVELS]
    indicators = [codes[name] == COMPARISONS[name].index(level) for name, level in split]
    x = np.column_stack([x[:, :-1], *indicators, x[:, -1:]])
    return x, labels, one_child_counts(job=job, lefts=lefts, rights=rights, labels=labels)


def one_child_counts(*, job, lefts, rights, labels) -> tuple[int, int]:
    """How often a child's true request has another candidate surely filed for the same child
    (``LinkJob.same_child``), and how often that one is a true pair too.

    ``lefts``, ``rights``: a job's candidates, grouped by right record; ``labels``: 1.0 for a
    true pair. Their ratio is the share by which ``LinkJob`` lifts the other parent's request.
    """
    import numpy as np

    from corridor.matching.assignment import pairs_within_runs

    order = np.argsort(rights, kind="stable")
    lefts, rights, labels = lefts[order], rights[order], labels[order] > 0
    sought = np.isin(rights, rights[labels])
    lefts, rights, labels = lefts[sought], rights[sought], labels[sought]
    p, q = pairs_within_runs(rights)
    either = labels[p] | labels[q]
    p, q = p[either], q[either]
    sure = job.same_child(lefts[p], lefts[q], sure=True)
    both = int((sure & labels[p] & labels[q]).sum())
    # Ordered: from a true request to the other, both ways when both are true.
    return int(sure.sum()) + both, 2 * both


def fit_competition(
    registers: Iterable[tuple[str, Sequence[dict], Sequence[dict], set[tuple[str, str]]]],
    *,
    workers: int = 1,
    meta: dict | None = None,
    model: Model | None = None,
    found: dict[str, int] | None = None,
):
    """Fit ``competition.Competition`` on labelled registers of several sizes.

    Sizes matter: the weights must say how much a namesake costs in a small register and in a
    large one alike. ``registers`` as ``fit_registers`` reads them; the pair model scoring the
    candidates is ``model``, by default the shipped one (fit it first). ``found`` (register
    name: count) fits on the pairs of a register's first found children only, scored among all
    (``competition_rows``).
    """
    import numpy as np

    from corridor.matching.competition import Competition

    xs, ys, counted, sizes = [], [], {}, {}
    pairs = same = 0
    for name, left, right, truth in registers:
        sizes[name] = len(left)
        x, y, (sure, true) = competition_rows(
            left=left,
            right=right,
            truth=truth,
            workers=workers,
            model=model,
            found=(found or {}).get(name),
        )
        xs.append(x)
        ys.append(y)
        counted[name] = len(y)
        pairs, same = pairs + sure, same + true
    share = round(same / pairs, 4) if pairs else 0.0
    return Competition.fit(
        x=np.concatenate(xs),
        y=np.concatenate(ys),
        meta={**(meta or {}), "pairs": counted, "sizes": sizes, "one_child_share": share},
        levels=COMPETITION_LEVELS,
    )
