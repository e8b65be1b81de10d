"""Speed and memory of ``link`` on N x N synthetic records, for the near-linearity table.

Each size runs in its own process so that peak memory (PSS of the process and its workers) is
that size's alone.

    .venv/bin/python bench/match_speed.py --sizes 10000 100000
    .venv/bin/python bench/match_speed.py --sizes 2000 --score   # also F1 against the truth
    .venv/bin/python bench/match_speed.py --cli /tmp/synth-1m     # `corridor match` end to end
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


class MemorySampler(threading.Thread):
    """Peak proportional set size (PSS) of this process and its forked workers, sampled.

    PSS counts a page shared by n processes as 1/n in each, so the sum is the memory the whole
    job holds; ``ru_maxrss`` would count the copy-on-write pages once per worker.
    """

    def __init__(self, interval: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.interval, self.peak_kb, self.running = interval, 0, True

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _tree(self) -> list[int]:
        pids, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            try:
                with open(f"/proc/{pid}/task/{pid}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
            except OSError:
                pass
        return pids

    def run(self) -> None:
        while self.running:
            self.peak_kb = max(self.peak_kb, sum(self._pss_kb(pid) for pid in self._tree()))
            time.sleep(self.interval)


def run_one(*, n: int, seed: int, noise: float, workers: int, score: bool) -> dict:
    """Generate N requests and N found children, link them, return timings and peak memory."""
    from corridor.matching.engine import LinkJob, run_job
    from corridor.matching.synth import NoiseModel, generate

    started = time.perf_counter()
    left, right, truth = generate(n_left=n, seed=seed, noise=NoiseModel(level=noise))
    right = right[:n]
    generated = time.perf_counter()
    sampler = MemorySampler()
    sampler.start()
    job = LinkJob(left=left, right=right, workers=workers)
    built = time.perf_counter()
    result = run_job(job=job, workers=workers)
    finished = time.perf_counter()
    sampler.running = False
    sampler.join()
    out = {
        "n_left": len(left),
        "n_right": len(right),
        "generate_s": round(generated - started, 1),
        "prepare_s": round(built - generated, 1),
        "link_s": round(finished - generated, 1),
        "links": len(result),
        "matches": int(result.match.sum()),
        "peak_pss_mb": round(sampler.peak_kb / 1024),
        "phases_s": {name: round(value, 1) for name, value in job.timings.items()},
    }
    if score:
        right_ids = {r["record_id"] for r in right}
        true = {pair for pair in truth if pair[1] in right_ids}
        decided = {(x.left_id, x.right_id) for x in result.links() if x.match}
        tp = len(decided & true)
        precision = tp / len(decided) if decided else 0.0
        recall = tp / len(true) if true else 0.0
        out["f1"] = round(2 * precision * recall / (precision + recall), 4) if tp else 0.0
    return out


def run_cli(*, directory: Path, workers: int) -> dict:
    """Time ``corridor match`` end to end (read, validate, link, write) on benchmark CSVs."""
    out = directory / "links.csv"
    sampler = MemorySampler()
    sampler.start()
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "corridor.matching.cli",
            "--left",
            str(directory / "tracing_requests.csv"),
            "--right",
            str(directory / "found_children.csv"),
            "--out",
            str(out),
            "--workers",
            str(workers),
            "--quiet",
        ],
        check=True,
    )
    elapsed = time.perf_counter() - started
    sampler.running = False
    sampler.join()
    with open(directory / "truth.csv", encoding="utf-8") as handle:
        truth = {(row["left_id"], row["right_id"]) for row in csv.DictReader(handle)}
    with open(out, encoding="utf-8") as handle:
        decided = {
            (r["left_id"], r["right_id"]) for r in csv.DictReader(handle) if r["match"] == "1"
        }
    tp = len(decided & truth)
    return {
        "wall_s": round(elapsed, 1),
        "peak_pss_mb": round(sampler.peak_kb / 1024),
        "f1": round(2 * tp / (len(decided) + len(truth)), 4) if tp else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--noise", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--score", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--cli",
        type=Path,
        metavar="DIR",
        help="time `corridor match` on DIR/{tracing_requests,found_children,truth}.csv instead"
        " (write them with bench/gen_corridor.py)",
    )
    args = parser.parse_args()
    if args.cli:
        print(json.dumps(run_cli(directory=args.cli, workers=args.workers)))
        return
    if args.one:
        result = run_one(
            n=args.one, seed=args.seed, noise=args.noise, workers=args.workers, score=args.score
        )
        print(json.dumps(result))
        return
    print(
        "| N (left = right) | link time (s) | of which preparation (s) | per 1k records (s)"
        " | peak memory, PSS (MB) | candidate links | matches |" + (" F1 |" if args.score else "")
    )
    print("|---|---|---|---|---|---|---|" + ("---|" if args.score else ""))
    for n in args.sizes:
        command = [
            sys.executable,
            __file__,
            "--one",
            str(n),
            "--seed",
            str(args.seed),
            "--noise",
            str(args.noise),
            "--workers",
            str(args.workers),
        ]
        if args.score:
            command.append("--score")
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        r = json.loads(output.strip().splitlines()[-1])
        per_k = r["link_s"] / (n / 1000)
        line = (
            f"| {n:,} | {r['link_s']} | {r['prepare_s']} | {per_k:.3f} | {r['peak_pss_mb']:,}"
            f" | {r['links']:,} | {r['matches']:,} |"
        )
        if args.score:
            line += f" {r['f1']} |"
        print(line, flush=True)
        print(f"<!-- {n:,}: phases {r['phases_s']} -->", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
