"""The ``corridor`` command.

``corridor demo`` runs both nodes; ``corridor match`` and ``corridor network`` work on files and
need no node; every other sub-command is a Django management command run against one node,
chosen with ``--node`` (or ``CORRIDOR_NODE``), e.g. ``corridor audit verify --node togo``.
"""

from __future__ import annotations

import os
import sys

from corridor.i18n import _

FILE_COMMANDS = {
    "match": "corridor.matching.cli",
    "network": "corridor.intel.network_cli",
    "forms": "corridor.flows.forms_cli",
}


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
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(
            _(
                "usage: corridor demo [--no-serve] | corridor match … | corridor network stats … | "
                "corridor forms xlsform … | corridor COMMAND --node togo|gabon …\n"
                "Node commands: audit verify, serve, import, export, federation, seed_demo, "
                "migrate, createsuperuser, and every Django management command."
            )
        )
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

    execute_from_command_line(["corridor", *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
