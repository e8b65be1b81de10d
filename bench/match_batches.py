"""Where a linking job's scoring step spends its time: per batch of found children, the
look-up of their candidates and the scoring of the pairs, in one process.

The job (N requests x N found children, generated) is built first, with ``--workers`` for the
preparation; then ``--batches`` batches spread over the whole job are timed one after the other
(CPU time of this process), after ``--warm`` batches that fill the name-token level memo as a
long run does. ``--memo-bits`` sets that memo's size (the engine's is 21: two million pairs);
the share of the name-token pairs compared that the memo did not hold (distinct ones) is
reported beside the times.

    .venv/bin/python bench/match_batches.py --size 1000000
    .venv/bin/python bench/match_batches.py --size 1000000 --memo-bits 24
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from match_index import generated, register_options  # noqa: E402


def main() -> None:
    parser = register_options(__doc__)
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--warm", type=int, default=100)
    parser.add_argument("--memo-bits", type=int, default=None)
    args = parser.parse_args()

    from corridor.matching import similarity
    from corridor.matching.engine import LinkJob

    left, right = generated(args)
    job = LinkJob(left=left, right=right, workers=args.workers)
    del left, right
    if args.memo_bits is not None:
        job.comparer.memo_bits = args.memo_bits

    asked = missed = 0
    get = similarity._Memo.get

    def counted(memo, codes, compute):
        nonlocal asked, missed

        def fresh(codes):
            nonlocal missed
            missed += len(codes)
            return compute(codes)

        asked += len(codes)
        return get(memo, codes, fresh)

    similarity._Memo.get = counted
    batches = job.batches()
    step = max(len(batches) // (args.warm + args.batches), 1)
    spread = batches[::step][: args.warm + args.batches]
    print(f"warming the memo on {args.warm} batches…", file=sys.stderr, flush=True)
    for bounds in spread[: args.warm]:
        job.score(bounds)
    asked = missed = 0
    look_up = scoring = 0.0
    pairs = 0
    for done, bounds in enumerate(spread[args.warm :], start=1):
        started = time.process_time()
        rights, _ = job.candidates(bounds)
        found = time.process_time()
        job.score(bounds)  # looks up again, then scores
        scored = time.process_time()
        look_up += found - started
        scoring += (scored - found) - (found - started)
        pairs += len(rights)
        print(f"\r{done}/{args.batches} batches timed", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    count = len(spread) - args.warm
    print(
        f"| {args.size:,} | {job.comparer.memo_bits} | {pairs / count:,.0f}"
        f" | {1000 * look_up / count:.0f} | {1000 * scoring / count:.0f}"
        f" | {missed / max(asked, 1):.1%} |"
    )


if __name__ == "__main__":
    main()
