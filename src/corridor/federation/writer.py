"""One writer at a time, queued in this process: on SQLite the whole database has a single
write lock, and threads that wait for it inside SQLite's busy handler sleep in growing steps
(up to 100 ms) between tries, long after the lock is free. The federation's own transactions
(the inbox recording a message, a delivery pass leasing and recording) queue here instead, in
order, and each gets the lock as soon as the previous one commits. PostgreSQL locks rows, not
the database: nothing is queued there."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import connection

_lock = threading.Lock()


@contextmanager
def one_writer():
    """Queue an outermost federation transaction behind this process's other ones (SQLite).
    Inside an open transaction it does nothing: that one already holds the database's lock."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with _lock:
        yield
