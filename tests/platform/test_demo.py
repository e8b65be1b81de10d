"""`corridor demo` as a newcomer runs it: real processes, real ports, a real Ctrl-C."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.database_independent]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(tmp_path, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CORRIDOR_NODE")
    }
    return {**env, "CORRIDOR_DATA_DIR": str(tmp_path), **extra}


def _corridor(*args):
    return [sys.executable, "-m", "corridor.cli", *args]


def test_demo_prepares_reruns_safely_serves_both_nodes_and_stops_cleanly(tmp_path):
    """The newcomer's path: a first preparation seeds both nodes; running `corridor demo` again
    adds nothing, serves both nodes until Ctrl-C (or `kill`), and the audit chains still verify."""
    first = subprocess.run(
        _corridor("demo", "--no-serve"),
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert first.returncode == 0, first.stdout + first.stderr
    assert "dossiers +160" in first.stdout  # in French, the nodes' language
    # Referrals in every state on each node, and once federated, Gabon refers a Togolese child
    # to Togo through a signed, encrypted message (Togo sends none).
    assert first.stdout.count("référencements\u00a0: référencements +4") == 2, first.stdout
    crossing = "référencements transfrontaliers\u00a0: référencements transfrontaliers"
    assert f"[gabon]   {crossing} +1" in first.stdout
    assert f"[togo]   {crossing} +0" in first.stdout
    # A node whose static files are not collected yet (a fresh data directory, an upgrade)
    # collects them when it starts and serves them at once.
    shutil.rmtree(tmp_path / "togo" / "static")
    ports = {"togo": _free_port(), "gabon": _free_port()}
    proc = _serve(tmp_path, ports)
    try:
        output = _until_up(proc)
        assert "utilisateurs +0" in output and "dossiers +0" in output, output
        assert "transfrontaliers +1" not in output, output  # nothing sent twice
        # The referral reaches Togo over HTTP once both nodes serve.
        received = "0"
        deadline = time.monotonic() + 120
        while received != "1" and time.monotonic() < deadline:
            time.sleep(1)
            received = _incoming_referrals(tmp_path, "togo")
        assert received == "1"
        for node, port in ports.items():
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                assert node.encode() in response.read()
            login = f"http://127.0.0.1:{port}/accounts/login/"
            with urllib.request.urlopen(login, timeout=30) as response:
                assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', response.read().decode())
            assert any(a.endswith(".css") for a in assets), assets
            for asset in assets:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{asset}", timeout=5) as got:
                    assert got.status == 200 and "max-age" in got.headers["Cache-Control"]
        for role in (
            "caseworker",
            "supervisor",
            "coordinator",
            "border",
            "investigator",
            "partner",
            "admin",
        ):
            assert f"tg.{role}" in output and f"ga.{role}" in output
        assert (tmp_path / "togo" / "db.sqlite3").exists() and (
            tmp_path / "gabon" / "db.sqlite3"
        ).exists()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    _assert_closed(ports)
    for node in ("togo", "gabon"):
        verify = subprocess.run(
            _corridor("audit", "verify", "--node", node),
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert verify.returncode == 0, verify.stderr
    # `kill` (a service manager, a closed terminal) stops both nodes too: none is left serving,
    # orphaned, on its port.
    proc = _serve(tmp_path, ports)
    try:
        _until_up(proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    _assert_closed(ports)


def _incoming_referrals(tmp_path, node: str) -> str:
    """How many cross-border referrals ``node`` has received, read through its own CLI."""
    count = "from corridor.referrals.models import CrossBorderReferral as R; print(R.objects.filter(direction='in').count())"
    result = subprocess.run(
        _corridor("shell", "--node", node, "-c", count),
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr


def _serve(tmp_path, ports: dict[str, int]) -> subprocess.Popen:
    return subprocess.Popen(
        _corridor("demo", "--togo-port", str(ports["togo"]), "--gabon-port", str(ports["gabon"])),
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _until_up(proc: subprocess.Popen) -> str:
    """What the demo printed until it serves both nodes ("Press Ctrl-C …")."""
    output = ""
    deadline = time.monotonic() + 900
    while "Ctrl-C" not in output and time.monotonic() < deadline and proc.poll() is None:
        output += proc.stdout.readline()
    assert "Ctrl-C" in output, output
    return output


def _assert_closed(ports: dict[str, int]) -> None:
    for port in ports.values():
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_port_in_use_gets_a_clear_message(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            _corridor("demo", "--togo-port", str(port), "--gabon-port", str(_free_port())),
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert str(port) in result.stderr and "--togo-port" in result.stderr
    assert not (tmp_path / "togo").exists()


def test_malformed_database_url_gets_a_clear_message(tmp_path):
    result = subprocess.run(
        _corridor("migrate", "--node", "togo"),
        env=_env(tmp_path, DATABASE_URL="postgres//nonsense"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_unknown_node_gets_a_clear_message(tmp_path):
    result = subprocess.run(
        _corridor("migrate", "--node", "benin"),
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "benin" in result.stderr and "togo" in result.stderr and "Traceback" not in result.stderr
