"""Fit the shipped match model on synthetic corridor data (never on benchmark data).

.venv/bin/python bench/match_train.py --out src/corridor/matching/data/model.json
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corridor.matching.training import fit_synthetic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n-left", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    model = fit_synthetic(n_left=args.n_left, seed=args.seed)
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(model.meta, file=sys.stderr)


if __name__ == "__main__":
    main()
