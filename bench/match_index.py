"""Time and peak memory of filing the left side's blocking index alone, on N synthetic records.

The records are generated and prepared first (not measured); then the index is built with
``tracemalloc`` tracing numpy's allocations, so the peak is the index's own (the inputs it is
given are counted, as in a linking job).

    .venv/bin/python bench/match_index.py --size 1000000
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def register_options(doc: str) -> argparse.ArgumentParser:
    """The options of a benchmark on one generated register (also ``match_batches``'s)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="requests (and found children)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2)
    return parser


def generated(args: argparse.Namespace) -> tuple[list[dict], list[dict]]:
    """The register of ``register_options``: ``--size`` requests and found children."""
    from corridor.matching.synth import NoiseModel, generate

    print(f"generating {args.size:,} x {args.size:,}…", file=sys.stderr, flush=True)
    left, right, _ = generate(n_left=args.size, seed=args.seed, noise=NoiseModel(level=1.0))
    return left, right[: args.size]


def main() -> None:
    args = register_options(__doc__).parse_args()

    from corridor.matching.columns import Columns, Labels, Vocabulary
    from corridor.matching.engine import _collect, _index, _map_chunks

    left, _ = generated(args)
    columns, hashes, counts = _collect(
        _map_chunks(side="left", records=left, workers=args.workers),
        Columns(vocabulary=Vocabulary(), labels=Labels()),
    )
    del left
    print("filing the index…", file=sys.stderr, flush=True)
    tracemalloc.start()
    started = time.perf_counter()
    index = _index(left=columns, hashes=hashes, counts=counts, max_block=200)
    elapsed = time.perf_counter() - started
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"| {args.size:,} | {len(hashes):,} | {len(index.keys):,} | {elapsed:.1f}"
        f" | {peak / 2**20:,.0f} | {kept / 2**20:,.0f} |"
    )


if __name__ == "__main__":
    main()
