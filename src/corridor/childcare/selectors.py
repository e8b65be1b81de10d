"""Reads of the child's case in depth. Access follows the case: whoever reads a child's case
through ``cases.selectors.visible_cases`` reads its records (fail closed: no case, nothing);
shelter occupancy is for coordinators and supervisors, as counts without names."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.cases.models import Case
from corridor.cases.selectors import visible_cases

OCCUPANCY_ROLES = (Role.COORDINATOR, Role.SUPERVISOR)


def visible_child_case(user, pk: int) -> Case:
    """The child's case ``pk`` when ``user`` may read it; 404 otherwise (adults' cases too)."""
    return get_object_or_404(visible_cases(user).filter(is_child=True), pk=pk)


def child_file(case: Case) -> dict:
    """Every record of a child's case the caller has already read through ``visible_cases``."""
    return {
        "assessments": list(case.bias.select_related("approval", "recorded_by")),
        "determinations": list(case.bids.select_related("approval", "family_assessment")),
        "family_assessments": list(case.family_assessments.all()),
        "tracing_actions": list(case.tracing_actions.select_related("recorded_by")),
        "placements": list(case.placements.select_related("provider")),
        "handovers": list(handovers_of(case)),
        "visits": list(case.follow_ups.select_related("placement")),
    }


def handovers_of(case: Case):
    """The case's hand-overs, with a copy the other node sent before its referral had a case
    here (attached to the case when countersigned)."""
    from corridor.childcare.models import HandOver

    return HandOver.objects.filter(
        Q(case=case) | Q(case__isnull=True, referral__case=case)
    ).select_related("referral")


def shelter_occupancy(user) -> list:
    """This node's providers that have a capacity, offer shelter or hold a placement, each
    annotated with ``occupied`` (current placements): counts without names, for coordinators
    and supervisors; nobody else."""
    from corridor.referrals.models import ServiceProvider

    if not getattr(user, "is_authenticated", False) or not user.has_role(*OCCUPANCY_ROLES):
        return []
    today = timezone.localdate()
    current = Q(placements__start_on__lte=today) & (
        Q(placements__end_on__isnull=True) | Q(placements__end_on__gte=today)
    )
    providers = (
        ServiceProvider.objects.filter(country=settings.NODE_COUNTRY)
        .annotate(occupied=Count("placements", filter=current))
        .order_by("name")
    )
    shown = [p for p in providers if p.capacity or "Shelter" in (p.services or []) or p.occupied]
    for provider in shown:
        provider.free = None if provider.capacity is None else provider.capacity - provider.occupied
    return shown
