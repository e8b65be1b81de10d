"""Reads of federation records, scoped: the one home of referral access control (fails closed)."""

from __future__ import annotations

from django.db.models import QuerySet

from corridor.accounts.models import Role
from corridor.federation.models import OutboundMessage, Peer, Referral, ReferralStatus

REFERRAL_ROLES = (Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR)
OPERATOR_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR)


def visible_referrals(user) -> QuerySet[Referral]:
    """The national coordinator sees every referral of the node (the inbox is theirs); a
    caseworker or supervisor sees the referrals of the cases they can see. Anyone else, none."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*REFERRAL_ROLES):
        return Referral.objects.none()
    referrals = Referral.objects.select_related("peer", "case", "agency")
    if user.role == Role.COORDINATOR:
        return referrals
    from corridor.cases.selectors import visible_cases

    return referrals.filter(case__in=visible_cases(user))


def waiting_decision(user) -> QuerySet[Referral]:
    return visible_referrals(user).filter(
        direction=Referral.Direction.INCOMING,
        status__in=[ReferralStatus.RECEIVED, ReferralStatus.INFO_REQUESTED],
    )


def visible_outbox(user) -> QuerySet[OutboundMessage]:
    """Message metadata (type, state, errors; never payloads) for administrators and
    coordinators."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*OPERATOR_ROLES):
        return OutboundMessage.objects.none()
    return OutboundMessage.objects.select_related("peer").defer("payload")


def active_peers() -> QuerySet[Peer]:
    return Peer.objects.filter(is_active=True)
