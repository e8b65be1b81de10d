"""`corridor match` on the published family-tracing sets stays above floors set from measurement.

The sets live beside the repository (``../shared/benchmarks/ftr``, see its README) and are not
copied here; on a clone without them these tests skip, and the same behaviour is tested on
generated registers (test_scale.py). Floors: the numbers measured for issue 15
(docs/benchmarks.md) less a small margin.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from pathlib import Path

import pytest

from corridor.matching import cli

# ../shared beside the repository (or beside the folder of worktrees holding it), or where
# CORRIDOR_FTR_BENCHMARK says.
_HERE = Path(__file__).resolve()
BENCHMARK = Path(
    os.environ.get("CORRIDOR_FTR_BENCHMARK")
    or next(
        (
            found
            for found in (
                _HERE.parents[level] / "shared" / "benchmarks" / "ftr" for level in (3, 4)
            )
            if found.is_dir()
        ),
        _HERE.parents[3] / "shared" / "benchmarks" / "ftr",
    )
)

FLOORS = {
    # set: (decision F1, recall@10)
    "dev": (0.978, 0.998),
    "dev-hard": (0.975, 0.998),
    "dev-large": (0.953, 0.997),
    "dev-large-hard": (0.945, 0.995),
}


def _score(truth_path: Path, links_path: Path) -> tuple[float, float]:
    with truth_path.open(encoding="utf-8") as handle:
        truth = {(r["left_id"], r["right_id"]) for r in csv.DictReader(handle)}
    decided, by_right = set(), defaultdict(list)
    with links_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            pair = (row["left_id"], row["right_id"])
            if row["match"] == "1":
                decided.add(pair)
            by_right[row["right_id"]].append((-float(row["score"]), row["left_id"]))
    hits = len(decided & truth)
    f1 = 2 * hits / (len(decided) + len(truth))
    top = {
        (left, right) for right, scored in by_right.items() for _score, left in sorted(scored)[:10]
    }
    return f1, len(top & truth) / len(truth)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_corridor_match_on_a_published_set(name, tmp_path):
    data = BENCHMARK / name
    if not (data / "truth.csv").exists():
        pytest.skip(f"published set {name} not beside the repository (../shared)")
    out = tmp_path / "links.csv"
    code = cli.main(
        [
            "--left",
            str(data / "tracing_requests.csv"),
            "--right",
            str(data / "found_children.csv"),
            "--out",
            str(out),
            "--workers",
            "1",
            "--quiet",
        ]
    )
    assert code == 0
    f1, recall_at_10 = _score(data / "truth.csv", out)
    floor_f1, floor_recall = FLOORS[name]
    assert f1 >= floor_f1
    assert recall_at_10 >= floor_recall
