"""The ``corridor`` command.

``corridor demo`` runs both nodes; ``corridor match`` and ``corridor network`` work on files and
need no node; every other sub-command is a Django management command run against one node,
chosen with ``--node`` (or ``CORRIDOR_NODE``), e.g. ``corridor audit verify --node togo``.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from pathlib import Path

from corridor.i18n import _

FILE_COMMANDS = {
    "match": "corridor.matching.cli",
    "network": "corridor.intel.network_cli",
    "forms": "corridor.flows.forms_cli",
}
HERE = Path(__file__).parent
# What an operator runs on a node, in the order of a node's life; `corridor help --node togo`
# lists every other (Django) command.
NODE_COMMANDS = (
    "serve",
    "seed_demo",
    "crypto",
    "federation",
    "api_token",
    "import",
    "export",
    "import_submissions",
    "pull_submissions",
    "fieldwork",
    "intel_import",
    "find_duplicates",
    "tracing_retrain",
    "flow_alerts",
    "mla_reminders",
    "stats",
    "reports",
    "glotip",
    "governance",
    "retention",
    "audit",
)


def _own_words(path: Path, name: str) -> str:
    """The first sentence of the text a command gives itself (``help = …`` of a management
    command, ``description=`` of an argument parser), read from its source file so that listing
    the commands starts neither Django nor the matcher."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == name for t in node.targets):
            value = node.value
        elif isinstance(node, ast.keyword) and node.arg == name:
            value = node.value
        else:
            continue
        if isinstance(value, ast.Call) and value.args:  # _("…")
            value = value.args[0]
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return _first_sentence(_(value.value))
    return ""


def _first_sentence(text: str) -> str:
    """ "Audit log tools: `verify` checks …; `checkpoint` …" → "Audit log tools (verify,
    checkpoint)"; otherwise the text up to its first full stop or semicolon outside brackets."""
    sentence = text.split(". ")[0].rstrip(".")
    head, colon, rest = sentence.partition(": `")
    if colon:
        return f"{head.strip()} ({', '.join(re.findall(r'`([a-z][a-z-]*)`', text))})"
    for i, char in enumerate(sentence):
        if char == ";" and sentence[:i].count("(") == sentence[:i].count(")"):
            return sentence[:i]
    return sentence


def usage() -> str:
    """``corridor --help``: every command an operator runs, each in its own words."""

    def rows(pairs):
        return "\n".join(f"  {name:<20} {text}" for name, text in pairs)

    file_commands = [("demo", _own_words(HERE / "demo.py", "description"))] + [
        (
            name,
            _own_words(HERE / (module.split(".", 1)[1].replace(".", "/") + ".py"), "description"),
        )
        for name, module in FILE_COMMANDS.items()
    ]
    node_commands = [
        (name, _own_words(path, "help"))
        for name in NODE_COMMANDS
        for path in sorted(HERE.glob(f"*/management/commands/{name}.py"))[:1]
    ]
    return "\n".join(
        [
            _("usage: corridor COMMAND [options]"),
            "",
            _("Without a node:"),
            rows(file_commands),
            "",
            _("On one node (add --node togo or --node gabon, or set CORRIDOR_NODE):"),
            rows(node_commands),
            "",
            _(
                "`corridor COMMAND --help` gives a command's options (with --node for a node "
                "command); `corridor help --node togo` lists every command of a node."
            ),
        ]
    )


def _pop_node(argv: list[str]) -> tuple[str | None, list[str]]:
    node, rest, i = None, [], 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--node":
            if i + 1 >= len(argv):
                raise SystemExit(_("--node needs a value: togo or gabon."))
            node, i = argv[i + 1], i + 2
            continue
        if arg.startswith("--node="):
            node = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return node, rest


def setup_django(node: str | None) -> None:
    """Select the node, then configure Django for it; configuration errors end the process with
    the operator-facing message and nothing else."""
    from corridor.node import NodeConfigError, get_node

    try:
        os.environ["CORRIDOR_NODE"] = get_node(node).name
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corridor.settings")
        import django
        from django.core.exceptions import ImproperlyConfigured

        try:
            django.setup()
        except ImproperlyConfigured as exc:
            raise SystemExit(f"corridor: {exc}") from None
    except NodeConfigError as exc:
        raise SystemExit(f"corridor: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv == ["help"]:
        print(usage())
        return 0
    command = argv[0]
    if command in FILE_COMMANDS:
        import importlib

        return int(importlib.import_module(FILE_COMMANDS[command]).main(argv[1:]) or 0)
    if command == "demo":
        from corridor.demo import main as demo_main

        return demo_main(argv[1:])
    node, rest = _pop_node(argv)
    setup_django(node)
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(["corridor", *rest])
    except DatabaseError as error:
        from corridor.core.database import not_ready_message

        message = not_ready_message(error)
        if message is None or rest[:1] == ["migrate"]:  # migrate's own failure is its own
            raise
        raise SystemExit(message) from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
