"""Whether the node's database is ready for this version of Corridor, and what to tell an
operator when it is not (``corridor.cli`` after a command fails on it, ``serve`` before it
starts)."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _


def migrations_pending() -> bool | None:
    """Whether the database lacks migrations this version has; None when it cannot be reached."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return None


def not_ready_message(error: Exception | None = None) -> str | None:
    """The operator's line when the database is unreachable or behind this version (None when
    it is ready: an error on it is then some other fault)."""
    pending = migrations_pending()
    node = settings.NODE_NAME
    if pending is None:
        reason = (str(error or "").strip().splitlines() or [type(error).__name__])[0]
        return _(
            "corridor: the %(node)s node cannot reach its database (%(reason)s). Check "
            "DATABASE_URL and that the database server is running."
        ) % {"node": node, "reason": reason}
    if pending:
        return _(
            "corridor: the %(node)s node's database is not set up, or older than this version of "
            "Corridor: run `corridor migrate --node %(node)s` first."
        ) % {"node": node}
    return None
