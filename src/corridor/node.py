"""Which Corridor node this process is, and where its data lives.

A node is one country's installation. Everything that differs between the Togo and the Gabon node
(database, secrets, ports) is derived here from ``CORRIDOR_NODE`` and ``CORRIDOR_DATA_DIR`` so that
two nodes can run side by side on one machine without sharing a byte of data.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from corridor.i18n import _

NODES = {
    "togo": {"country": "TG", "port": 8001},
    "gabon": {"country": "GA", "port": 8002},
}


class NodeConfigError(Exception):
    """The node's configuration is unusable; the message tells the operator what to fix."""


@dataclass(frozen=True)
class Node:
    name: str
    country: str
    default_port: int
    data_dir: Path

    @property
    def db_path(self) -> Path:
        return self.data_dir / "db.sqlite3"

    def secret(self, name: str) -> str:
        """A per-node secret kept in a 0600 file, created on first use."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / f"{name}.secret"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip()


def data_root() -> Path:
    return Path(os.environ.get("CORRIDOR_DATA_DIR", "var")).resolve()


def get_node(name: str | None = None) -> Node:
    name = (name or os.environ.get("CORRIDOR_NODE") or "togo").strip().lower()
    if name not in NODES:
        raise NodeConfigError(
            _("Unknown node «%(name)s»: choose one of %(known)s.")
            % {"name": name, "known": ", ".join(NODES)}
        )
    spec = NODES[name]
    return Node(
        name=name,
        country=spec["country"],
        default_port=spec["port"],
        data_dir=data_root() / name,
    )
