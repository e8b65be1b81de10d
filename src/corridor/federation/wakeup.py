"""The delivery worker's wake-up call: a leaf module, so that the outbox (which rings it after a
commit) and the worker (which waits on it) need not import each other."""

from __future__ import annotations

import threading

_event = threading.Event()


def wake() -> None:
    """Ask the delivery thread of this process for a pass now (called after commit)."""
    _event.set()


def wait(timeout: float) -> bool:
    """Sleep until woken or ``timeout`` seconds have passed; clear the call and say if it came."""
    woken = _event.wait(timeout)
    _event.clear()
    return woken
