"""Reads of referrals: the sender sees them through its cases, the receiving agency sees only the
referred part."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from corridor.accounts.models import Role
from corridor.cases.selectors import CASE_ROLES, visible_cases
from corridor.referrals.models import Referral, ServiceProvider


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
