"""Reads of the federation's records: peers and the outbox's delivery state (never payloads)."""

from __future__ import annotations

from django.db.models import QuerySet

from corridor.federation.models import OutboundMessage, Peer
from corridor.federation.operators import OPERATOR_ROLES


def visible_outbox(user) -> QuerySet[OutboundMessage]:
    """Message metadata (type, state, errors; never payloads) for administrators and
    coordinators."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*OPERATOR_ROLES):
        return OutboundMessage.objects.none()
    return OutboundMessage.objects.select_related("peer").defer("payload")


def topic_messages(topic: str) -> QuerySet[OutboundMessage]:
    """What this node sent under ``topic`` (metadata only), oldest first. Callers show it only
    beside a record the user may already read (e.g. a referral's page)."""
    return OutboundMessage.objects.filter(topic=topic).defer("payload").order_by("created_at", "id")


def active_peers() -> QuerySet[Peer]:
    return Peer.objects.filter(is_active=True)
