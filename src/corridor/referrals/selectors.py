"""Reads of referrals, scoped and failing closed. In-country: the sender sees them through its
cases, the receiving agency sees only the referred part. Cross-border: the national coordinator
sees every referral of the node, the case team those of the cases it can see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from corridor.accounts.models import Role
from corridor.cases.selectors import CASE_ROLES, visible_cases
from corridor.referrals.models import (
    CrossBorderReferral,
    CrossBorderStatus,
    Referral,
    ServiceProvider,
)

CROSS_BORDER_ROLES = (Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR)


def visible_referrals(user) -> QuerySet[Referral]:
    if not getattr(user, "is_authenticated", False) or not user.has_role(*CASE_ROLES):
        return Referral.objects.none()
    incoming = Q(to_agency_id=user.agency_id)
    if user.role == Role.COORDINATOR:
        incoming = Q(to_agency__country=user.country)
    return Referral.objects.filter(incoming | Q(case__in=visible_cases(user))).select_related(
        "case", "case__person", "from_agency", "to_agency", "sent_by"
    )


def is_receiver(user, referral: Referral) -> bool:
    return user.has_role(*CASE_ROLES) and referral.to_agency_id == user.agency_id


def visible_providers(user) -> QuerySet[ServiceProvider]:
    """The directory is not personal data: any home staff member may consult it."""
    if not getattr(user, "is_authenticated", False) or not user.is_home_staff:
        return ServiceProvider.objects.none()
    return ServiceProvider.objects.select_related("agency")


def visible_cross_border_referrals(user) -> QuerySet[CrossBorderReferral]:
    """The national coordinator sees every referral of the node (the inbox is theirs); a
    caseworker or supervisor sees the referrals of the cases they can see. Anyone else, none."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*CROSS_BORDER_ROLES):
        return CrossBorderReferral.objects.none()
    referrals = CrossBorderReferral.objects.select_related("peer", "case", "agency")
    if user.role == Role.COORDINATOR:
        return referrals
    return referrals.filter(case__in=visible_cases(user))


def waiting_decision(user) -> QuerySet[CrossBorderReferral]:
    return visible_cross_border_referrals(user).filter(
        direction=CrossBorderReferral.Direction.INCOMING,
        status__in=[CrossBorderStatus.RECEIVED, CrossBorderStatus.INFO_REQUESTED],
    )
