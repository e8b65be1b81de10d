"""Two real Corridor node processes on loopback, each with its own data directory and database
(SQLite files, or two PostgreSQL databases derived from the DATABASE_URL given to pytest)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
COUNTRY = {"togo": "TG", "gabon": "GA"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def derived_database_url(base: str, node: str, suffix: str = "") -> str:
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "corridor"
    return urlunsplit(parts._replace(path=f"/{name}_{suffix}{node}"))


def _admin_connect(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")).replace("postgres://", "postgresql://", 1),
        autocommit=True,
    )


def create_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class NodeProcess:
    def __init__(self, name: str, data_dir: Path, database_url: str = "", **extra_env):
        self.name, self.data_dir, self.database_url = name, data_dir, database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.extra_env = extra_env
        self.log = data_dir / f"{name}-serve.log"

    def env(self, **overrides) -> dict:
        env = dict(os.environ)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.update(
            CORRIDOR_NODE=self.name,
            CORRIDOR_DATA_DIR=str(self.data_dir),
            DJANGO_SETTINGS_MODULE="tests.settings",
            CORRIDOR_FEDERATION_POLL="0.2",
            CORRIDOR_FEDERATION_BACKOFF="0.3",
            PYTHONPATH=str(REPO),
            PYTHONUNBUFFERED="1",
        )
        env.pop("DATABASE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.pop("CORRIDOR_FEDERATION_FAULT", None)
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def cli(self, *args: str, check: bool = True, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "corridor.cli", *args, "--node", self.name],
            env=self.env(),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{self.name} {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def call(self, function: str, **kwargs):
        """Run ``tests.federation.node_actions.<function>(**kwargs)`` inside this node and
        return what it printed as JSON."""
        code = (
            "import json; from tests.federation import node_actions as a; "
            f"print('@@' + json.dumps(a.{function}(**json.loads({json.dumps(json.dumps(kwargs))}))))"
        )
        out = self.cli("shell", "-c", code)
        line = [line for line in out.splitlines() if line.startswith("@@")][-1]
        return json.loads(line[2:])

    def start(self, **env_overrides) -> None:
        handle = open(self.log, "a")  # noqa: SIM115 (kept open for the process' life)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "corridor.cli",
                "serve",
                "--port",
                str(self.port),
                "--node",
                self.name,
            ],
            env=self.env(**env_overrides),
            cwd=REPO,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} stopped while starting: {self.log.read_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def wait_exit(self, timeout: float = 30) -> int:
        return self.proc.wait(timeout=timeout)


def prepare_pair(base: Path, database_url: str = "", suffix: str = "") -> dict[str, NodeProcess]:
    """Create, migrate, seed users and exchange identities; the nodes are not started. Under
    pytest-xdist each worker gets databases of its own (a module's tests may run on two)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    suffix = f"{suffix}{worker}_" if worker else suffix
    nodes = {}
    for name in ("togo", "gabon"):
        url = derived_database_url(database_url, name, suffix) if database_url else ""
        if url:
            create_database(url)
        nodes[name] = NodeProcess(name, base / name, url)
        nodes[name].data_dir.mkdir(parents=True, exist_ok=True)
    migrations = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "corridor.cli",
                "migrate",
                "--no-input",
                "-v",
                "0",
                "--node",
                n.name,
            ],
            env=n.env(),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in nodes.values()
    ]
    for proc in migrations:
        out, _ = proc.communicate(timeout=600)
        if proc.returncode:
            raise RuntimeError(out)
    for node in nodes.values():
        node.call("setup_users", country=COUNTRY[node.name])
        node.cli(
            "federation", "identity", "--url", node.url, "--out", str(base / f"{node.name}.json")
        )
    nodes["togo"].cli("federation", "add-peer", str(base / "gabon.json"))
    nodes["gabon"].cli("federation", "add-peer", str(base / "togo.json"))
    return nodes


def teardown_pair(nodes: dict[str, NodeProcess]) -> None:
    for node in nodes.values():
        node.stop()
    for node in nodes.values():
        if node.database_url:
            drop_database(node.database_url)
