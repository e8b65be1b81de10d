"""The demo seeders of every capability, run in order by ``corridor seed_demo``."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _

SEEDERS: list[tuple[int, str, Callable[[], dict]]] = []
FEDERATED_SEEDERS: list[tuple[int, str, Callable[[], dict]]] = []


def register_seeder(
    order: int, name: str, seeder: Callable[[], dict], *, federated: bool = False
) -> None:
    """``name`` and the keys of the counts a seeder returns are marked with ``gettext_noop``
    and read in the node's language. ``federated``: the seeder needs the other node registered as a peer (it sends a
    message), so ``corridor demo`` runs it once the nodes are federated
    (``seed_demo --federated``)."""
    (FEDERATED_SEEDERS if federated else SEEDERS).append((order, name, seeder))


def run_seeders(report=print, *, federated: bool = False) -> None:
    """Seed every capability, on a demo node only: the demo's accounts share one published
    password, and its synthetic records must never mix with a country's real ones."""
    if not settings.NODE.is_demo:
        raise ImproperlyConfigured(
            _(
                "The %(node)s node in %(dir)s is not a demo node: the demo's data and accounts "
                "(whose password is public) are seeded only into the nodes that `corridor demo` "
                "creates."
            )
            % {"node": settings.NODE_NAME, "dir": settings.NODE.data_dir}
        )
    for _order, name, seeder in sorted(
        FEDERATED_SEEDERS if federated else SEEDERS, key=lambda s: s[0]
    ):
        # One transaction per capability: its thousands of service calls become savepoints
        # instead of as many durable commits (the demo's start-up time), and a seeder that
        # fails leaves nothing of its own behind.
        with transaction.atomic():
            counts = seeder()
        added = ", ".join(_(k) + f" +{v}" for k, v in counts.items())
        report("  " + _("%(section)s: %(added)s") % {"section": _(name), "added": added})
