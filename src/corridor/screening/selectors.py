"""Reads of screenings, scoped: the one home of screening access control (fails closed)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from corridor.accounts.models import Role, Scope
from corridor.screening.models import Screening

SCREENERS = (Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR, Role.BORDER_OFFICER)
CASE_OPENERS = (Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR)
DECIDERS = (Role.SUPERVISOR, Role.COORDINATOR)


def visible_screenings(user) -> QuerySet[Screening]:
    """Coordinators see the node's screenings; border officers their agency's. Agency-scoped
    staff see their agency's and those of the cases they can see (a child screened at the border
    and handed over to their structure); own-scoped caseworkers the screenings they did and those
    of the cases they can see. Investigators, partners, administrators and anyone not home staff
    see none."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*SCREENERS):
        return Screening.objects.none()
    screenings = Screening.objects.select_related("person", "agency", "screened_by", "case")
    if user.scope == Scope.NATIONAL and user.role != Role.BORDER_OFFICER:
        return screenings
    if user.role == Role.BORDER_OFFICER:
        return screenings.filter(agency_id=user.agency_id)
    from corridor.cases.selectors import visible_cases

    own = Q(agency_id=user.agency_id) if user.scope == Scope.AGENCY else Q(screened_by=user)
    return screenings.filter(own | Q(case_id__in=visible_cases(user).values("pk")))
