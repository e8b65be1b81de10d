"""Which Corridor node this process is, and where its data lives.

A node is one country's installation. Everything that differs between the Togo and the Gabon node
(database, secrets, ports) is derived here from ``CORRIDOR_NODE`` and ``CORRIDOR_DATA_DIR`` so that
two nodes can run side by side on one machine without sharing a byte of data.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from corridor.i18n import _

NODES = {
    "togo": {"country": "TG", "port": 8001},
    "gabon": {"country": "GA", "port": 8002},
}


DEMO_MARKER = "demo-node"


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

    def ensure_private(self) -> None:
        """The node's data directory is readable by its owner only (0700), and so is every file
        the node process creates from now on (umask 077: the SQLite database and its -wal/-shm
        files, secrets, sealed files, exports). A database file left readable by an older
        version is tightened to 0600."""
        os.umask(0o077)
        if not self.data_dir.parent.exists():
            self.data_dir.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
        for path in [*self.data_dir.glob("db.sqlite3*"), *self.data_dir.glob("*.secret")]:
            # The running node may remove its -wal/-shm files between the listing and here
            # (a checkpoint on close): a file that is gone needs no tightening.
            with contextlib.suppress(FileNotFoundError):
                os.chmod(path, 0o600)

    def secret(self, name: str) -> str:
        """A per-node secret kept in a 0600 file, created on first use.

        Created atomically: the value is written and flushed to a private temporary file, which
        is then hard-linked under its final name (the link fails if another process got there
        first, and then that process' value is used). Nobody can read the name before the value
        is complete, so two processes starting at once never see an empty or partial key.
        """
        path = self.data_dir / f"{name}.secret"
        if not path.exists():
            self.ensure_private()
            value = secrets.token_urlsafe(48)
            fd, temporary = tempfile.mkstemp(dir=self.data_dir, prefix=f".{name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w") as handle:
                    handle.write(value)
                    handle.flush()
                    os.fsync(handle.fileno())
                with contextlib.suppress(FileExistsError):
                    os.link(temporary, path)
            finally:
                os.unlink(temporary)
        value = path.read_text().strip()
        if not value:
            raise NodeConfigError(
                _("The secret file %(path)s is empty: restore it from the backup.") % {"path": path}
            )
        return value

    @property
    def is_demo(self) -> bool:
        """``corridor demo`` marks the nodes it creates; only those may be seeded with the
        demo's synthetic records and accounts (whose password is printed in the README)."""
        return (self.data_dir / DEMO_MARKER).exists()

    def mark_demo(self) -> None:
        self.ensure_private()
        (self.data_dir / DEMO_MARKER).touch()


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
