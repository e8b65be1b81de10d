"""Fit the shipped match model on synthetic corridor data (never on benchmark data).

.venv/bin/python bench/match_train.py --out src/corridor/matching/data/model.json
.venv/bin/python bench/match_train.py --competition --out src/corridor/matching/data/competition.json
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corridor.matching.training import fit_competition, fit_synthetic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n-left", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--competition",
        action="store_true",
        help="fit the competition stage (on registers of several sizes) instead of the pair model",
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000, 8000, 30000, 100000])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.competition:
        competition = fit_competition(sizes=args.sizes, workers=args.workers)
        args.out.write_text(competition.to_json() + "\n", encoding="utf-8")
        print(competition.meta, file=sys.stderr)
        return
    model = fit_synthetic(n_left=args.n_left, seed=args.seed)
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(model.meta, file=sys.stderr)


if __name__ == "__main__":
    main()
