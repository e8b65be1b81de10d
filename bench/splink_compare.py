"""Splink against corridor.matching on the same data: time, peak memory and accuracy in one run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/splink_compare.py              # dev, dev-large and dev-scale
    .venv/bin/python bench/splink_compare.py --sizes 10000 100000 --sets   # synthetic N
    .venv/bin/python bench/splink_compare.py --sizes 2000 --sets dev --json /tmp/compare.json

Splink (DuckDB backend) runs the "competent general configuration" of the family-tracing
benchmark's README, nothing tuned to the corridor: accents and case normalised; prediction blocks
on family name, first given name + birth year, all given names + birth year, swapped names,
family-name prefix + birth year, first given name + mother's first name; comparisons of given
names and family name (Jaro-Winkler levels, term frequencies), birth year exact / ±1 / ±3
(derived from the date, else the year, else the event date minus the age), place and mother's
first name (Jaro-Winkler), sex and nationality; the prior from an exact name-and-year rule
whose recall the user guesses (0.7, ``--prior-recall``), u from random sampling, m by EM in two
sessions, blocked on family name + birth year and on given names + mother's first name. Only
ids and probabilities are kept, and DuckDB is limited to 8 GB (``--duckdb-memory``) so that it
spills instead of being killed on a shared machine. Our engine is ``corridor match --workers 2``
with its shipped model. The synthetic registers are those of ``bench/match_speed.py`` (seed 11,
noise 1.0, N requests and the first N found children).

Each engine and data set runs in its own process. Memory is counted the same way on both sides:
the peak, sampled every half second, of the summed proportional set size (PSS) of that process
and every process it starts (our engine's forked workers; DuckDB's threads live inside the
process), so a page shared by the workers counts once and no worker is left out. Both write, per found child, its 10 best-scored requests plus any other at
or above 0.5 (our CLI's own output rule) with ``match`` = score >= 0.5 for Splink, which has no
assignment step; the benchmark's ``score.py`` scores both. Progress goes to stderr, the markdown
table to stdout.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

# The published benchmark sets live beside the repository, in ../shared (see its README).
BENCHMARK = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "ftr"
LEFT_FILE, RIGHT_FILE, TRUTH_FILE = "tracing_requests.csv", "found_children.csv", "truth.csv"
THRESHOLD = 0.5
TOP_K = 10


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class TreeMemory(threading.Thread):
    """Peak summed PSS (MB) of a process and all its descendants, sampled."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb, self.running = pid, interval, 0, True

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
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as handle:
                        todo.extend(int(child) for child in handle.read().split())
            except OSError:
                pass
        return pids

    def run(self) -> None:
        while self.running:
            self.peak_kb = max(self.peak_kb, sum(self._pss_kb(p) for p in self._tree()))
            time.sleep(self.interval)

    def stop(self) -> int:
        self.running = False
        self.join()
        return round(self.peak_kb / 1024)


