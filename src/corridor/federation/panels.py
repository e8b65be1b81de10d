"""Menu entries, home panels and the demo seeder of the federation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role
from corridor.core.navigation import (
    ADMINISTRATION,
    HomePanel,
    MenuItem,
    register_menu,
    register_panel,
)


def _outbox(request) -> dict:
    from corridor.federation.models import OutboundMessage
    from corridor.federation.selectors import active_peers, visible_outbox

    sent = visible_outbox(request.user)
    return {
        "peers": list(active_peers()),
        "pending": sent.filter(state=OutboundMessage.State.PENDING).count(),
        "rejected": sent.filter(state=OutboundMessage.State.REJECTED).count(),
    }


def register() -> None:
    register_menu(
        MenuItem(
            _("Peer nodes"),
            "federation:peers",
            frozenset({Role.ADMINISTRATOR}),
            order=80,
            group=ADMINISTRATION,
        )
    )
    register_panel(
        HomePanel(
            "federation/panel_outbox.html",
            frozenset({Role.ADMINISTRATOR, Role.COORDINATOR}),
            _outbox,
            order=85,
        )
    )


def seed_identity() -> dict:
    """The node's key pairs exist after seeding (idempotent: created once)."""
    from corridor.federation.identity import ensure_identity
    from corridor.federation.models import NodeKey

    before = NodeKey.objects.count()
    ensure_identity()
    return {gettext_noop("keys"): NodeKey.objects.count() - before}
