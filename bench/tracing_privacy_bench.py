"""Accuracy lost by privacy-preserving look-up (CLK + Dice) against clear-text matching.

    .venv/bin/python bench/tracing_privacy_bench.py tests/data/ftr/dev \
        tests/data/ftr/dev-hard --out /tmp/tracing-bench

For each set it writes ``links-clear.csv`` (the engine on names in clear) and ``links-clk.csv``
(Bloom-filter encodings under a random pair key, Dice similarity, greedy decision), then runs the
benchmark's ``score.py`` on both. The Dice threshold is chosen on synthetic data drawn by
``corridor.matching.synth`` (never on the dev sets), so the numbers are honest for held-out data.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corridor.matching.engine import link  # noqa: E402
from corridor.matching.records import read_records  # noqa: E402
from corridor.tracing import clk  # noqa: E402

SCORER = Path(__file__).resolve().parents[1] / "tests" / "data" / "ftr" / "score.py"
"""The benchmark's scorer, as copied into the repository (tests/data/ftr/SOURCE.md)."""


def encode_all(records: list[dict], *, key: bytes, side: str) -> list[tuple[str, bytes]]:
    return [(r["record_id"], clk.encode(record=r, key=key, side=side)) for r in records]


def clk_links(
    *, left: list[dict], right: list[dict], key: bytes, weights: dict, threshold: float = 0.5
):
    """Encode both sides, rank requests for every found child, decide greedily."""
    queries = encode_all(left, key=key, side="left")
    targets = encode_all(right, key=key, side="right")
    by_id = dict(queries)
    # The found child asks, as score.py's recall@10 counts: its 10 best requests.
    candidates = clk.best_candidates(queries=targets, targets=queries, top_k=10, weights=weights)
    pairs = [clk.Candidate(c.target_id, c.query_id, c.score) for c in candidates]

    def same(a: str, b: str) -> bool:
        levels = clk.field_dice(clk.matrix([by_id[a]]), clk.matrix([by_id[b]]))
        return float(clk.probability(levels, weights)[0, 0]) >= threshold

    decided = clk.assign(candidates=pairs, threshold=threshold, same_query=same)
    return [(c.query_id, c.target_id, c.score, (c.query_id, c.target_id) in decided) for c in pairs]


def write_links(path: Path, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id", "score", "match"])
        for left_id, right_id, score, match in rows:
            writer.writerow([left_id, right_id, f"{score:.6f}", int(match)])


def score(truth: Path, links: Path) -> str:
    result = subprocess.run(
        [sys.executable, str(SCORER), str(truth), str(links)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def fit_on_synthetic(*, key: bytes) -> dict:
    """Field weights fitted on synthetic data at four noise levels (never on the dev sets)."""
    from corridor.matching.synth import NoiseModel, generate

    queries, targets, truth = [], [], set()
    for k, level in enumerate((0.7, 1.0, 1.6, 2.2)):
        left, right, pairs = generate(n_left=1500, seed=7 + k, noise=NoiseModel(level=level))
        tag = f"s{k}-"
        queries += [(tag + i, e) for i, e in encode_all(right, key=key, side="right")]
        targets += [(tag + i, e) for i, e in encode_all(left, key=key, side="left")]
        truth |= {(tag + r, tag + left_id) for left_id, r in pairs}
    return clk.fit_weights(queries=queries, targets=targets, truth=truth)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/tracing-bench"))
    parser.add_argument("--shipped", action="store_true", help="use clk.WEIGHTS, do not fit")
    args = parser.parse_args()
    key = clk.pair_key(secret=os.urandom(32), nodes=("togo", "gabon"))
    started = time.perf_counter()
    if args.shipped:
        weights = clk.WEIGHTS
    else:
        weights = fit_on_synthetic(key=key)
        print("weights fitted on synthetic data:", json.dumps(weights))
    for folder in args.sets:
        out = args.out / folder.name
        out.mkdir(parents=True, exist_ok=True)
        left = read_records(path=folder / "tracing_requests.csv", side="left")
        right = read_records(path=folder / "found_children.csv", side="right")
        t0 = time.perf_counter()
        clear = link(left=left, right=right)
        t1 = time.perf_counter()
        write_links(
            out / "links-clear.csv", [(x.left_id, x.right_id, x.score, x.match) for x in clear]
        )
        rows = clk_links(left=left, right=right, key=key, weights=weights)
        t2 = time.perf_counter()
        write_links(out / "links-clk.csv", rows)
        truth = folder / "truth.csv"
        print(f"{folder.name}: clear  {score(truth, out / 'links-clear.csv')}  ({t1 - t0:.1f}s)")
        print(f"{folder.name}: CLK    {score(truth, out / 'links-clk.csv')}  ({t2 - t1:.1f}s)")
    print(f"total {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
