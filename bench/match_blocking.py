"""Blocking recall: the share of true pairs that reach scoring, at every register size.

Builds the linking job (preparation and index, as ``corridor match`` does) and looks up the
candidates of every found child, then counts the true pairs among them.

    .venv/bin/python bench/match_blocking.py ../shared/benchmarks/ftr/dev-large ...
    .venv/bin/python bench/match_blocking.py --synth 20000      # a generated register
    .venv/bin/python bench/match_blocking.py --ranks ../shared/benchmarks/ftr/dev-scale
        # no cap on candidates: the share of true pairs kept at 10, 40, 100, ... per child
    .venv/bin/python bench/match_blocking.py --ranks --first 10000 ../shared/.../dev-scale
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def blocking_recall(*, left, right, truth, workers: int = 2, **options) -> dict:
    """Share of ``truth`` pairs (left id, right id) among the candidates, and their number."""
    from corridor.matching.engine import LinkJob

    clock = time.perf_counter()
    job = LinkJob(left=left, right=right, workers=workers, **options)
    from corridor.matching.runs import rank_in_groups

    ranks, total_candidates = [], 0
    wanted = {(a, b) for a, b in truth}
    left_ids, right_ids = job.left.record_ids, job.right.record_ids
    for start, stop in job.batches():
        rights, lefts = job.candidates((start, stop))
        total_candidates += len(lefts)
        positions = rank_in_groups(rights).tolist()
        for i, j, k in zip(lefts.tolist(), rights.tolist(), positions, strict=True):
            if (left_ids[i], right_ids[j]) in wanted:
                ranks.append(k)
    ranks = np.asarray(ranks)
    return {
        "pairs": len(wanted),
        "recall": len(ranks) / max(len(wanted), 1),
        "at": {c: float((ranks < c).sum() / max(len(wanted), 1)) for c in _CUTS},
        "candidates_per_child": total_candidates / max(len(right), 1),
        "seconds": round(time.perf_counter() - clock, 1),
    }


_CUTS = (10, 40, 100, 150, 200, 1000)


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help="benchmark set directories")
    parser.add_argument("--synth", type=int, nargs="*", default=[], help="generated sizes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ranks", action="store_true", help="no cap; recall at several caps")
    parser.add_argument(
        "--first", type=int, help="only the first N found children (all requests), for a sample"
    )
    args = parser.parse_args()
    runs = []
    for directory in map(Path, args.sets):
        right = _read(directory / "found_children.csv")[: args.first]
        kept = {r["record_id"] for r in right}
        truth = [
            (r["left_id"], r["right_id"])
            for r in _read(directory / "truth.csv")
            if r["right_id"] in kept
        ]
        runs.append((directory.name, _read(directory / "tracing_requests.csv"), right, truth))
    for size in args.synth:
        from corridor.matching.synth import generate

        left, right, truth = generate(n_left=size, seed=size)
        runs.append((f"synth-{size}", left, right, truth))
    for name, left, right, truth in runs:
        options = {"max_candidates": 10**9} if args.ranks else {}
        result = blocking_recall(
            left=left, right=right, truth=truth, workers=args.workers, **options
        )
        print(
            f"{name}: {len(left)} x {len(right)}, blocking recall {result['recall']:.4f} "
            f"of {result['pairs']} true pairs, {result['candidates_per_child']:.0f} "
            f"candidates per found child, {result['seconds']} s",
            flush=True,
        )
        if args.ranks:
            print("  kept within " + ", ".join(f"{c}: {r:.4f}" for c, r in result["at"].items()))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
