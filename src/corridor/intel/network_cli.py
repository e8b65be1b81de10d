"""``corridor network``: network statistics of an edge list, for analysts and for reproducing
published results.

Reads one ``a b`` pair per line and prints the overview of :func:`corridor.intel.graph.network_summary`
as JSON (``--json``) or as a readable summary. Bad input stops with the line number and exit code 1
unless ``--skip-bad`` is given, in which case the skipped lines are reported.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from corridor.i18n import _, decimal, labelled
from corridor.intel.graph import EdgeListError, build_network, network_summary, parse_edge_list

__all__ = ["main"]

EXIT_BAD_INPUT = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corridor network", description=_("Network analysis of an edge list.")
    )
    commands = parser.add_subparsers(dest="command", required=True)
    stats = commands.add_parser("stats", help=_("density, centralization, central actors, cells"))
    stats.add_argument("--edges", required=True, type=Path, help=_("edge list: one 'a b' per line"))
    stats.add_argument("--labels", type=Path, help=_("optional CSV of id,label to name the actors"))
    stats.add_argument("--json", action="store_true", help=_("print JSON"))
    stats.add_argument(
        "--key-players", type=int, default=0, metavar="K", help=_("find the K key players")
    )
    stats.add_argument("--top", type=int, default=10, help=_("how many actors to list per measure"))
    stats.add_argument(
        "--skip-bad", action="store_true", help=_("skip and report bad lines instead of stopping")
    )
    stats.add_argument("--seed", type=int, default=0, help=_("seed for communities and sampling"))
    return parser


def _read_labels(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {"id": row[0].strip(), "label": row[1].strip()}
            for row in csv.reader(handle)
            if len(row) >= 2 and row[0].strip() and row[0].strip().lower() != "id"
        ]


def _print_summary(summary: dict[str, Any], *, out: TextIO) -> None:
    def name(row: dict[str, Any]) -> str:
        return f"{row['id']} ({row['label']})" if row.get("label") else str(row["id"])

    lines = [
        _("Nodes: %(n)s   Ties: %(m)s")
        % {"n": decimal(summary["n_nodes"], 0), "m": decimal(summary["n_edges"], 0)},
        _("Density: %(d)s") % {"d": decimal(summary["density"], 3)},
        _("Degree centralization (Freeman): %(c)s %%")
        % {"c": decimal(summary["degree_centralization_percent"], 2)},
        _("Components: %(count)d, sizes %(sizes)s")
        % {
            "count": summary["components"]["count"],
            "sizes": ", ".join(map(str, summary["components"]["sizes"][:10])),
        },
    ]
    titles = {
        "degree": _("Most ties (degree)"),
        "betweenness": _("Most between others (betweenness)"),
        "eigenvector": _("Best connected to the well connected (eigenvector)"),
    }
    for measure, rows in summary["central_actors"].items():
        lines.append(labelled(titles[measure]))
        lines.extend(f"  {name(row)}  {decimal(row['score'], 3, trim=False)}" for row in rows)
    communities = summary["communities"]
    lines.append(
        _("Communities (Leiden): %(count)d, modularity %(q)s, sizes %(sizes)s")
        % {
            "count": communities["count"],
            "q": decimal(communities["modularity"], 3),
            "sizes": ", ".join(map(str, communities["sizes"][:10])),
        }
    )
    if summary["community_brokers"]:
        lines.append(_("Brokers between communities (participation coefficient):"))
        lines.extend(
            f"  {name(b)}  {decimal(b['participation'], 3, trim=False)}  ({b['communities_reached']})"
            for b in summary["community_brokers"]
        )
    if summary["country_brokers"]:
        lines.append(_("Cross-border brokers:"))
        lines.extend(f"  {name(b)}  {b['ties_by_country']}" for b in summary["country_brokers"])
    players = summary.get("key_players")
    if players:
        lines.append(
            _("Key players (KPP-Neg, k=%(k)d): %(ids)s")
            % {"k": players["k"], "ids": ", ".join(name(a) for a in players["actors"])}
        )
        lines.append(
            _("Fragmentation before %(before)s, after %(after)s; components after: %(count)d")
            % {
                "before": decimal(players["fragmentation_before"], 3),
                "after": decimal(players["fragmentation_after"], 3),
                "count": players["after_removal"]["components"],
            }
        )
    for bad in summary.get("skipped_lines", []):
        lines.append(
            _("Skipped line %(line)d: %(reason)s") % {"line": bad["line"], "reason": bad["reason"]}
        )
    out.write("\n".join(lines) + "\n")


def _stats(args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    try:
        with args.edges.open(encoding="utf-8") as handle:
            parsed = parse_edge_list(lines=handle, skip_bad=args.skip_bad)
    except OSError as error:
        err.write(
            _("Cannot read %(path)s: %(error)s") % {"path": args.edges, "error": error.strerror}
            + "\n"
        )
        return EXIT_BAD_INPUT
    except UnicodeDecodeError:
        err.write(_("%(path)s is not a UTF-8 text file") % {"path": args.edges} + "\n")
        return EXIT_BAD_INPUT
    except EdgeListError as error:
        err.write(f"{args.edges}: {error}\n")
        return EXIT_BAD_INPUT
    ids_with_ties = {node for pair in parsed.pairs for node in pair}
    labels = _read_labels(args.labels) if args.labels else []
    network = build_network(
        edges=parsed.pairs, nodes=[row for row in labels if row["id"] in ids_with_ties]
    )
    if args.key_players and not 0 < args.key_players < network.graph.vcount():
        err.write(
            _("--key-players must be between 1 and %(max)d") % {"max": network.graph.vcount() - 1}
            + "\n"
        )
        return EXIT_BAD_INPUT
    summary = network_summary(
        network, top=args.top, key_player_count=args.key_players, seed=args.seed
    )
    summary["duplicate_lines_merged"] = parsed.duplicates
    if args.skip_bad:
        summary["skipped_lines"] = [
            {"line": b.line_number, "text": b.text, "reason": b.reason} for b in parsed.bad_lines
        ]
        for bad in parsed.bad_lines:
            err.write(
                _("%(path)s: skipped line %(line)d: %(reason)s")
                % {"path": args.edges, "line": bad.line_number, "reason": bad.reason}
                + "\n"
            )
    if args.json:
        out.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_summary(summary, out=out)
    return 0


def main(argv: list[str]) -> int:
    """Run ``corridor network <command>``; ``argv`` starts with the command name.

    Returns the exit code instead of exiting, also for usage errors and ``--help`` (argparse's
    own exit is caught), so that ``corridor``'s dispatcher and tests can call it directly.
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    if args.command == "stats":
        return _stats(args, out=sys.stdout, err=sys.stderr)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
