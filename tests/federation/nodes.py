"""Two real Corridor node processes on loopback, each with its own data directory and database
(SQLite files, or two PostgreSQL databases derived from the DATABASE_URL given to pytest)."""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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


def create_database_from(url: str, template: str) -> None:
    name, source = urlsplit(url).path.lstrip("/"), urlsplit(template).path.lstrip("/")
    with _admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')


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

    def call(self, function: str, actions: str = "tests.federation.node_actions", **kwargs):
        """Run ``<actions>.<function>(**kwargs)`` inside this node (by default the federation's
        ``node_actions``; each capability may keep its own) and return what it printed as
        JSON."""
        code = (
            f"import json; import {actions} as a; "
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


_SCHEMA: dict[str, str] = {}
"""The migrated, empty database this test process copies for each node it starts (one per
backend): running every migration takes a node 20-40 s, copying the result well under one."""


def _schema_template(database_url: str) -> str:
    """Migrate an empty database once per test process (an SQLite file, or a PostgreSQL
    database derived from ``database_url``) and return its path or URL. An empty migrated
    database holds nothing of a node's own (no keys, no rows), so every node may start from it."""
    # One template per database server, whichever node's database ``database_url`` names (keyed
    # by the node's own URL, every PostgreSQL node ran every migration again), named by process
    # so that two test runs on one server never share one.
    server = urlsplit(database_url)._replace(path="")
    key = urlunsplit(server) if database_url else "sqlite"
    url = (
        urlunsplit(server._replace(path=f"/corridor_schema_{os.getpid()}")) if database_url else ""
    )
    if key in _SCHEMA:
        return _SCHEMA[key]
    base = Path(tempfile.mkdtemp(prefix="corridor-schema-"))
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    if url:
        create_database(url)
        atexit.register(drop_database, url)
    template = NodeProcess("togo", base, url)
    template.data_dir.mkdir(parents=True, exist_ok=True)
    template.cli("migrate", "--no-input", "-v", "0", timeout=900)
    _SCHEMA[key] = url or str(base / "togo" / "db.sqlite3")
    return _SCHEMA[key]


def migrate_nodes(nodes: list[NodeProcess]) -> None:
    """Give each node a database at the latest migration, copied from the process' template."""
    for node in nodes:
        template = _schema_template(node.database_url)
        if node.database_url:
            create_database_from(node.database_url, template)
            continue
        target = node.data_dir / node.name / "db.sqlite3"
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with sqlite3.connect(template) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        os.chmod(target, 0o600)


def session_id() -> int:
    """The process id of this pytest run's main process (an xdist worker's parent)."""
    return os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()


def demo_template_url(database_url: str) -> str:
    """The PostgreSQL database of this run's seeded demo node (the main process drops it when
    the run ends: tests/conftest.py)."""
    return derived_database_url(database_url, "demo", f"tpl_{session_id()}_")


def _demo_template(tmp_path_factory) -> Path:
    """Seed one Togo node as ``corridor demo`` seeds it, once per test run, whichever worker asks
    first (the others wait on a lock in the directory they share), and return its data
    directory: seeding takes one or two minutes, a copy a second."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    database_url = os.environ.get("DATABASE_URL", "")
    url = demo_template_url(database_url) if database_url else ""
    template = NodeProcess("togo", shared / "demo-node", url)
    with open(shared / "demo-node.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "demo-node.seeded").exists():
            shutil.rmtree(template.data_dir, ignore_errors=True)  # a seeding that failed
            template.data_dir.mkdir()
            migrate_nodes([template])
            template.cli("seed_demo", timeout=900)
            (shared / "demo-node.seeded").touch()
    return template.data_dir


@contextmanager
def demo_node(tmp_path_factory, suffix: str):
    """One Togo node seeded as ``corridor demo`` seeds it: a copy of the run's seeded node (a
    PostgreSQL database named with ``suffix`` when pytest is given a DATABASE_URL), so a test may
    change it freely. Not started; on leaving it is stopped and its database dropped."""
    template = _demo_template(tmp_path_factory)
    database_url = os.environ.get("DATABASE_URL", "")
    url = derived_database_url(database_url, "togo", suffix) if database_url else ""
    node = NodeProcess("togo", tmp_path_factory.mktemp(f"{suffix}node") / "data", url)
    shutil.copytree(template, node.data_dir)
    try:
        if url:
            create_database_from(url, demo_template_url(database_url))
        yield node
    finally:
        node.stop()
        if url:
            drop_database(url)


def prepare_pair(base: Path, database_url: str = "", suffix: str = "") -> dict[str, NodeProcess]:
    """Create, migrate, seed users and exchange identities; the nodes are not started. Under
    pytest-xdist each worker gets databases of its own (a module's tests may run on two)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    suffix = f"{suffix}{worker}_" if worker else suffix
    nodes = {}
    for name in ("togo", "gabon"):
        url = derived_database_url(database_url, name, suffix) if database_url else ""
        nodes[name] = NodeProcess(name, base / name, url)
        nodes[name].data_dir.mkdir(parents=True, exist_ok=True)
    migrate_nodes(list(nodes.values()))
    identity = {name: str(base / f"{name}.json") for name in nodes}
    peer = {"togo": "gabon", "gabon": "togo"}
    with ThreadPoolExecutor(max_workers=2) as pool:  # one process per node at a time
        prepared = [
            pool.submit(
                n.call, "prepare", country=COUNTRY[n.name], url=n.url, identity=identity[n.name]
            )
            for n in nodes.values()
        ]
        for future in prepared:
            future.result()
        added = [
            pool.submit(n.call, "add_peer", identity=identity[peer[n.name]]) for n in nodes.values()
        ]
        for future in added:
            future.result()
    return nodes


@contextmanager
def running_pair(tmp_path_factory, name: str):
    """Two prepared and started nodes for a test module (``name`` keeps its databases apart
    from other modules'), stopped and dropped afterwards."""
    base = tmp_path_factory.mktemp(f"{name}-nodes")
    pair = prepare_pair(base, os.environ.get("DATABASE_URL", ""), suffix=f"{name}_")
    try:
        for node in pair.values():
            node.start()
        yield pair
    finally:
        teardown_pair(pair)


def teardown_pair(nodes: dict[str, NodeProcess]) -> None:
    for node in nodes.values():
        node.stop()
    for node in nodes.values():
        if node.database_url:
            drop_database(node.database_url)
