"""``corridor demo``: both nodes, seeded with synthetic data, served side by side.

Each node runs in its own processes with its own database, exactly as two countries would run
them; this module only orchestrates (prepare both in parallel, check ports, serve, stop cleanly).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from corridor.accounts.demo_data import DEMO_PASSWORD, demo_accounts
from corridor.accounts.roles import ROLE_NAMES
from corridor.i18n import _
from corridor.matching.gather import warm as warm_matching
from corridor.node import NODES, data_root, get_node


def _command(node: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "corridor.cli", *args, "--node", node]


def _env(node: str) -> dict[str, str]:
    env = dict(os.environ, CORRIDOR_NODE=node, PYTHONUNBUFFERED="1")
    env.pop("DATABASE_URL", None)  # the demo runs on each node's own SQLite file
    return env


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _identity_file(node: str) -> Path:
    return data_root() / node / "federation-identity.json"


def prepare(nodes: list[str], ports: dict[str, int] | None = None) -> None:
    """Migrate and seed every node, in parallel: each has its own database. Then exchange the
    nodes' federation identities so they start already federated (idempotent)."""
    ports = ports or {node: NODES[node]["port"] for node in nodes}
    running = {}
    for node in nodes:
        get_node(node).mark_demo()
        running[node] = subprocess.Popen(
            " && ".join(
                subprocess.list2cmdline(c)
                for c in (
                    _command(node, "migrate", "--no-input", "-v", "0"),
                    _command(node, "seed_demo"),
                    _command(
                        node,
                        "federation",
                        "identity",
                        "--url",
                        f"http://127.0.0.1:{ports[node]}",
                        "--out",
                        str(_identity_file(node)),
                    ),
                )
            ),
            shell=True,
            env=_env(node),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    failed = []
    for node, proc in running.items():
        output, _err = proc.communicate()
        print(_("[%(node)s] prepared") % {"node": node})
        for line in output.splitlines():
            print(f"[{node}] {line}")
        if proc.returncode != 0:
            failed.append(node)
    if failed:
        raise SystemExit(
            _("corridor demo: preparing %(nodes)s failed (see above).")
            % {"nodes": ", ".join(failed)}
        )
    federate(nodes)
    for node in nodes:
        # What needs the peer (a child referred across the border), then the joint picture and
        # the committee's records: queued for the peer, delivered once the nodes serve.
        for command in (("seed_demo", "--federated"), ("governance", "send-pending")):
            sent = subprocess.run(
                _command(node, *command),
                env=_env(node),
                check=False,
                capture_output=True,
                text=True,
            )
            for line in (sent.stdout + sent.stderr).splitlines():
                print(f"[{node}] {line}")


def federate(nodes: list[str]) -> None:
    """Register each node as the other's peer from its exported identity (the demo's stand-in
    for two administrators exchanging identity files and comparing fingerprints)."""
    running = {}
    for node in nodes:
        for peer in nodes:
            if peer != node:
                running[(node, peer)] = subprocess.Popen(
                    _command(node, "federation", "add-peer", str(_identity_file(peer))),
                    env=_env(node),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
    for (node, peer), proc in running.items():
        output, _err = proc.communicate()
        if proc.returncode != 0:
            for line in output.splitlines():
                print(f"[{node}] {line}")
            raise SystemExit(
                _("corridor demo: registering %(peer)s as a peer of %(node)s failed (see above).")
                % {"peer": peer, "node": node}
            )
        print(_("[%(node)s] federated with %(peer)s") % {"node": node, "peer": peer.capitalize()})


def _wait_ready(node: str, port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(
                _("corridor demo: the %(node)s node stopped while starting.") % {"node": node}
            )
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(
        _("corridor demo: the %(node)s node did not answer within %(s)s s.")
        % {"node": node, "s": timeout}
    )


def print_accounts(ports: dict[str, int]) -> None:
    print()
    for node, port in ports.items():
        print(
            _("%(node)s node: http://127.0.0.1:%(port)s/")
            % {"node": node.capitalize(), "port": port}
        )
    print()
    print(_("Demo accounts (password for all: %(pw)s)") % {"pw": DEMO_PASSWORD})
    columns = [_("node"), _("username"), _("role"), _("agency"), _("two-factor")]
    rows = [
        [
            node,
            account["username"],
            _(ROLE_NAMES[account["role"]]),
            account["agency"],
            _("yes: corridor totp_code %(u)s --node %(n)s") % {"u": account["username"], "n": node}
            if account["mfa"]
            else "",
        ]
        for node in ports
        for account in demo_accounts(node)
    ]
    widths = [max(len(row[i]) for row in [columns, *rows]) for i in range(len(columns) - 1)]
    for *cells, mfa in [columns, *rows]:
        line = " ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        print(f"  {line} {mfa}".rstrip())
    print()


def _stop_like_ctrl_c(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    # `kill`, a service manager or a closed terminal stops both nodes as Ctrl-C does, instead of
    # leaving them serving, orphaned, on their ports.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _stop_like_ctrl_c)
    parser = argparse.ArgumentParser(
        prog="corridor demo", description=_("Run both Corridor nodes with synthetic data.")
    )
    parser.add_argument("--no-serve", action="store_true", help=_("prepare the data and exit"))
    parser.add_argument("--togo-port", type=int, default=NODES["togo"]["port"])
    parser.add_argument("--gabon-port", type=int, default=NODES["gabon"]["port"])
    args = parser.parse_args(argv)
    ports = {"togo": args.togo_port, "gabon": args.gabon_port}
    if len(set(ports.values())) != len(ports):
        parser.error(_("the two nodes need two different ports"))
    busy = [str(p) for p in ports.values() if not args.no_serve and not _port_free(p)]
    if busy:
        print(
            _(
                "corridor demo: port %(ports)s already in use (is another demo running?). Stop it, or choose other ports with --togo-port / --gabon-port."
            )
            % {"ports": ", ".join(busy)},
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    print(_("Preparing both nodes in %(dir)s …") % {"dir": data_root()})
    try:
        # The matching engine's compiled loops, once for both nodes (cached on disk after).
        warm_matching()
        prepare(list(ports), ports)
    except KeyboardInterrupt:
        print(_("Interrupted. Run `corridor demo` again to finish preparing."), file=sys.stderr)
        return 130
    if args.no_serve:
        print(
            _("Both nodes are ready (%(s)s s). Run `corridor demo` to serve them.")
            % {"s": round(time.monotonic() - started)}
        )
        return 0
    servers = {
        node: subprocess.Popen(_command(node, "serve", "--port", str(port)), env=_env(node))
        for node, port in ports.items()
    }
    try:
        for node, port in ports.items():
            _wait_ready(node, port, servers[node])
        print(_("Both nodes are up (%(s)s s).") % {"s": round(time.monotonic() - started)})
        print_accounts(ports)
        print(_("Press Ctrl-C to stop both nodes."))
        while all(proc.poll() is None for proc in servers.values()):
            time.sleep(0.5)
        print(_("A node stopped unexpectedly; stopping the other."), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print()
        print(_("Stopping both nodes …"))
        return 0
    finally:
        for proc in servers.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in servers.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
