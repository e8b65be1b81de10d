"""Write a synthetic corridor benchmark (left, right, truth CSVs) with the matching generator.

.venv/bin/python bench/gen_corridor.py --n-left 2000 --seed 1 --noise 1.0 --out /tmp/synth
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corridor.matching.synth import LEFT_COLUMNS, RIGHT_COLUMNS, NoiseModel, generate  # noqa: E402


def write(*, out: Path, n_left: int, seed: int, noise: float) -> tuple[int, int, int]:
    """Generate and write ``tracing_requests.csv``, ``found_children.csv`` and ``truth.csv``."""
    left, right, truth = generate(n_left=n_left, seed=seed, noise=NoiseModel(level=noise))
    out.mkdir(parents=True, exist_ok=True)
    for name, rows, columns in (
        ("tracing_requests.csv", left, LEFT_COLUMNS),
        ("found_children.csv", right, RIGHT_COLUMNS),
    ):
        with open(out / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    with open(out / "truth.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id"])
        writer.writerows(truth)
    return len(left), len(right), len(truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-left", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--noise", type=float, default=1.0, help="noise level (1.0 ordinary, 2.0 hard)"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    n_left, n_right, n_true = write(
        out=args.out, n_left=args.n_left, seed=args.seed, noise=args.noise
    )
    print(f"left={n_left} right={n_right} true pairs={n_true}", file=sys.stderr)


if __name__ == "__main__":
    main()
