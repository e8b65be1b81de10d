"""Is the competition's form what limits accuracy at scale? A split-half check on one set.

    .venv/bin/python bench/match_ceiling.py ../shared/benchmarks/ftr/dev-scale
    .venv/bin/pip install scikit-learn   # optional: the boosted-trees rows need it

Every kept candidate pair of the set (scored by the shipped pair model, as ``corridor match``
keeps them) is split by its found child: even indices fit, odd indices are scored. On the odd
half it prints, for each model, how many true pairs are among each child's ten best, and the
F1 of greedy assignment (a request to one child, a child to two requests) at the best cut:
- the competition form (``Competition.fit``, as shipped), fitted on the even half;
- boosted trees (scikit-learn) on the same columns, plus the candidate's rank and gap to the
  child's best and the number of candidates, with every comparison level as a category.
Progress goes to stderr. Scikit-learn is not a dependency of Corridor: without it, only the
first row is printed.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corridor.matching.competition import Competition, features, log_competitors  # noqa: E402
from corridor.matching.engine import LinkJob  # noqa: E402
from corridor.matching.features import COMPARISONS  # noqa: E402
from corridor.matching.records import read_records  # noqa: E402
from corridor.matching.runs import rank_in_groups  # noqa: E402
from corridor.matching.scoring import pair_codes  # noqa: E402
from corridor.matching.training import COMPETITION_LEVELS, _labels  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def kept_pairs(folder: Path) -> dict:
    """Every kept candidate pair of a set, grouped by found child, best first, with its
    competition columns, level codes and label."""
    left = read_records(path=folder / "tracing_requests.csv", side="left")
    right = read_records(path=folder / "found_children.csv", side="right")
    with open(folder / "truth.csv", encoding="utf-8", newline="") as handle:
        truth = {(row["left_id"], row["right_id"]) for row in csv.DictReader(handle)}
    job = LinkJob(left=left, right=right, workers=2, competition=None)
    parts = [job.score(bounds) for bounds in job.batches()]
    log_odds, rivals, lefts, rights = (np.concatenate([p[k] for p in parts]) for k in range(4))
    order = np.lexsort((-log_odds, rights))
    log_odds, rivals, lefts, rights = log_odds[order], rivals[order], lefts[order], rights[order]
    left_rivals = log_competitors(log_odds=log_odds, groups=lefts)
    x = features(log_odds=log_odds, right=rivals, left=left_rivals, requests=len(left))
    codes = pair_codes(
        left=job.left, right=job.right, i=lefts, j=rights, frequencies=job.frequencies
    )
    split = [name.split("=", 1) for name in COMPETITION_LEVELS]
    indicators = [codes[name] == COMPARISONS[name].index(level) for name, level in split]
    first = np.flatnonzero(np.r_[True, rights[1:] != rights[:-1]])
    group = np.cumsum(np.r_[True, rights[1:] != rights[:-1]]) - 1
    return {
        "x": np.column_stack([x[:, :-1], *indicators, x[:, -1:]]),
        "base": x[:, :-1],
        "codes": np.column_stack([codes[name] for name in COMPARISONS]),
        "y": _labels(job=job, lefts=lefts, rights=rights, truth=truth),
        "log_odds": log_odds,
        "rivals": rivals,
        "left_rivals": left_rivals,
        "lefts": lefts,
        "rights": rights,
        "rank": rank_in_groups(rights),
        "gap": log_odds - log_odds[first][group],
        "count": np.bincount(group)[group],
        "requests": len(left),
        "true_pairs": len(truth),
    }


def judge(p: np.ndarray, data: dict, held: np.ndarray) -> tuple[int, float]:
    """True pairs among each held-out child's ten best, and greedy assignment's best F1."""
    p, y = p[held], data["y"][held]
    lefts, rights = data["lefts"][held], data["rights"][held]
    order = np.lexsort((-p, rights))
    top = int(y[order][rank_in_groups(rights[order]) < 10].sum())
    used, taken, chosen = set(), {}, []
    for k in np.argsort(-p, kind="stable"):
        if p[k] < 0.05:
            break
        if lefts[k] in used or taken.get(rights[k], 0) >= 2:
            continue
        used.add(lefts[k])
        taken[rights[k]] = taken.get(rights[k], 0) + 1
        chosen.append(k)
    hits = np.cumsum(y[np.asarray(chosen, dtype=np.int64)])
    # The held-out children's true pairs: about half of the set's.
    expected = data["true_pairs"] / 2
    f1 = 2 * hits / (np.arange(1, len(hits) + 1) + expected) if len(hits) else np.zeros(1)
    return top, float(f1.max())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", type=Path, help="a benchmark set directory")
    args = parser.parse_args()
    log(f"scoring the kept pairs of {args.set.name}")
    data = kept_pairs(args.set)
    fit, held = data["rights"] % 2 == 0, data["rights"] % 2 == 1
    log(f"{len(data['y']):,} kept pairs, {int(data['y'].sum()):,} true; fitting")
    competition = Competition.fit(x=data["x"][fit], y=data["y"][fit], levels=COMPETITION_LEVELS)
    adjust = data["x"][:, len(data["base"][0]) : -1] @ np.asarray(
        [competition.levels.get(name, 0.0) for name in COMPETITION_LEVELS]
    )
    final = competition.log_odds(
        log_odds=data["log_odds"],
        right=data["rivals"],
        left=data["left_rivals"],
        requests=data["requests"],
        adjust=adjust,
    )
    final = np.minimum(final, data["log_odds"] - data["rivals"])
    rows = [("competition form (shipped form)", judge(1 / (1 + np.exp(-final)), data, held))]
    try:
        from sklearn.ensemble import HistGradientBoostingClassifier
    except ImportError:
        log("scikit-learn is not installed: boosted trees left out")
    else:
        extra = [data["rank"], data["gap"], np.log(data["count"])]
        design = np.column_stack([data["base"], *extra, data["codes"]])
        numeric = design.shape[1] - data["codes"].shape[1]
        trees = HistGradientBoostingClassifier(
            max_iter=400,
            learning_rate=0.05,
            max_leaf_nodes=31,
            min_samples_leaf=200,
            l2_regularization=1.0,
            categorical_features=[False] * numeric + [True] * data["codes"].shape[1],
            early_stopping=False,
        )
        log("fitting boosted trees")
        trees.fit(design[fit], data["y"][fit])
        rows.append(("boosted trees", judge(trees.predict_proba(design)[:, 1], data, held)))
    print(f"| {args.set.name}, odd found children | true pairs in the ten best | best F1 |")
    print("|---|---|---|")
    for name, (top, f1) in rows:
        print(f"| {name} | {top:,} | {f1:.4f} |")


if __name__ == "__main__":
    main()
