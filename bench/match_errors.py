"""Where a links file goes wrong on a published set: delays, calibration and error kinds.

    B=../shared/benchmarks/ftr
    .venv/bin/python -m corridor.matching.cli --left $B/dev-large/tracing_requests.csv \\
        --right $B/dev-large/found_children.csv --out /tmp/links.csv
    .venv/bin/python bench/match_errors.py $B/dev-large /tmp/links.csv

Prints three things, each behind a figure in docs/benchmarks.md:
- days from request to identification for the true pairs and for as many random request and
  found-child pairs (seed 1), and the share of random pairs outside the true pairs' range;
- calibration: per score band, the mean score and the share of true pairs;
- the kinds of errors of the ``match`` decisions: true pairs not scored, the child's best
  candidate but below the run's cut, outranked by another request, or lost in assignment; wrong
  links to a found child who has a request of their own, or none; children with two requests
  (both parents filed) of which one is linked and the other not;
- written birth dates: the true pairs whose two records both write a date, how many agree, and
  how many of those are not among the found child's ten best candidates in the links file.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

BANDS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 0.95, 1.01)


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def delays(requests: dict, found: dict, truth: set) -> None:
    def days(left: str, right: str) -> int:
        identified = date.fromisoformat(found[right]["identification_date"])
        return (identified - date.fromisoformat(requests[left]["report_date"])).days

    true = [days(left, right) for left, right in truth]
    rng = random.Random(1)
    lefts, rights = list(requests), list(found)
    drawn = [days(rng.choice(lefts), rng.choice(rights)) for _ in true]
    low, high = min(true), max(true)
    outside = sum(1 for d in drawn if not low <= d <= high) / len(drawn)
    print(
        f"days from request to identification: true pairs {low} to {high}, "
        f"random pairs {min(drawn)} to {max(drawn)}, {outside:.1%} of them outside"
    )


def calibration(links: list[dict], truth: set) -> None:
    print("| score band | pairs | mean score | share true |\n|---|---|---|---|")
    for low, high in zip(BANDS, BANDS[1:], strict=False):
        band = [r for r in links if low <= float(r["score"]) < high]
        if band:
            mean = sum(float(r["score"]) for r in band) / len(band)
            true = sum((r["left_id"], r["right_id"]) in truth for r in band) / len(band)
            print(f"| {low:.2f}–{min(high, 1.0):.2f} | {len(band):,} | {mean:.3f} | {true:.3f} |")
    total = sum(float(r["score"]) for r in links)
    found = sum((r["left_id"], r["right_id"]) in truth for r in links)
    print(f"probabilities summed over the links: {total:,.0f}; true pairs among them: {found:,}")


def errors(links: list[dict], truth: set, threshold: float) -> None:
    scored = {(r["left_id"], r["right_id"]): r for r in links}
    best: dict[str, tuple[float, str]] = defaultdict(lambda: (-1.0, ""))
    for r in links:
        best[r["right_id"]] = max(best[r["right_id"]], (float(r["score"]), r["left_id"]))
    missed: Counter[str] = Counter()
    for left, right in truth:
        link = scored.get((left, right))
        if link is not None and link["match"] == "1":
            continue
        if link is None:
            missed["not among the candidates"] += 1
        elif best[right][1] != left:
            missed["outranked by another request"] += 1
        elif float(link["score"]) < threshold:
            missed["the child's best candidate, below the cut"] += 1
        else:
            missed["lost in assignment"] += 1
    sought = {right for _, right in truth}
    wrong: Counter[str] = Counter(
        "to a found child who has a request"
        if r["right_id"] in sought
        else "to a found child with none"
        for r in links
        if r["match"] == "1" and (r["left_id"], r["right_id"]) not in truth
    )
    print(f"true pairs not decided: {sum(missed.values()):,}")
    for kind, count in missed.most_common():
        print(f"  {kind}: {count:,}")
    print(f"wrong links: {sum(wrong.values()):,}")
    for kind, count in wrong.most_common():
        print(f"  {kind}: {count:,}")
    # Children sought by both parents: how many have one request linked and the other not.
    requests_of: dict[str, list[str]] = defaultdict(list)
    for left, right in truth:
        requests_of[right].append(left)
    decided = {(r["left_id"], r["right_id"]) for r in links if r["match"] == "1"}
    both = [(right, lefts) for right, lefts in requests_of.items() if len(lefts) == 2]
    half = sum(sum((left, right) in decided for left in lefts) == 1 for right, lefts in both)
    print(f"children with two requests: {len(both):,}, one linked and the other not: {half:,}")


def written_dates(requests: dict, found: dict, truth: set, links: list[dict]) -> None:
    scored: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for row in links:
        scored[row["right_id"]].append((float(row["score"]), row["left_id"]))
    ten_best = {
        (left, right)
        for right, candidates in scored.items()
        for _score, left in sorted(candidates, reverse=True)[:10]
    }
    dated = [
        (left, right)
        for left, right in truth
        if requests[left]["birth_date"] and found[right]["birth_date"]
    ]
    same = [
        pair for pair in dated if requests[pair[0]]["birth_date"] == found[pair[1]]["birth_date"]
    ]
    missed = sum(pair not in ten_best for pair in same)
    print(
        f"true pairs with a written date on both sides: {len(dated):,}, the same date: "
        f"{len(same):,}, of which not among the child's ten best: {missed:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a published set (its three CSV files)")
    parser.add_argument("links", type=Path, help="what corridor match wrote for it")
    parser.add_argument(
        "--threshold",
        type=float,
        help="the run's cut (default: the lowest probability the links file decided)",
    )
    args = parser.parse_args()
    requests = {r["record_id"]: r for r in _rows(args.folder / "tracing_requests.csv")}
    found = {r["record_id"]: r for r in _rows(args.folder / "found_children.csv")}
    truth = {(r["left_id"], r["right_id"]) for r in _rows(args.folder / "truth.csv")}
    links = _rows(args.links)
    delays(requests, found, truth)
    calibration(links, truth)
    decided = [float(r["score"]) for r in links if r["match"] == "1"]
    cut = args.threshold if args.threshold is not None else min(decided, default=0.5)
    errors(links, truth, cut)
    written_dates(requests, found, truth, links)


if __name__ == "__main__":
    main()
