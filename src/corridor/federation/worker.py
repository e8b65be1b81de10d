"""The outbox delivery loop: a daemon thread in ``corridor serve`` (or ``corridor federation
worker`` on its own). It wakes when a message is queued in this process (``wakeup``), or every
``CORRIDOR_FEDERATION_POLL`` seconds."""

from __future__ import annotations

import logging
import os
import threading

from django.db import close_old_connections

from corridor.federation import wakeup
from corridor.federation.delivery import deliver_due

log = logging.getLogger("corridor.federation")
POLL_SECONDS = float(os.environ.get("CORRIDOR_FEDERATION_POLL", "1.0"))


def run_forever(stop: threading.Event, *, poll: float = POLL_SECONDS) -> None:
    while not stop.is_set():
        wakeup.wait(poll)
        try:
            close_old_connections()
            while not stop.is_set():
                counts = deliver_due()
                if not counts["delivered"]:
                    break
        except Exception:  # the loop must survive a bad pass; the next one retries
            log.exception("federation delivery pass failed")
        finally:
            close_old_connections()


def start(*, poll: float = POLL_SECONDS) -> threading.Event:
    """Start the delivery thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(
        target=run_forever,
        args=(stop,),
        kwargs={"poll": poll},
        name="federation-outbox",
        daemon=True,
    ).start()
    return stop
