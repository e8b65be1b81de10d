"""``corridor match``: link tracing requests to found children from two CSV files.

Output is written to a temporary file beside ``--out`` and renamed only when complete, so an
error or Ctrl-C never leaves a partial links file that someone might take for a result.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

from corridor.i18n import _, decimal
from corridor.matching.engine import DEFAULT_THRESHOLD, link_columns
from corridor.matching.model import Model, default_model
from corridor.matching.records import InputError, read_records
from corridor.matching.spark import SparkUnavailable

__all__ = ["main", "read_decisions"]

_DECISIONS = {"match", "no_match", "unsure"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corridor match",
        description=_("Link tracing requests (left) to found children (right)."),
    )
    parser.add_argument("--left", required=True, help=_("tracing requests CSV (UTF-8)"))
    parser.add_argument("--right", required=True, help=_("found children CSV (UTF-8)"))
    parser.add_argument("--out", required=True, help=_("links CSV to write"))
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=_(
            "decision threshold on the match probability (default: the cut that maximises the "
            "expected F1 of the decisions, never below 0.3)"
        ),
    )
    parser.add_argument(
        "--train-labels",
        help=_("CSV left_id,right_id[,decision] of reviewed pairs; re-fits the model first"),
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help=_("processes preparing and scoring in parallel (POSIX; default: one per core)"),
    )
    parser.add_argument(
        "--spark",
        metavar="MASTER",
        help=_("run the scoring as a Spark job on this master URL, e.g. local[2] (needs pyspark)"),
    )
    parser.add_argument("--top-k", type=int, default=10, help=_("candidates kept per found child"))
    parser.add_argument("--model", help=_("model JSON to use instead of the shipped one"))
    parser.add_argument("--save-model", help=_("write the (re-)fitted model JSON here"))
    parser.add_argument("--quiet", action="store_true", help=_("no progress on stderr"))
    return parser


def read_decisions(*, path: str | Path) -> dict[tuple[str, str], str]:
    """Read reviewed pairs: ``left_id,right_id`` (all matches) or with a ``decision`` column."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(path=str(path), line=line, message=_("file is not UTF-8")) from None
    reader = csv.DictReader(text.splitlines())
    columns = reader.fieldnames or []
    if "left_id" not in columns or "right_id" not in columns:
        raise InputError(path=str(path), line=1, message=_("missing columns: left_id, right_id"))
    decisions: dict[tuple[str, str], str] = {}
    for row in reader:
        decision = (row.get("decision") or "match").strip().lower() or "match"
        if decision not in _DECISIONS:
            raise InputError(
                path=str(path),
                line=reader.line_num,
                message=_("decision must be match, no_match or unsure, not %(value)r")
                % {"value": decision},
            )
        decisions[(row["left_id"].strip(), row["right_id"].strip())] = decision
    return decisions


def _progress(*, quiet: bool):
    start = time.monotonic()

    def report(done: int, total: int) -> None:
        if quiet:
            return
        elapsed = time.monotonic() - start
        print(
            _("matched %(done)s/%(total)s found children in %(elapsed)s s")
            % {"done": decimal(done, 0), "total": decimal(total, 0), "elapsed": decimal(elapsed)},
            file=sys.stderr,
        )

    return report


def _write_atomically(*, path: Path, chunks) -> None:
    """Write the links CSV under a temporary name and rename it when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["left_id", "right_id", "score", "match"])
            for rows in chunks:
                writer.writerows(rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: list[str]) -> int:
    """Run ``corridor match``; return the process exit code (0 ok, 2 bad input, 130 interrupted)."""
    args = _parser().parse_args(argv)
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        print(_("error: --threshold must be between 0 and 1"), file=sys.stderr)
        return 2
    try:
        left = read_records(path=args.left, side="left")
        right = read_records(path=args.right, side="right")
        model: Model = (
            Model.from_json(Path(args.model).read_text("utf-8")) if args.model else default_model()
        )
        if args.train_labels:
            from corridor.matching.training import train

            decisions = read_decisions(path=args.train_labels)
            if not args.quiet:
                print(
                    _("re-fitting the model on %(n)d reviewed pairs") % {"n": len(decisions)},
                    file=sys.stderr,
                )
            model = train(left=left, right=right, decisions=decisions, base=model)
        if args.save_model:
            Path(args.save_model).write_text(model.to_json(), encoding="utf-8")
        options = {
            "left": left,
            "right": right,
            "model": model,
            "threshold": args.threshold,
            "top_k": args.top_k,
            "progress": _progress(quiet=args.quiet),
        }
        if args.spark:
            from corridor.matching.spark import link_on_spark

            result = link_on_spark(master=args.spark, workers=max(1, args.workers), **options)
        else:
            result = link_columns(workers=max(1, args.workers), **options)
        del left, right, options
        _write_atomically(path=Path(args.out), chunks=result.rows())
    except InputError as error:
        print(_("error: %(error)s") % {"error": error}, file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(_("error: cannot read %(path)s") % {"path": error.filename}, file=sys.stderr)
        return 2
    except SparkUnavailable as error:
        print(_("error: %(error)s") % {"error": error}, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("interrupted: nothing was written"), file=sys.stderr)
        return 130
    if not args.quiet:
        print(
            _(
                "wrote %(n)s candidate links, %(m)s decided matches (probability %(cut)s or "
                "more), to %(path)s"
            )
            % {
                "n": decimal(len(result), 0),
                "m": decimal(int(result.match.sum()), 0),
                "cut": decimal(result.cut if result.cut is not None else 0.0, 2),
                "path": args.out,
            },
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
