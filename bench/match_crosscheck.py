"""Each acceptance-sized published set scored by a match model fitted without it.

.venv/bin/python bench/match_crosscheck.py            # dev-large, dev-large-hard, dev-scale

The shipped pair model and competition stage are fitted on the published development sets
(``bench/match_train.py``); the benchmark is judged on held-out sets drawn like them with other
seeds. This estimates what a held-out set of each size would give:
- dev-large and dev-large-hard: the pair model and the competition are fitted again without the
  set, then it is linked and scored;
- dev-scale: the shipped fit saw only its first ``--scale-found`` found children (the
  competition stage; the pair model never saw dev-scale), so all its requests are linked to the
  other found children, and those links are scored against their true pairs.
Scores use the benchmark's ``score.py``. Progress goes to stderr, a markdown table to stdout.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from match_train import COMPETITION_SETS, PAIR_SETS, published  # noqa: E402

from corridor.matching.competition import default_competition  # noqa: E402
from corridor.matching.engine import link_columns  # noqa: E402
from corridor.matching.model import default_model  # noqa: E402
from corridor.matching.training import fit_competition, fit_registers  # noqa: E402

BENCHMARK = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "ftr"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def score(*, folder: Path, left, right, truth, model, competition, out: Path) -> str:
    """Link, write links.csv and truth.csv for these records, and return score.py's last line."""
    result = link_columns(left=left, right=right, model=model, workers=2, competition=competition)
    with open(out / "links.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id", "score", "match"])
        for rows in result.rows():
            writer.writerows(rows)
    with open(out / "truth.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id"])
        writer.writerows(sorted(truth))
    printed = subprocess.run(
        [sys.executable, str(folder.parent / "score.py"), out / "truth.csv", out / "links.csv"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return printed.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", type=Path, default=BENCHMARK)
    parser.add_argument("--sets", nargs="*", default=["dev-large", "dev-large-hard", "dev-scale"])
    parser.add_argument("--scale-found", type=int, default=10_000)
    args = parser.parse_args()
    root = args.benchmark
    print("| set | fitted without it | scored | decision F1 / best F1 / recall@10 |")
    print("|---|---|---|---|")
    for name in args.sets:
        (_, left, right, truth) = next(published([name], root=root))
        if name == "dev-scale":
            model, competition = default_model(), default_competition()  # as shipped
            right = right[args.scale_found :]
            kept = {record["record_id"] for record in right}
            truth = {pair for pair in truth if pair[1] in kept}
            without = f"its first {args.scale_found:,} found children"
        else:
            log(f"fitting the pair model without {name}")
            pair_sets = [s for s in PAIR_SETS if s != name]
            model = fit_registers(published(pair_sets, root=root), workers=2)
            log(f"fitting the competition without {name}")
            competition = fit_competition(
                published([s for s in COMPETITION_SETS if s != name], root=root),
                workers=2,
                model=model,
                found={"dev-scale": args.scale_found},
            )
            without = "the whole set"
        log(f"linking {name}: {len(left):,} x {len(right):,}")
        with tempfile.TemporaryDirectory() as folder:
            line = score(
                folder=root / name,
                left=left,
                right=right,
                truth=truth,
                model=model,
                competition=competition,
                out=Path(folder),
            )
        print(f"| {name} | {without} | {len(left):,} × {len(right):,} | {line} |", flush=True)


if __name__ == "__main__":
    main()