def peak_rss_mb() -> int:
    """This process's own peak RSS (VmHWM). ``ru_maxrss`` would also count the parent's memory
    at fork time, since Linux carries it across exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


# --- data sets -----------------------------------------------------------------------------


def write_synthetic(*, out: Path, n: int, seed: int, noise: float) -> Path:
    """Write bench/match_speed.py's register (N requests, the first N found children) as CSVs."""
    from corridor.matching.synth import LEFT_COLUMNS, RIGHT_COLUMNS, NoiseModel, generate

    if (out / TRUTH_FILE).exists():
        return out
    left, right, truth = generate(n_left=n, seed=seed, noise=NoiseModel(level=noise))
    right = right[:n]
    right_ids = {r["record_id"] for r in right}
    out.mkdir(parents=True, exist_ok=True)
    for name, rows, columns in (
        (LEFT_FILE, left, LEFT_COLUMNS),
        (RIGHT_FILE, right, RIGHT_COLUMNS),
    ):
        with open(out / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    with open(out / TRUTH_FILE, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id"])
        writer.writerows(pair for pair in truth if pair[1] in right_ids)
    return out


def count_rows(path: Path) -> int:
    with open(path, newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


# --- our engine ----------------------------------------------------------------------------


def run_ours(*, data: Path, links: Path, workers: int) -> dict:
    """``corridor match`` exactly as a caseworker's node runs it, shipped model, 2 workers."""
    from corridor.matching import cli

    started = time.perf_counter()
    code = cli.main(
        [
            "--left",
            str(data / LEFT_FILE),
            "--right",
            str(data / RIGHT_FILE),
            "--out",
            str(links),
            "--workers",
            str(workers),
        ]
    )
    if code:
        raise SystemExit(f"corridor match exited with {code}")
    return {"train_s": None, "predict_s": round(time.perf_counter() - started, 1)}


# --- Splink --------------------------------------------------------------------------------

# Accents and case folded, spaces collapsed; empty strings become NULL so Splink's null levels
# see a missing field as missing, not as an agreement on "".
_NORMALISE = """
CREATE MACRO norm(x) AS
    nullif(trim(regexp_replace(lower(strip_accents(x)), '\\s+', ' ', 'g')), '')
"""

_PREPARE = """
CREATE TABLE {table} AS
SELECT
    record_id,
    norm(given_names) AS given_names,
    split_part(norm(given_names), ' ', 1) AS first_given,
    norm(family_name) AS family_name,
    left(norm(family_name), 3) AS family_prefix,
    CASE WHEN upper(sex) IN ('M', 'F') THEN upper(sex) END AS sex,
    coalesce(
        year(try_cast(birth_date AS DATE)),
        try_cast(birth_year AS INTEGER),
        CAST(year(try_cast({event_date} AS DATE)) - try_cast(age_years AS DOUBLE) AS INTEGER)
    ) AS birth_year,
    norm(place_of_origin) AS place,
    split_part(norm(mother_name), ' ', 1) AS mother_first,
    nullif(upper(trim(nationality)), '') AS nationality
FROM read_csv('{path}', header = true, all_varchar = true)
"""

# The found child (right) asks, as score.py's recall@10 counts: keep its 10 best requests and
# anything at or above the threshold, the same rule as corridor match's output. Ranking on the
# written (rounded) score with score.py's tie-break keeps recall@10 what the full output gives.
_WRITE_LINKS = """
COPY (
    WITH pairs AS (
        SELECT
            CASE WHEN source_dataset_l = 'requests' THEN record_id_l ELSE record_id_r END
                AS left_id,
            CASE WHEN source_dataset_l = 'requests' THEN record_id_r ELSE record_id_l END
                AS right_id,
            match_probability AS probability,
            round(match_probability, 6) AS score
        FROM {predictions}
    ), ranked AS (
        SELECT *, row_number() OVER (
            PARTITION BY right_id ORDER BY score DESC, left_id DESC
        ) AS rank
        FROM pairs
    )
    SELECT left_id, right_id, printf('%.6f', score) AS score,
           CAST(probability >= {threshold} AS INTEGER) AS match
    FROM ranked
    WHERE rank <= {top_k} OR probability >= {threshold}
    ORDER BY right_id, score DESC
) TO '{out}' (HEADER, DELIMITER ',')
"""


def splink_settings():
    """The README's general configuration, in Splink's own comparison and blocking library."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    birth_year = cl.CustomComparison(
        output_column_name="birth_year",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 1),
            cll.AbsoluteDifferenceLevel("birth_year", 3),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="record_id",
        # Only ids and probabilities are needed; the compared values would multiply the memory
        # of the prediction table (tens of millions of pairs at N = 100,000).
        retain_matching_columns=False,
        blocking_rules_to_generate_predictions=[
            block_on("family_name"),
            block_on("first_given", "birth_year"),
            block_on("given_names", "birth_year"),
            "l.first_given = r.family_name AND l.family_name = r.first_given",
            block_on("family_prefix", "birth_year"),
            block_on("first_given", "mother_first"),
        ],
        comparisons=[
            # NameComparison: exact (term-frequency adjusted), Jaro-Winkler 0.92 / 0.88 / 0.7.
            cl.NameComparison("given_names"),
            cl.NameComparison("family_name"),
            birth_year,
            cl.JaroWinklerAtThresholds("place", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("mother_first", [0.9, 0.7]),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
        ],
    )


def run_splink(
    *, data: Path, links: Path, seed: int, prior_recall: float, memory: str, verbose: bool
) -> dict:
    """Prepare, train (prior, u, EM) and predict with Splink on DuckDB; write links like ours."""
    import logging

    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    started = time.perf_counter()
    con = duckdb.connect()
    # DuckDB's default (80 % of RAM) got the N = 100,000 run killed by the kernel on this shared
    # machine; with a limit it spills to disk instead.
    con.execute(f"SET memory_limit = '{memory}'")
    con.execute(f"SET temp_directory = '{links.parent / 'duckdb-tmp'}'")
    con.execute(_NORMALISE)
    for table, name, event_date in (
        ("requests", LEFT_FILE, "report_date"),
        ("found", RIGHT_FILE, "identification_date"),
    ):
        con.execute(_PREPARE.format(table=table, path=data / name, event_date=event_date))
    db_api = DuckDBAPI(connection=con)
    tables = [db_api.register(t, dataset_display_name=t) for t in ("requests", "found")]
    linker = Linker(
        tables, splink_settings(), log_level=logging.INFO if verbose else logging.WARNING
    )

    # Splink's usual first step: the prior from a strict rule whose recall the user guesses.
    log(f"splink: prior from exact given names + family name + birth year (recall {prior_recall})")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_names", "family_name", "birth_year")], recall=prior_recall
    )
    log("splink: u by random sampling (1e7 pairs)")
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=seed)
    log("splink: EM blocked on family name + birth year")
    # Two sessions on two of the prediction rules' evidence, each training what the other's
    # blocking columns hide (about 1.2 and 1.6 million pairs at N = 100,000). Blocking EM on
    # given names alone let it converge on "same region", birth-year agreement weighing
    # nothing, and took 44 million pairs and 14 minutes at N = 100,000.
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("family_name", "birth_year")
    )
    log("splink: EM blocked on given names + mother's first name")
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_names", "mother_first")
    )
    trained = time.perf_counter()

    log("splink: predict")
    predictions = linker.inference.predict()
    pairs = con.sql(f"SELECT count(*) FROM {predictions.physical_name}").fetchall()[0][0]
    con.execute(
        _WRITE_LINKS.format(
            predictions=predictions.physical_name, threshold=THRESHOLD, top_k=TOP_K, out=links
        )
    )
    finished = time.perf_counter()
    return {
        "train_s": round(trained - started, 1),
        "predict_s": round(finished - trained, 1),
        "pairs_scored": pairs,
    }


# --- one run per process -------------------------------------------------------------------


def run_one(*, engine: str, data: Path, links: Path, args) -> None:
    if engine == "splink":
        result = run_splink(
            data=data,
            links=links,
            seed=args.seed,
            prior_recall=args.prior_recall,
            memory=args.duckdb_memory,
            verbose=args.verbose,
        )
    else:
        result = run_ours(data=data, links=links, workers=args.workers)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def score(*, benchmark: Path, truth: Path, links: Path) -> dict:
    """Run the benchmark's own score.py and read its numbers back."""
    output = subprocess.run(
        [sys.executable, str(benchmark / "score.py"), str(truth), str(links)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = output.strip().splitlines()
    first = dict(re.findall(r"(\w+)=([\d.]+)", lines[0]))
    last = dict(re.findall(r"([\w@]+)=([\d.]+)", lines[-1]))
    candidates = re.search(r"candidates scored: (\d+)", output)
    return {
        "precision": float(first["precision"]),
        "recall": float(first["recall"]),
        "f1": float(last["f1"]),
        "best_f1": float(last["best_f1"]),
        "recall_at_10": float(last["recall@10"]),
        "links_written": int(candidates.group(1)) if candidates else None,
    }


def measure(*, engine: str, name: str, data: Path, work: Path, args) -> dict:
    slug = name.lower().replace(" n=", "-").replace(",", "")
    links = work / f"links-{slug}-{engine}.csv"
    links.unlink(missing_ok=True)
    command = [
        sys.executable,
        __file__,
        "--one",
        engine,
        str(data),
        str(links),
        "--seed",
        str(args.seed),
        "--workers",
        str(args.workers),
        "--prior-recall",
        str(args.prior_recall),
        "--duckdb-memory",
        args.duckdb_memory,
    ] + (["--verbose"] if args.verbose else [])
    result = {
        "data": name,
        "engine": engine,
        "n_left": count_rows(data / LEFT_FILE),
        "n_right": count_rows(data / RIGHT_FILE),
        "load_before": round(os.getloadavg()[0], 2),
    }
    log(f"{engine} on {name} ({result['n_left']:,} x {result['n_right']:,})")
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    memory.start()
    try:
        output, _ = process.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        result["error"] = f"stopped after {args.timeout:.0f} s"
    peak = memory.stop()
    if "error" not in result and process.returncode:
        result["error"] = f"failed (exit {process.returncode})"
    elif "error" not in result:
        result |= json.loads(output.strip().splitlines()[-1])
        result["peak_pss_mb"] = peak
        result |= score(benchmark=args.benchmark, truth=data / TRUTH_FILE, links=links)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    result["load_after"] = round(os.getloadavg()[0], 2)
    log(f"{engine} on {name}: {result.get('error') or 'done'} in {result['wall_s']} s")
    return result


def table(results: list[dict]) -> str:
    def cell(value, fmt="{}"):
        return "–" if value is None else fmt.format(value)

    lines = [
        "| data (requests × found) | engine | train (s) | predict (s) | total (s) "
        "| peak memory, PSS with workers (MB) "
        "| pairs scored | links written | precision | recall | decision F1 | best F1 | recall@10 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        data = f"{r['data']} ({r['n_left']:,} × {r['n_right']:,})"
        engine = "Splink" if r["engine"] == "splink" else "corridor match"
        if "error" in r:
            lines.append(f"| {data} | {engine} | {r['error']} |" + " |" * 10)
            continue
        total = (r["train_s"] or 0) + r["predict_s"]
        lines.append(
            f"| {data} | {engine} | {cell(r['train_s'])} | {r['predict_s']} | {total:.1f} "
            f"| {r['peak_pss_mb']:,} | {cell(r.get('pairs_scored'), '{:,}')} "
            f"| {r['links_written']:,} "
            f"| {r['precision']:.3f} | {r['recall']:.3f} | **{r['f1']:.3f}** "
            f"| {r['best_f1']:.3f} | {r['recall_at_10']:.3f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[], help="synthetic N (none: skip)")
    parser.add_argument(
        "--sets",
        nargs="*",
        default=["dev", "dev-large", "dev-scale"],
        help="benchmark sets (none: skip)",
    )
    parser.add_argument("--benchmark", type=Path, default=BENCHMARK)
    parser.add_argument("--seed", type=int, default=11, help="synthetic seed (match_speed's)")
    parser.add_argument("--noise", type=float, default=1.0, help="synthetic noise level")
    parser.add_argument("--workers", type=int, default=2, help="corridor match workers")
    parser.add_argument(
        "--prior-recall",
        type=float,
        default=0.7,
        help="recall the Splink user assumes for the exact rule that sets the prior",
    )
    parser.add_argument("--duckdb-memory", default="8GB", help="DuckDB memory_limit for Splink")
    parser.add_argument("--skip-ours", action="store_true")
    parser.add_argument("--skip-splink", action="store_true")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/splink-compare"))
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--verbose", action="store_true", help="Splink's own INFO log")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        engine, data, links = args.one
        run_one(engine=engine, data=Path(data), links=Path(links), args=args)
        return

    import splink

    engines = [
        e for e, skip in (("splink", args.skip_splink), ("ours", args.skip_ours)) if not skip
    ]
    args.work.mkdir(parents=True, exist_ok=True)
    datasets = []
    for n in args.sizes:
        name = f"synthetic N={n:,}"
        log(f"writing {name} (seed {args.seed}, noise {args.noise})")
        out = args.work / f"synthetic-{n}-seed{args.seed}-noise{args.noise}"
        datasets.append((name, write_synthetic(out=out, n=n, seed=args.seed, noise=args.noise)))
    datasets += [(s, args.benchmark / s) for s in args.sets]

    started_load = os.getloadavg()
    results = [
        measure(engine=engine, name=name, data=data, work=args.work, args=args)
        for name, data in datasets
        for engine in engines
    ]
    ended_load = os.getloadavg()
    print(table(results))
    print(
        f"\nSplink {splink.__version__} (DuckDB backend); {os.cpu_count()} cores; load average "
        f"{started_load[0]:.2f} at start, {ended_load[0]:.2f} at end; timeout {args.timeout:.0f} s."
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "splink": splink.__version__,
                    "load_average_start": started_load,
                    "load_average_end": ended_load,
                    "results": results,
                },
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
