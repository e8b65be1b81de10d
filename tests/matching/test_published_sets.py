"""`corridor match` on the published family-tracing sets stays above floors set from measurement.

The four development sets and the benchmark's scorer are copied into ``tests/data/ftr`` (see its
SOURCE.md); ``CORRIDOR_FTR_BENCHMARK`` points the tests at another copy. Floors: the numbers
measured for issue 15 (docs/benchmarks.md) less a small margin.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from corridor.matching import cli

BENCHMARK = Path(
    os.environ.get("CORRIDOR_FTR_BENCHMARK") or Path(__file__).resolve().parents[1] / "data" / "ftr"
)

FLOORS = {
    # set: (decision F1, recall@10)
    "dev": (0.978, 0.998),
    "dev-hard": (0.975, 0.998),
    "dev-large": (0.953, 0.997),
    "dev-large-hard": (0.945, 0.995),
}


def benchmark_score(truth: Path, links: Path) -> dict[str, float]:
    """The benchmark's own scorer's last line (``f1=… best_f1=… recall@10=…``) as numbers."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARK / "score.py"), str(truth), str(links)],
        capture_output=True,
        text=True,
        check=True,
    )
    last = done.stdout.strip().splitlines()[-1]
    return {name: float(value) for name, value in (part.split("=") for part in last.split())}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_corridor_match_on_a_published_set(name, tmp_path):
    data = BENCHMARK / name
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
    score = benchmark_score(data / "truth.csv", out)
    floor_f1, floor_recall = FLOORS[name]
    assert score["f1"] >= floor_f1
    assert score["recall@10"] >= floor_recall
