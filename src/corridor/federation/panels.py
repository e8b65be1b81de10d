"""Menu entries, home panels and the demo seeder of the federation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Role
from corridor.core.navigation import HomePanel, MenuItem, register_menu, register_panel


def _inbox(request) -> dict:
    from corridor.federation.selectors import visible_referrals, waiting_decision

    waiting = waiting_decision(request.user)
    return {
        "waiting_count": waiting.count(),
        "waiting": list(waiting[:5]),
        "recent": list(visible_referrals(request.user).exclude(pk__in=waiting.values("pk"))[:5]),
    }


def _outbox(request) -> dict:
    from corridor.federation.models import OutboundMessage, Peer

    return {
        "peers": list(Peer.objects.filter(is_active=True)),
        "pending": OutboundMessage.objects.filter(state=OutboundMessage.State.PENDING).count(),
        "rejected": OutboundMessage.objects.filter(state=OutboundMessage.State.REJECTED).count(),
    }


def register() -> None:
    register_menu(
        MenuItem(
            _("Cross-border"),
            "federation:inbox",
            frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.CASEWORKER}),
            order=45,
        )
    )
    register_menu(
        MenuItem(_("Peer nodes"), "federation:peers", frozenset({Role.ADMINISTRATOR}), order=80)
    )
    register_panel(
        HomePanel(
            "federation/panel_inbox.html",
            frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.CASEWORKER}),
            _inbox,
            order=35,
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
    return {"keys": NodeKey.objects.count() - before}
